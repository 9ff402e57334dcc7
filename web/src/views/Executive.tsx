// Executive view: the DORA metrics with band and trend, delivery across teams,
// investment mix and the top risks.
import { useEffect, useMemo, useState } from 'react';
import type { ViewProps } from '../App';
import { api, type Family, type Ref } from '../lib/api';
import { metricOf, rangeQuery, useFamily } from '../lib/family';
import { formatValue } from '../lib/format';
import { useApi } from '../lib/useApi';
import { Chart } from '../components/Chart';
import { Cards, DrillFor, Notes, Refused, WithFamily } from './common';

export const DORA_KEYS = ['dora.deployment_frequency', 'dora.lead_time', 'dora.change_failure_rate', 'dora.failed_deployment_recovery_time', 'dora.time_to_restore'];

function TeamsTrend({ since }: { since: string }) {
  const teams = useApi<{ teams: Ref[] }>('/teams');
  const [series, setSeries] = useState<{ name: string; data: (number | null)[]; x: string[] }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const list = teams.data?.teams;
    if (!list) return;
    Promise.all(list.map((t) => api<Family>('/metrics/flow', { query: { scope: `team:${t.id}`, ...rangeQuery(since), metric: 'flow.throughput.prs' } })
      .then((f) => ({ name: t.name, x: (f.metrics[0]?.series ?? []).map((p) => p.start.slice(5, 10)), data: (f.metrics[0]?.series ?? []).map((p) => p.value) }))))
      .then(setSeries, () => setError('Delivery by team needs a role that may see team metrics.'));
  }, [teams.data, since]);
  const option = useMemo(() => series && ({
    grid: { left: 40, right: 8, top: 30, bottom: 24 }, tooltip: { trigger: 'axis' }, legend: { type: 'scroll' },
    xAxis: { type: 'category', data: series[0]?.x ?? [] }, yAxis: { type: 'value', name: 'PRs merged' },
    series: series.map((s) => ({ type: 'line', name: s.name, data: s.data })),
  }), [series]);
  if (error) return <p className="muted">{error}</p>;
  if (!option) return null;
  return (
    <section className="card wide">
      <h2>Delivery trend across teams (PRs merged a week)</h2>
      <Chart option={option} label="Pull requests merged a week, one line per team" height={240} />
    </section>
  );
}

/** The risks worth a look: weak DORA bands, stale and unreviewed PRs, then the bottleneck notes. */
export function topRisks(dora: Family | null, pr: Family | null, bottlenecks: Family | null): string[] {
  const out: string[] = [];
  for (const m of dora?.metrics ?? []) {
    if (m.band === 'low' || m.band === 'medium') out.push(`${m.name} is in the ${m.band} band (${formatValue(m.value, m.unit)}).`);
  }
  const stale = metricOf(pr, 'pr.stale');
  const open = stale?.parts?.find((p) => p.key === 'open')?.value;
  if (stale?.value) out.push(`${stale.value} of ${open ?? '?'} open pull requests are stale.`);
  const unreviewed = metricOf(pr, 'pr.merged_without_review');
  if (unreviewed?.value && unreviewed.value >= 0.05) out.push(`${formatValue(unreviewed.value, 'ratio')} of merged pull requests had no review.`);
  return [...out, ...(bottlenecks?.metrics ?? []).flatMap((m) => m.notes ?? [])];
}

export function Executive({ me, scope, since, params }: ViewProps) {
  const dora = useFamily('dora', scope, since);
  const flow = useFamily('flow', scope, since);
  const risks = useFamily('bottlenecks', scope, since);
  const pr = useFamily('pr', scope, since, { metric: ['pr.stale', 'pr.merged_without_review'] });
  const mix = metricOf(flow.data, 'flow.investment_mix.type');
  const mixOption = useMemo(() => mix && ({
    tooltip: { trigger: 'item' }, legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['40%', '70%'], data: (mix.parts ?? []).filter((p) => p.value).map((p) => ({ name: p.key, value: p.value })) }],
  }), [mix]);
  if (dora.status === 403) return <Refused message={dora.error!} />;
  return (
    <>
      <DrillFor family="dora" params={params} scope={scope} since={since} />
      <WithFamily r={dora} name="dora">
        {(f) => (
          <>
            <Cards metrics={DORA_KEYS.map((k) => metricOf(f, k))} drillable={me.role !== 'viewer'} />
            {f.notes?.length ? <p className="muted small">{f.notes.join(' ')}</p> : null}
          </>
        )}
      </WithFamily>
      <div className="grid">
        {mix && mix.value && mixOption ? (
          <section className="card">
            <h2>Investment mix (issues done by type)</h2>
            <Chart option={mixOption} label="Investment mix by issue type" height={220} />
            <p className="completeness small">{mix.value ?? 0} issues done in the range.</p>
          </section>
        ) : null}
        {risks.data ? <Notes title="Top risks" notes={topRisks(dora.data, pr.data, risks.data)} /> : null}
      </div>
      {scope === 'org' && me.role !== 'viewer' ? <TeamsTrend since={since} /> : null}
    </>
  );
}
