// Product manager view: issue cycle time and throughput, cumulative flow, feature
// delivery, and a Monte Carlo forecast for a chosen set of open issues.
import { useMemo, useState } from 'react';
import type { ViewProps } from '../App';
import type { ListPage, Metric } from '../lib/api';
import { liveScopesFor, metricOf, scopeQuery, useFamily } from '../lib/family';
import { forecastCompletion } from '../lib/forecast';
import { formatDate } from '../lib/format';
import { useApi } from '../lib/useApi';
import { Chart } from '../components/Chart';
import { ErrorNote } from '../components/States';
import { Cards, DrillFor, WithFamily } from './common';

interface Issue { id: string; key: string; title: string; url?: string; status: string; type: string; status_category: string }

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

function ForecastPanel({ scope, history }: { scope: string; history: number[] }) {
  const todo = useApi<ListPage<Issue>>('/issues', { ...scopeQuery(scope), status_category: 'todo', limit: 200 }, liveScopesFor(scope));
  const doing = useApi<ListPage<Issue>>('/issues', { ...scopeQuery(scope), status_category: 'in_progress', limit: 200 }, liveScopesFor(scope));
  const [unchecked, setUnchecked] = useState<Set<string>>(new Set());
  const issues = [...(doing.data?.items ?? []), ...(todo.data?.items ?? [])];
  const chosen = issues.filter((i) => !unchecked.has(i.id)).length;
  const fc = useMemo(() => forecastCompletion(history, chosen, new Date(), { seed: 7 }), [history, chosen]);
  const err = todo.error ?? doing.error;
  return (
    <section className="card wide" data-testid="forecast">
      <h2>Delivery forecast</h2>
      {err ? <ErrorNote message={err} status={todo.status ?? doing.status} /> : null}
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
              {me.role === 'viewer' ? null : <ForecastPanel scope={scope} history={weeklyHistory(metricOf(f, 'flow.throughput.issues'), f.until)} />}
            </>
          );
        }}
      </WithFamily>
    </>
  );
}
