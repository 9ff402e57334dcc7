// Loads one API answer for a component and reloads it when its inputs change, or
// when the live stream names one of `liveScopes` (or says everything changed).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, explain } from './api';
import { onChange, touches } from './events';

export interface Loaded<T> { data: T | null; error: string | null; status: number | null; loading: boolean; reload: () => void }

export function useApi<T>(path: string | null, query: Record<string, any> = {}, liveScopes: string[] | null = null): Loaded<T> {
  const key = path === null ? null : `${path}?${JSON.stringify(query)}`;
  const [state, setState] = useState<{ data: T | null; error: string | null; status: number | null; loading: boolean }>({
    data: null, error: null, status: null, loading: path !== null,
  });
  const [tick, setTick] = useState(0);
  const queryRef = useRef(query);
  queryRef.current = query;
  useEffect(() => {
    if (path === null) return;
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api<T>(path, { query: queryRef.current, signal: ctrl.signal }).then(
      (data) => setState({ data, error: null, status: 200, loading: false }),
      (err) => {
        if (ctrl.signal.aborted) return;
        setState({ data: null, error: explain(err), status: err?.status ?? null, loading: false });
      },
    );
    return () => ctrl.abort();
  }, [key, tick]);
  const scopesKey = liveScopes ? liveScopes.join(',') : null;
  useEffect(() => {
    if (!scopesKey) return;
    const scopes = scopesKey.split(',');
    return onChange((c) => {
      if (touches(c, scopes)) setTick((t) => t + 1);
    });
  }, [scopesKey]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
