// The rows behind a number (the API's drill rows), each linked to its source tool.
import { useEffect, useRef } from 'react';
import type { DrillRow, Metric } from '../lib/api';
import { formatDate, formatValue } from '../lib/format';

const DAY = 86400000;

/** The rows that fall in the series bucket starting at `start` (UTC; weeks and days exact, months by calendar). */
export function rowsInBucket(rows: DrillRow[], start: string, granularity: string): DrillRow[] {
  const from = new Date(start);
  const to = granularity === 'month' ? new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1))
    : new Date(from.getTime() + (granularity === 'day' ? 1 : 7) * DAY);
  return rows.filter((r) => {
    const t = new Date(String(r.at)).getTime();
    return t >= from.getTime() && t < to.getTime();
  });
}

export function DrillTable({ metric, onClose, bucket = null, granularity = 'week' }: { metric: Metric; onClose: () => void; bucket?: string | null; granularity?: string }) {
  const all: DrillRow[] = metric.rows ?? [];
  const rows = bucket ? rowsInBucket(all, bucket, granularity) : all;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [metric.key]); // keyboard users land on the rows they opened
  return (
    <section className="card drill" aria-labelledby="drill-title" data-testid="drill">
      <header className="card-head">
        <h2 id="drill-title" tabIndex={-1} ref={heading}>
          Rows behind {metric.name}{bucket ? `, ${granularity} of ${bucket.slice(0, 10)}` : ''} ({rows.length.toLocaleString('en-US')}{bucket ? ` of ${all.length.toLocaleString('en-US')}` : ''})
        </h2>
        <button type="button" onClick={onClose}>Close</button>
      </header>
      {rows.length === 0 ? (
        <p className="muted">No rows: nothing was measured in this range.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Value</th><th scope="col">Source</th></tr>
            </thead>
            <tbody>
              {rows.slice(0, 500).map((r) => (
                <tr key={r.id} data-row-id={r.id}>
                  <td>{formatDate(r.at as string)}</td>
                  <td>{r.title ?? r.id}{r.failure ? <span className="muted small"> — {String(r.failure)}</span> : null}</td>
                  <td>{r.value === undefined ? '—' : formatValue(r.value, metric.unit === 'ratio' ? 'count' : metric.unit)}</td>
                  <td>{r.url ? <a href={r.url} target="_blank" rel="noreferrer">open</a> : <span className="muted">no link</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
