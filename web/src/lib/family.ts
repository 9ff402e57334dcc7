// Loading a metrics family for the view's scope and range, refreshed live.
import type { Family, Metric } from './api';
import { useApi, type Loaded } from './useApi';

/** The API query for a scope written `kind:id` (or `org`). */
export function scopeQuery(scope: string): Record<string, string> {
  return scope === 'org' ? {} : { scope };
}

/** The range of the URL: `since` (a length back or a date) and, when given, `until`. */
export function rangeQuery(since: string): Record<string, string> {
  const until = new URLSearchParams(window.location.search).get('until');
  return until ? { since, until } : { since };
}

/** Scopes whose change should refresh a view of `scope`. */
export function liveScopesFor(scope: string): string[] {
  return scope === 'org' ? ['org'] : [scope];
}

export function useFamily(family: string, scope: string, since: string, extra: Record<string, any> = {}): Loaded<Family> {
  return useApi<Family>(`/metrics/${family}`, { ...scopeQuery(scope), ...rangeQuery(since), ...extra }, liveScopesFor(scope));
}

export function metricOf(f: Family | null, key: string): Metric | undefined {
  return f?.metrics.find((m) => m.key === key);
}

/** Whether a family measured anything at all (else the view says what to connect). */
export function isEmpty(f: Family | null): boolean {
  return !!f && f.metrics.every((m) => m.completeness.total === 0 && (m.value === null || m.value === 0));
}
