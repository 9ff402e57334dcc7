// Engineering manager view: a team's PR flow (stages stacked, and over time),
// review load, WIP and stale PRs, sprints, and bottleneck call-outs.
import { useMemo } from 'react';
import type { ViewProps } from '../App';
import type { Family, ListPage } from '../lib/api';
import { metricOf, rangeQuery, scopeQuery, useFamily, liveScopesFor } from '../lib/family';
import { formatDate, formatDuration } from '../lib/format';
import { useApi } from '../lib/useApi';
import { Chart } from '../components/Chart';
import { openDrill } from '../components/Drill';
import { ErrorNote } from '../components/States';
import { Cards, DrillFor, Notes, Refused, WithFamily } from './common';

export const STAGES = ['coding', 'pickup', 'review', 'deploy'] as const;

export function stagesOverTime(f: Family) {
  const stage = (s: string) => metricOf(f, `pr.${s}_time`);
  const x = (stage('coding')?.series ?? []).map((p) => p.start.slice(5, 10));
  return {
    grid: { left: 44, right: 8, top: 30, bottom: 24 }, tooltip: { trigger: 'axis' }, legend: {},
    xAxis: { type: 'category', data: x }, yAxis: { type: 'value', name: 'hours (median)' },
    series: STAGES.map((s) => ({ type: 'bar', stack: 'flow', name: s, data: (stage(s)?.series ?? []).map((p) => (p.value === null ? null : +(p.value / 3600).toFixed(1))) })),
  };
}

/** The drill-down of a click on the PR-flow charts: that stage's rows (of that week, from the weekly chart). */
export function stageDrill(f: Family, p: { seriesName?: string; dataIndex: number }, weekly: boolean): [string, string | null] | null {
  const stage = STAGES.find((s) => s === p.seriesName);
  if (!stage) return null;
  const key = `pr.${stage}_time`;
  return [key, weekly ? metricOf(f, key)?.series?.[p.dataIndex]?.start ?? null : null];
}

function PrFlow({ f, drillable }: { f: Family; drillable: boolean }) {
  const cycle = metricOf(f, 'pr.cycle_time');
  const parts = STAGES.map((s) => cycle?.parts?.find((p) => p.key === s)?.value ?? null);
  const stacked = useMemo(() => ({
    grid: { left: 8, right: 8, top: 30, bottom: 8, containLabel: true }, tooltip: { trigger: 'item' }, legend: {},
    xAxis: { type: 'value', show: false }, yAxis: { type: 'category', data: ['cycle'], show: false },
    series: STAGES.map((s, i) => ({ type: 'bar', stack: 'cycle', name: s, data: [parts[i] === null ? null : +(parts[i]! / 3600).toFixed(1)], label: { show: true, formatter: () => (parts[i] === null ? '' : formatDuration(parts[i]!)) } })),
  }), [cycle]);
  const overTime = useMemo(() => stagesOverTime(f), [f]);
  const drill = (weekly: boolean) => (drillable ? (p: { seriesName?: string; dataIndex: number }) => {
    const d = stageDrill(f, p, weekly);
    if (d) openDrill(d[0], d[1]);
  } : undefined);
  return (
    <section className="card wide" data-testid="pr-flow">
      <h2>PR flow: where cycle time goes</h2>
      <p className="small">
        {STAGES.map((s, i) => {
          const text = `${s} ${parts[i] === null ? '—' : formatDuration(parts[i]!)}`;
          return drillable ? (
            <button key={s} type="button" className="link stage" data-stage={s} title={`Show the PRs behind the ${s} time`} onClick={() => openDrill(`pr.${s}_time`)}>{text}</button>
          ) : <span key={s} className="stage" data-stage={s}>{text} </span>;
        })}
      </p>
      <Chart option={stacked} label="Median cycle time split into coding, pickup, review and deploy" height={90} onClick={drill(false)} />
      <Chart option={overTime} label="Stage medians by week, stacked" height={220} onClick={drill(true)} />
      {cycle ? <p className="completeness small">{cycle.completeness.notes.join('; ') || 'Every merged PR measured.'}</p> : null}
    </section>
  );
}

function ReviewLoad({ f }: { f: Family }) {
  const m = metricOf(f, 'pr.review_load');
  const parts = (m?.parts ?? []).slice(0, 12);
  const option = useMemo(() => ({
    grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true }, tooltip: {},
    xAxis: { type: 'value' }, yAxis: { type: 'category', inverse: true, data: parts.map((p) => p.key) },
    series: [{ type: 'bar', name: 'reviews', data: parts.map((p) => p.value) }],
  }), [m]);
  if (!m) return null;
  return (
    <section className="card">
      <h2>Review load ({m.value ?? 0} reviews)</h2>
      <Chart option={option} label="Reviews given per reviewer" height={Math.max(120, parts.length * 22)} />
    </section>
  );
}

export interface ReviewPair { reviewer: { id: string; name: string }; author: { id: string; name: string } | null; reviews: number; prs: number }
export interface ReviewPairs { reviews: number; pairs: ReviewPair[] }

/** Who reviews whom (GET /api/v1/review-pairs): the busiest pairs first. */
export function WhoReviewsWhom({ data, limit = 12 }: { data: ReviewPairs | undefined; limit?: number }) {
  if (!data) return null;
  const shown = data.pairs.slice(0, limit);
  return (
    <section className="card" data-testid="review-pairs">
      <h2>Who reviews whom ({data.reviews} reviews)</h2>
      {shown.length === 0 ? <p className="muted">No reviews in this range: connect a source with pull requests and reviews.</p> : (
        <table className="small">
          <thead><tr><th scope="col">Reviewer</th><th scope="col">Author</th><th scope="col">Reviews</th><th scope="col">PRs</th></tr></thead>
          <tbody>
            {shown.map((p) => (
              <tr key={`${p.reviewer.id}|${p.author?.id ?? ''}`} data-pair={`${p.reviewer.id}|${p.author?.id ?? ''}`}>
                <td>{p.reviewer.name}</td><td>{p.author?.name ?? <span className="muted">unknown</span>}</td><td>{p.reviews}</td><td>{p.prs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data.pairs.length > shown.length ? <p className="muted small">{data.pairs.length - shown.length} more pairs.</p> : null}
    </section>
  );
}

interface PrItem { id: string; number: number; title: string; url?: string; created_at: string; author?: { name: string } | null; repo: { name: string }; reviews: number }

export function PrList({ title, items, empty }: { title: string; items: PrItem[] | undefined; empty: string }) {
  return (
    <section className="card">
      <h2>{title}</h2>
      {!items ? null : items.length === 0 ? <p className="muted">{empty}</p> : (
        <ul className="rows">
          {items.map((p) => (
            <li key={p.id} data-row-id={p.id}>
              {p.url ? <a href={p.url} target="_blank" rel="noreferrer">{p.repo.name}#{p.number}</a> : `${p.repo.name}#${p.number}`} {p.title}
              <span className="muted small"> — {p.author?.name ?? 'unknown'}, opened {formatDate(p.created_at)}, {p.reviews} reviews</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Manager({ me, scope, since, params }: ViewProps) {
  const pr = useFamily('pr', scope, since);
  const flow = useFamily('flow', scope, since);
  const bottlenecks = useFamily('bottlenecks', scope, since);
  const pairs = useApi<ReviewPairs>(me.role === 'viewer' ? null : '/review-pairs', { ...scopeQuery(scope), ...rangeQuery(since) }, liveScopesFor(scope));
  const stale = useApi<ListPage<PrItem>>(me.role === 'viewer' ? null : '/pull-requests', { ...scopeQuery(scope), state: 'open', sort: 'created_at', limit: 10 }, liveScopesFor(scope));
  if (pr.status === 403) return <Refused message={pr.error!} />;
  return (
    <>
      {scope === 'org' ? <p className="muted">Showing the whole organisation: pick a team above to see one team.</p> : null}
      <DrillFor family="pr" params={params} scope={scope} since={since} />
      <DrillFor family="flow" params={params} scope={scope} since={since} />
      <WithFamily r={pr} name="pr">
        {(f) => (
          <>
            <PrFlow f={f} drillable={me.role !== 'viewer'} />
            <Cards metrics={['pr.cycle_time', 'pr.stale', 'pr.open_age', 'pr.merged_without_review'].map((k) => metricOf(f, k))} drillable={me.role !== 'viewer'} />
            <div className="grid">
              <ReviewLoad f={f} />
              <WhoReviewsWhom data={pairs.data ?? undefined} />
              {stale.error ? <ErrorNote message={stale.error} status={stale.status} /> : <PrList title="Oldest open PRs (WIP)" items={stale.data?.items} empty="No open pull requests." />}
            </div>
          </>
        )}
      </WithFamily>
      {bottlenecks.data ? <Notes title="Bottlenecks" notes={bottlenecks.data.metrics.flatMap((m) => m.notes ?? [])} /> : null}
      <WithFamily r={flow} name="flow">
        {(f) => <Cards metrics={['flow.wip.prs', 'flow.sprint_velocity.points', 'flow.planning_accuracy'].map((k) => metricOf(f, k))} drillable={me.role !== 'viewer'} />}
      </WithFamily>
    </>
  );
}
