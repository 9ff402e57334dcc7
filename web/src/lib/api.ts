// The REST client: every call carries the session's token as a Bearer header and
// turns an error answer ({"error": {status, message}}) into an ApiError.
const TOKEN_KEY = 'sei.token';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

/** What the user should read for a refused or failed call. */
export function explain(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 403) return `Your role may not see this: ${err.message}`;
    if (err.status === 401) return 'Your session has ended: sign in again.';
    if (err.status === 404) return `Not found: ${err.message}`;
    return `The server answered ${err.status}: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

type Query = Record<string, string | number | boolean | string[] | undefined | null>;

export function queryString(q: Query = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => p.append(k, x));
    else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export async function api<T>(path: string, opts: { query?: Query; method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`/api/v1${path}${queryString(opts.query)}`, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: opts.signal,
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let doc: any = null;
  try {
    doc = text ? JSON.parse(text) : null;
  } catch {
    doc = null;
  }
  if (!res.ok) {
    const e = doc?.error;
    const details = Array.isArray(e?.details) ? ` (${e.details.map((d: any) => `${d.field}: ${d.reason}`).join('; ')})` : '';
    if (res.status === 401 && path !== '/login') window.dispatchEvent(new Event('sei:unauthorized'));
    throw new ApiError(res.status, (e?.message ?? res.statusText) + details);
  }
  return doc as T;
}

// --- shapes of the answers the app reads ---
export interface Dist { n: number; p50: number | null; p75: number | null; p90: number | null }
export interface Point { start: string; value: number | null; n: number }
export interface Part { key: string; value: number | null; unit?: string; series?: Point[] }
export interface Completeness { fraction: number | null; measured: number; total: number; notes: string[] }
export interface DrillRow { id: string; entity: string; title?: string; url?: string; at?: string; value?: number; [k: string]: unknown }
export interface Metric {
  key: string; name: string; value: number | null; unit: string; band?: string | null; band_year?: string;
  statistic?: string; parts?: Part[]; series?: Point[]; completeness: Completeness; notes?: string[];
  distribution?: Dist; rows?: DrillRow[];
}
export interface Family {
  family: string; scope: string; scope_name: string; since: string; until: string; granularity: string;
  metrics: Metric[]; notes?: string[]; data: { generation: number };
}
export interface Me { id: string; name: string; role: 'admin' | 'manager' | 'member' | 'viewer'; person_id: string | null; team_ids: string[] }
export interface Ref { id: string; name: string }
export interface ListPage<T> { items: T[]; total: number; next_cursor: string | null }
