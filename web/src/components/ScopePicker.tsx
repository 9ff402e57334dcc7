// Scope (organisation, team, project, repo) and time range, both kept in the URL.
import type { Ref } from '../lib/api';
import { navigate, RANGES } from '../lib/route';
import { useApi } from '../lib/useApi';

export function ScopePicker({ scope, since }: { scope: string; since: string }) {
  const teams = useApi<{ teams: Ref[] }>('/teams');
  const projects = useApi<{ projects: Ref[] }>('/projects');
  const repos = useApi<{ repos: Ref[] }>('/repos');
  const group = (label: string, kind: string, list: Ref[] | undefined) =>
    list && list.length ? (
      <optgroup label={label}>
        {list.map((x) => <option key={x.id} value={`${kind}:${x.id}`}>{x.name}</option>)}
      </optgroup>
    ) : null;
  return (
    <section className="pickers" aria-label="Scope and range">
      <label>
        Scope
        <select value={scope} onChange={(e) => navigate(null, { scope: e.target.value === 'org' ? null : e.target.value, drill: null, bucket: null })}>
          <option value="org">Organisation</option>
          {group('Teams', 'team', teams.data?.teams)}
          {group('Projects', 'project', projects.data?.projects)}
          {group('Repositories', 'repo', repos.data?.repos)}
        </select>
      </label>
      <label>
        Range
        <select value={since} onChange={(e) => navigate(null, { since: e.target.value, drill: null, bucket: null })}>
          {(RANGES as readonly string[]).includes(since) ? null : <option value={since}>since {since}</option>}
          {RANGES.map((r) => <option key={r} value={r}>last {r}</option>)}
        </select>
      </label>
    </section>
  );
}
