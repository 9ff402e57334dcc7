// One metric: its value, band, trend and how complete its data is; a button opens
// the rows behind it.
import { useMemo } from 'react';
import type { Metric } from '../lib/api';
import { chartScale, completenessText, formatValue } from '../lib/format';
import { Chart } from './Chart';

export function trendOption(m: Metric, kind: 'line' | 'bar' = 'line') {
  const { factor, label } = chartScale(m.unit);
  const pts = m.series ?? [];
  return {
    grid: { left: 44, right: 8, top: 10, bottom: 24 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: pts.map((p) => p.start.slice(5, 10)) },
    yAxis: { type: 'value', name: label, nameTextStyle: { fontSize: 10 } },
    series: [{ type: kind, name: m.name, data: pts.map((p) => (p.value === null ? null : +(p.value * factor).toFixed(2))), connectNulls: false }],
  };
}

export function MetricCard({ metric, onDrill, kind }: { metric: Metric; onDrill?: (bucket?: string) => void; kind?: 'line' | 'bar' }) {
  const option = useMemo(() => trendOption(metric, kind), [metric, kind]);
  const hasSeries = (metric.series?.length ?? 0) > 0;
  return (
    <section className="card" aria-labelledby={`h-${metric.key}`} data-metric={metric.key}>
      <header className="card-head">
        <h2 id={`h-${metric.key}`}>{metric.name}</h2>
        {metric.band ? <span className={`band band-${metric.band}`} title={`DORA ${metric.band_year} band`}>{metric.band}</span> : null}
      </header>
      <p className="value" data-testid={`value-${metric.key}`} data-value={metric.value ?? ''}>{formatValue(metric.value, metric.unit)}</p>
      {metric.statistic ? <p className="muted small">{metric.statistic} over the range</p> : null}
      {hasSeries ? <Chart option={option} label={`${metric.name} by week`} onClick={onDrill ? (p) => onDrill(metric.series?.[p.dataIndex]?.start) : undefined} /> : null}
      <p className="completeness small" data-testid={`completeness-${metric.key}`}>{completenessText(metric.completeness)}</p>
      {onDrill ? (
        <button type="button" className="link" onClick={() => onDrill()}>
          Show the rows behind {metric.name.toLowerCase()}
        </button>
      ) : null}
    </section>
  );
}
