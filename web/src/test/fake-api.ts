// A fake fetch for component tests: answers by path, records every call.
import { vi } from 'vitest';
import type { Family, Metric } from '../lib/api';

export type Handler = (url: URL, init: RequestInit) => { status?: number; body: unknown } | undefined;

export function fakeFetch(handler: Handler) {
  const calls: { url: URL; init: RequestInit }[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://sei.test');
    calls.push({ url, init });
    const r = handler(url, init) ?? { status: 404, body: { error: { status: 404, message: `no fake for ${url.pathname}` } } };
    return new Response(JSON.stringify(r.body), { status: r.status ?? 200, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fn);
  return calls;
}

export function metric(key: string, over: Partial<Metric> = {}): Metric {
  return {
    key, name: key, value: 1, unit: 'count', statistic: 'median',
    completeness: { fraction: 1, measured: 10, total: 10, notes: [] },
    series: [{ start: '2026-11-02T00:00:00Z', value: 1, n: 1 }], parts: [], ...over,
  };
}

export function family(name: string, metrics: Metric[]): Family {
  return { family: name, scope: 'org', scope_name: 'organisation', since: '2026-09-01T00:00:00Z', until: '2026-12-01T00:00:00Z', granularity: 'week', metrics, notes: [], data: { generation: 1 } };
}

export function forbidden(message = 'viewers may see organisation metrics only') {
  return { status: 403, body: { error: { status: 403, code: 'permission_denied', message } } };
}
