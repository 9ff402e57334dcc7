// Product manager view: issue cycle time and throughput, cumulative flow, feature
// delivery, and a Monte Carlo forecast for a chosen set of open issues.
import { useMemo, useState } from 'react';
import type { ViewProps } from '../App';
import type { ListPage, Metric } from '../lib/api';
import { liveScopesFor, metricOf, rangeQuery, scopeQuery, useFamily } from '../lib/family';
import { forecastCompletion } from '../lib/forecast';
import { formatDate } from '../lib/format';
import { useApi } from '../lib/useApi';
import { Chart } from '../components/Chart';
import { ErrorNote } from '../components/States';
import { Cards, DrillFor, WithFamily } from './common';

interface Issue { id: string; key: string; title: string; url?: string; status: string; type: string; status_category: string; epic_id?: string | null }

export interface EpicRow { epic: Issue; done: number; open: number }

/** Open epics with how many of their issues are done and still open. */
export function epicProgress(epics: Issue[], done: Issue[], open: Issue[]): EpicRow[] {
  const count = (list: Issue[]) => list.reduce((m, i) => (i.epic_id ? m.set(i.epic_id, (m.get(i.epic_id) ?? 0) + 1) : m), new Map<string, number>());
  const d = count(done);
  const o = count(open);
  return epics
    .filter((e) => e.status_category !== 'done')
    .map((e) => ({ epic: e, done: d.get(e.id) ?? 0, open: o.get(e.id) ?? 0 }))
    .filter((r) => r.done + r.open > 0)
    .sort((a, b) => b.open - a.open || a.epic.key.localeCompare(b.epic.key));
}

/** The weekly throughputs to sample from: full weeks only (the last bucket may be partial). */
export function weeklyHistory(m: Metric | undefined, until: string, weeks = 12): number[] {
  const end = new Date(until).getTime();
  return (m?.series ?? [])
    .filter((p) => new Date(p.start).getTime() + 7 * 86400000 <= end && p.value !== null)
    .map((p) => p.value as number)
    .slice(-weeks);
}

function CumulativeFlow({ m }: { m: Metric }) {
  const option = useMemo(() => {
    const parts = (m.parts ?? []).filter((p) => p.series?.length);
    return {
      grid: { left: 48, right: 8, top: 30, bottom: 24 }, tooltip: { trigger: 'axis' }, legend: {},
      xAxis: { type: 'category', data: (parts[0]?.series ?? []).map((p) => p.start.slice(5, 10)) }, yAxis: { type: 'value', name: 'issues' },
      series: [...parts].reverse().map((p) => ({ type: 'line', stack: 'cfd', areaStyle: {}, name: p.key, symbol: 'none', data: p.series!.map((x) => x.value) })),
    };
  }, [m]);
  return (
    <section className="card wide">
      <h2>Cumulative flow</h2>
      <Chart option={option} label="Issues by status category over time, stacked" height={240} />
      <p className="completeness small">{m.completeness.notes.join('; ') || 'Every issue has its status history.'}</p>
    </section>
  );
}

function useIssues(scope: string, q: Record<string, string | number>) {
  return useApi<ListPage<Issue>>('/issues', { ...scopeQuery(scope), limit: 500, ...q }, liveScopesFor(scope));
}

function EpicDelivery({ rows, epic, onPick }: { rows: EpicRow[]; epic: string | null; onPick: (id: string | null) => void }) {
  return (
    <section className="card wide" data-testid="epics">
      <h2>Epic delivery</h2>
      {rows.length === 0 ? <p className="muted">No open epic has issues here. Epics come from the issue tracker (Jira epics, or pushed issues with epic_id).</p> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Epic</th><th scope="col">Done</th><th scope="col">Open</th><th scope="col">Progress</th><th scope="col"><span className="sr-only">Forecast</span></th></tr></thead>
            <tbody>{rows.map((r) => (
              <tr key={r.epic.id} data-epic={r.epic.id}>
                <td>{r.epic.url ? <a href={r.epic.url} target="_blank" rel="noreferrer">{r.epic.key}</a> : r.epic.key} {r.epic.title}</td>
                <td>{r.done}</td><td>{r.open}</td>
                <td><progress max={r.done + r.open} value={r.done} aria-label={`${r.epic.key}: ${r.done} of ${r.done + r.open} done`} /></td>
                <td>{r.open ? <button type="button" aria-pressed={epic === r.epic.id} onClick={() => onPick(epic === r.epic.id ? null : r.epic.id)}>{epic === r.epic.id ? 'Forecast all' : 'Forecast this epic'}</button> : null}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
      <p className="completeness small">Done counts the issues done among those the range's lists hold (the API's issue lists filter by the range); open counts every open issue of the epic.</p>
    </section>
  );
}

function ForecastPanel({ history, open, error, status, epic }: { history: number[]; open: Issue[]; error: string | null; status: number | null; epic: string | null }) {
  const [unchecked, setUnchecked] = useState<Set<string>>(new Set());
  const issues = epic ? open.filter((i) => i.epic_id === epic) : open;
  const chosen = issues.filter((i) => !unchecked.has(i.id)).length;
  const fc = useMemo(() => forecastCompletion(history, chosen, new Date(), { seed: 7 }), [history, chosen]);
  return (
    <section className="card wide" data-testid="forecast">
      <h2>Delivery forecast{epic ? ` for ${epic.split(':').pop()}` : ''}</h2>
      {error ? <ErrorNote message={error} status={status} /> : null}
      <p className="small">Monte Carlo over the last {history.length} full weeks of throughput ({history.join(', ')} issues a week), 10,000 runs, for the {chosen} open issues chosen below.</p>
      {fc ? (
        <dl className="forecast">
          {([50, 85, 95] as const).map((p) => (
            <div key={p}><dt>{p}% likely by</dt><dd data-testid={`forecast-${p}`}>{formatDate(fc.dates[p].toISOString())}</dd><dd className="muted small">{fc.weeks[p]} weeks</dd></div>
          ))}
        </dl>
      ) : <p className="muted">No throughput in the recent weeks to forecast from.</p>}
      <details>
        <summary>Choose issues ({chosen} of {issues.length})</summary>
        <ul className="rows checklist">
          {issues.map((i) => (
            <li key={i.id}><label>
              <input type="checkbox" checked={!unchecked.has(i.id)} onChange={() => setUnchecked((s) => { const n = new Set(s); if (n.has(i.id)) n.delete(i.id); else n.add(i.id); return n; })} />
              {i.key} {i.title} <span className="muted small">({i.status})</span>
            </label></li>
          ))}
        </ul>
      </details>
    </section>
  );
}

function Planning({ scope, since, history }: { scope: string; since: string; history: number[] }) {
  const todo = useIssues(scope, { status_category: 'todo' });
  const doing = useIssues(scope, { status_category: 'in_progress' });
  const done = useIssues(scope, { status_category: 'done', ...rangeQuery(since) });
  const epics = useIssues(scope, { type: 'epic' });
  const [epic, setEpic] = useState<string | null>(null);
  const open = [...(doing.data?.items ?? []), ...(todo.data?.items ?? [])].filter((i) => i.type !== 'epic');
  const rows = useMemo(() => epicProgress(epics.data?.items ?? [], done.data?.items ?? [], open), [epics.data, done.data, todo.data, doing.data]);
  return (
    <>
      <EpicDelivery rows={rows} epic={epic} onPick={setEpic} />
      <ForecastPanel key={epic ?? 'all'} history={history} open={open} epic={epic} error={todo.error ?? doing.error} status={todo.status ?? doing.status} />
    </>
  );
}

export function Product({ me, scope, since, params }: ViewProps) {
  const flow = useFamily('flow', scope, since, { series: true });
  return (
    <>
      <DrillFor family="flow" params={params} scope={scope} since={since} />
      <WithFamily r={flow} name="flow">
        {(f) => {
          const cfd = metricOf(f, 'flow.cumulative_flow');
          return (
            <>
              <Cards metrics={['flow.issue_cycle_time', 'flow.throughput.issues', 'flow.issue_lead_time', 'flow.wip.issues'].map((k) => metricOf(f, k))} drillable={me.role !== 'viewer'} />
              {cfd ? <CumulativeFlow m={cfd} /> : null}
              {me.role === 'viewer' ? null : <Planning scope={scope} since={since} history={weeklyHistory(metricOf(f, 'flow.throughput.issues'), f.until)} />}
            </>
          );
        }}
      </WithFamily>
    </>
  );
}
