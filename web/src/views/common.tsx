// Pieces every view uses: a family's loading/error/empty states, and a grid of
// metric cards with their drill-down.
import type { ReactNode } from 'react';
import type { Family, Metric } from '../lib/api';
import type { Loaded } from '../lib/useApi';
import { isEmpty } from '../lib/family';
import { Drill, openDrill } from '../components/Drill';
import { MetricCard } from '../components/MetricCard';
import { CONNECT_HINT, Empty, ErrorNote, FAMILY_LABEL, Loading } from '../components/States';

/** Renders `children(family)` once it loaded with data; else what to show instead. */
export function WithFamily({ r, name, children }: { r: Loaded<Family>; name: string; children: (f: Family) => ReactNode }) {
  if (r.error) return <ErrorNote message={r.error} status={r.status} />;
  if (!r.data) return <Loading what={`${name} metrics`} />;
  if (isEmpty(r.data)) return <Empty>No {FAMILY_LABEL[name] ?? name} data for this scope and range. {CONNECT_HINT[name]}</Empty>;
  return <>{children(r.data)}</>;
}

/** A view the role may not see at this scope: one message, and what it may see instead. */
export function Refused({ message }: { message: string }) {
  return (
    <>
      <ErrorNote message={message} status={403} />
      <p className="muted">Choose “Organisation” as the scope to see the organisation-wide numbers.</p>
    </>
  );
}

export function Cards({ metrics, drillable = true }: { metrics: (Metric | undefined)[]; drillable?: boolean }) {
  return (
    <div className="grid">
      {metrics.filter((m): m is Metric => !!m).map((m) => (
        <MetricCard key={m.key} metric={m} onDrill={drillable ? (bucket) => openDrill(m.key, bucket ?? null) : undefined} />
      ))}
    </div>
  );
}

/** The drill-down of the URL, when it names a metric of `family`. */
export function DrillFor({ family, params, scope, since }: { family: string; params: URLSearchParams; scope: string; since: string }) {
  const key = params.get('drill');
  if (!key || !key.startsWith(`${family}.`)) return null;
  return <Drill family={family} metricKey={key} scope={scope} since={since} />;
}

export function Notes({ title, notes }: { title: string; notes: string[] }) {
  if (!notes.length) return null;
  return (
    <section className="card callouts" aria-label={title}>
      <h2>{title}</h2>
      <ul>{notes.map((n) => <li key={n}>{n}</li>)}</ul>
    </section>
  );
}
