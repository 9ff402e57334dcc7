// Engineering manager view: a team's PR flow (stages stacked, and over time),
// review load, WIP and stale PRs, sprints, and bottleneck call-outs.
import { useMemo } from 'react';
import type { ViewProps } from '../App';
import type { Family, ListPage } from '../lib/api';
import { metricOf, scopeQuery, useFamily, liveScopesFor } from '../lib/family';
import { formatDate, formatDuration } from '../lib/format';
import { useApi } from '../lib/useApi';
import { Chart } from '../components/Chart';
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

function PrFlow({ f }: { f: Family }) {
  const cycle = metricOf(f, 'pr.cycle_time');
  const parts = STAGES.map((s) => cycle?.parts?.find((p) => p.key === s)?.value ?? null);
  const stacked = useMemo(() => ({
    grid: { left: 8, right: 8, top: 30, bottom: 8, containLabel: true }, tooltip: { trigger: 'item' }, legend: {},
    xAxis: { type: 'value', show: false }, yAxis: { type: 'category', data: ['cycle'], show: false },
    series: STAGES.map((s, i) => ({ type: 'bar', stack: 'cycle', name: s, data: [parts[i] === null ? null : +(parts[i]! / 3600).toFixed(1)], label: { show: true, formatter: () => (parts[i] === null ? '' : formatDuration(parts[i]!)) } })),
  }), [cycle]);
  const overTime = useMemo(() => stagesOverTime(f), [f]);
  return (
    <section className="card wide" data-testid="pr-flow">
      <h2>PR flow: where cycle time goes</h2>
      <p className="small">
        {STAGES.map((s, i) => <span key={s} className="stage" data-stage={s}>{s} {parts[i] === null ? '—' : formatDuration(parts[i]!)} </span>)}
      </p>
      <Chart option={stacked} label="Median cycle time split into coding, pickup, review and deploy" height={90} />
      <Chart option={overTime} label="Stage medians by week, stacked" height={220} />
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
      <p className="muted small">Who reviews whom is not served by the API yet; this is reviews given per reviewer.</p>
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
            <PrFlow f={f} />
            <Cards metrics={['pr.cycle_time', 'pr.stale', 'pr.open_age', 'pr.merged_without_review'].map((k) => metricOf(f, k))} drillable={me.role !== 'viewer'} />
            <div className="grid">
              <ReviewLoad f={f} />
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
