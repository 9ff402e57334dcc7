// The drill-down named in the URL (`drill=<metric key>`): loads that metric's rows.
import type { Family } from '../lib/api';
import { navigate } from '../lib/route';
import { rangeQuery, scopeQuery } from '../lib/family';
import { useApi } from '../lib/useApi';
import { DrillTable } from './DrillTable';
import { ErrorNote, Loading } from './States';

/** Opens the rows behind `key`; from a chart point, only those of that bucket (`at`). */
export function openDrill(key: string, bucket: string | null = null): void {
  navigate(null, { drill: key, bucket });
}

export function Drill({ family, metricKey, scope, since }: { family: string; metricKey: string; scope: string; since: string }) {
  const r = useApi<Family>(`/metrics/${family}`, { ...scopeQuery(scope), ...rangeQuery(since), drill: true, metric: metricKey });
  if (r.loading) return <Loading what="rows" />;
  if (r.error) return <ErrorNote message={r.error} status={r.status} />;
  const m = r.data?.metrics.find((x) => x.key === metricKey);
  if (!m) return <ErrorNote message={`No metric ${metricKey}`} />;
  const bucket = new URLSearchParams(window.location.search).get('bucket');
  return <DrillTable metric={m} bucket={bucket} granularity={r.data!.granularity} onClose={() => navigate(null, { drill: null, bucket: null })} />;
}
