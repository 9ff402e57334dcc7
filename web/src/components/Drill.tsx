// The drill-down named in the URL (`drill=<metric key>`): loads that metric's rows.
import type { Family } from '../lib/api';
import { navigate } from '../lib/route';
import { rangeQuery, scopeQuery } from '../lib/family';
import { useApi } from '../lib/useApi';
import { DrillTable } from './DrillTable';
import { ErrorNote, Loading } from './States';

export function openDrill(key: string): void {
  navigate(null, { drill: key });
}

export function Drill({ family, metricKey, scope, since }: { family: string; metricKey: string; scope: string; since: string }) {
  const r = useApi<Family>(`/metrics/${family}`, { ...scopeQuery(scope), ...rangeQuery(since), drill: true, metric: metricKey });
  if (r.loading) return <Loading what="rows" />;
  if (r.error) return <ErrorNote message={r.error} status={r.status} />;
  const m = r.data?.metrics.find((x) => x.key === metricKey);
  if (!m) return <ErrorNote message={`No metric ${metricKey}`} />;
  return <DrillTable metric={m} onClose={() => navigate(null, { drill: null })} />;
}
