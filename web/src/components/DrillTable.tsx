// The rows behind a number (the API's drill rows), each linked to its source tool.
import { useEffect, useRef } from 'react';
import type { DrillRow, Metric } from '../lib/api';
import { formatDate, formatValue } from '../lib/format';

export function DrillTable({ metric, onClose }: { metric: Metric; onClose: () => void }) {
  const rows: DrillRow[] = metric.rows ?? [];
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [metric.key]); // keyboard users land on the rows they opened
  return (
    <section className="card drill" aria-labelledby="drill-title" data-testid="drill">
      <header className="card-head">
        <h2 id="drill-title" tabIndex={-1} ref={heading}>Rows behind {metric.name} ({rows.length.toLocaleString('en-US')})</h2>
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
