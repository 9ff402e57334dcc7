// The URL is the state that can be shared: the view is the path, the scope
// (`org`, `team:ID`, `project:ID`, `repo:ID`), the range and an open drill-down are
// query parameters. Changing them pushes a history entry.
import { useEffect, useState } from 'react';

export interface Route { view: string; params: URLSearchParams }

export const RANGES = ['30d', '90d', '180d', '1y'] as const;

function read(): Route {
  const view = window.location.pathname.replace(/^\/+|\/+$/g, '') || 'executive';
  return { view, params: new URLSearchParams(window.location.search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('popstate', on);
    window.addEventListener('sei:navigate', on);
    return () => {
      window.removeEventListener('popstate', on);
      window.removeEventListener('sei:navigate', on);
    };
  }, []);
  return route;
}

/** Goes to `view` (or stays), with `changes` applied to the query (null removes a key). */
export function navigate(view: string | null, changes: Record<string, string | null> = {}, keep = true): void {
  const cur = read();
  const params = keep ? new URLSearchParams(cur.params) : new URLSearchParams();
  if (keep && view && view !== cur.view) {
    params.delete('drill');
    params.delete('bucket');
  }
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) params.delete(k);
    else params.set(k, v);
  }
  const qs = params.toString();
  window.history.pushState(null, '', `/${view ?? cur.view}${qs ? `?${qs}` : ''}`);
  window.dispatchEvent(new Event('sei:navigate'));
}

export function scopeOf(params: URLSearchParams): string {
  return params.get('scope') || 'org';
}
export function sinceOf(params: URLSearchParams): string {
  return params.get('since') || '90d';
}
