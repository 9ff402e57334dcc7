// Admin settings over the routes the OpenAPI document lists: connections (secrets
// write-only), teams and members, identity merges (and undo), tokens, users.
import { useState, type FormEvent, type ReactNode } from 'react';
import type { ViewProps } from '../App';
import { api, explain } from '../lib/api';
import { formatDate } from '../lib/format';
import { navigate } from '../lib/route';
import { useApi } from '../lib/useApi';
import { ErrorNote, Loading } from '../components/States';

const TABS = ['connections', 'teams', 'identity', 'tokens', 'users', 'audit'] as const;

/** A form that posts, reports the error or calls `done`. */
function useSubmit(action: (form: FormData) => Promise<unknown>, done: () => void) {
  const [error, setError] = useState<string | null>(null);
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    setError(null);
    try {
      await action(new FormData(form));
      form.reset();
      done();
    } catch (err) {
      setError(explain(err));
    }
  };
  return { error, onSubmit };
}

function str(f: FormData, k: string): string | undefined {
  const v = String(f.get(k) ?? '').trim();
  return v || undefined;
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return <section className="card wide"><h2>{title}</h2>{children}</section>;
}

/** When: a date and time in UTC, minutes precision. */
function when(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—';
}

/** The connection form's GitHub scope: an org, or OWNER/NAME repositories. */
function githubConfig(d: FormData): Record<string, unknown> | undefined {
  const scope = str(d, 'scope');
  if (!scope) return undefined;
  const parts = scope.split(/[\s,]+/).filter(Boolean);
  const config: Record<string, unknown> = parts.some((p) => p.includes('/')) ? { repos: parts } : { org: parts[0] };
  config.interval_seconds = Number(str(d, 'interval') ?? 3600);
  return config;
}

/** 3600 -> "1h", 900 -> "15m", 86400 -> "1d". */
function interval(s: number): string {
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

const COLLECTS = (id: string) => id === 'git:local' || id.startsWith('github:');

function Schedule({ s }: { s: any }) {
  if (!s) return <>—</>;
  if (s.interval_seconds === null) return <span title={s.unscheduled}>when asked</span>;
  return <>every {interval(s.interval_seconds)}</>;
}

function LastRun({ run }: { run: any }) {
  if (!run) return <>never</>;
  return (
    <>
      <span className={`run-${run.status}`}>{run.status}</span> {when(run.finished_at ?? run.started_at)}
      {run.error ? <div className="muted small" role="note">{run.error}</div> : null}
    </>
  );
}

function Connections() {
  const list = useApi<{ connections: any[] }>('/connections');
  const [source, setSource] = useState('github');
  const [note, setNote] = useState<string | null>(null);
  const f = useSubmit((d) => {
    const src = str(d, 'source');
    return api('/connections', { method: 'POST', body: { source: src, name: str(d, 'name'), base_url: str(d, 'base_url'), token: str(d, 'token'), webhook_secret: str(d, 'webhook_secret'), config: src === 'github' ? githubConfig(d) : undefined } });
  }, list.reload);
  const sync = async (id: string) => {
    setNote(null);
    try {
      const r = await api<{ run_id: number }>(`/connections/${encodeURIComponent(id)}/collect`, { method: 'POST', body: {} });
      setNote(`Collection of ${id} started (run ${r.run_id}).`);
    } catch (err) {
      setNote(explain(err));
    }
    list.reload();
  };
  return (
    <Panel title="Connections">
      {list.error ? <ErrorNote message={list.error} status={list.status} /> : !list.data ? <Loading what="connections" /> : (
        <table><thead><tr><th scope="col">Id</th><th scope="col">Base URL</th><th scope="col">Token</th><th scope="col">Webhook secret</th><th scope="col">Schedule</th><th scope="col">Last run</th><th scope="col">Next run</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>{list.data.connections.map((c) => (
            <tr key={c.id}><td>{c.id}</td><td>{c.base_url ?? '—'}</td>
              <td>{c.secrets?.token?.set ? `set ${formatDate(c.secrets.token.updated_at)}` : 'not set'}</td>
              <td>{c.secrets?.webhook_secret?.set ? `set ${formatDate(c.secrets.webhook_secret.updated_at)}` : 'not set'}</td>
              <td><Schedule s={c.schedule} /></td>
              <td><LastRun run={c.schedule?.last_run} /></td>
              <td>{c.schedule?.running ? 'running now' : when(c.schedule?.next_run_at)}</td>
              <td>{COLLECTS(c.id) ? <button type="button" onClick={() => sync(c.id)}>Sync now</button> : null}
                <button type="button" onClick={() => confirm(`Delete ${c.id}? Collected data stays.`) && api(`/connections/${encodeURIComponent(c.id)}`, { method: 'DELETE' }).then(list.reload)}>Delete</button></td></tr>
          ))}</tbody></table>
      )}
      {note ? <p role="status">{note}</p> : null}
      <form className="inline" onSubmit={f.onSubmit} aria-label="Add or update a connection">
        <label>Source<select name="source" value={source} onChange={(e) => setSource(e.target.value)}>{['github', 'gitlab', 'jira', 'linear', 'jenkins', 'pagerduty', 'git', 'push'].map((s) => <option key={s}>{s}</option>)}</select></label>
        <label>Name<input name="name" required /></label>
        <label>Base URL<input name="base_url" type="url" /></label>
        {source === 'github' ? (
          <>
            <label>Org or repositories<input name="scope" placeholder="acme, or acme/api acme/web" /></label>
            <label>Sync every<select name="interval" defaultValue="3600">
              {[['900', '15 minutes'], ['3600', 'hour'], ['21600', '6 hours'], ['86400', 'day'], ['0', 'only when asked']].map(([v, t]) => <option key={v} value={v}>{t}</option>)}
            </select></label>
          </>
        ) : null}
        <label>API token<input name="token" type="password" autoComplete="off" /></label>
        <label>Webhook secret<input name="webhook_secret" type="password" autoComplete="off" /></label>
        <button type="submit">Save connection</button>
        <p className="muted small">Secrets are write-only: they are sealed on the server and never shown again.</p>
        {f.error ? <ErrorNote message={f.error} /> : null}
      </form>
    </Panel>
  );
}

function Teams() {
  const list = useApi<{ teams: any[] }>('/teams');
  const add = useSubmit((d) => api('/teams', { method: 'POST', body: { name: str(d, 'name'), parent: str(d, 'parent') } }), list.reload);
  const member = useSubmit((d) => api(`/teams/${encodeURIComponent(str(d, 'team') ?? '')}/members`, { method: 'POST', body: { person: str(d, 'person'), role: str(d, 'role') } }), list.reload);
  return (
    <Panel title="Teams and members">
      {list.error ? <ErrorNote message={list.error} status={list.status} /> : !list.data ? <Loading what="teams" /> : (
        <ul className="rows">{list.data.teams.map((t) => (
          <li key={t.id}><strong>{t.name}</strong> <span className="muted small">{t.id}</span>: {t.members.filter((m: any) => m.current).map((m: any) => m.name).join(', ') || 'no members'}</li>
        ))}</ul>
      )}
      <form className="inline" onSubmit={add.onSubmit} aria-label="Create a team">
        <label>New team<input name="name" required /></label>
        <label>Parent (id or name)<input name="parent" /></label>
        <button type="submit">Create team</button>
        {add.error ? <ErrorNote message={add.error} /> : null}
      </form>
      <form className="inline" onSubmit={member.onSubmit} aria-label="Add a member">
        <label>Team<select name="team">{list.data?.teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}</select></label>
        <label>Person (id or email)<input name="person" required /></label>
        <label>Role<input name="role" placeholder="engineer" /></label>
        <button type="submit">Add member</button>
        {member.error ? <ErrorNote message={member.error} /> : null}
        <p className="muted small">Teams from the config file belong to the file: the server refuses to change them (edit the file and run sei identity resolve).</p>
      </form>
    </Panel>
  );
}

function Identity() {
  const list = useApi<{ overrides: any[] }>('/identity/overrides');
  const merge = useSubmit((d) => api('/identity/merges', { method: 'POST', body: { account: str(d, 'account'), other: str(d, 'other'), name: str(d, 'name') } }), list.reload);
  return (
    <Panel title="Identity merges">
      <form className="inline" onSubmit={merge.onSubmit} aria-label="Merge two identities">
        <label>Account<input name="account" required placeholder="ann@home.example" /></label>
        <label>Merge with<input name="other" required placeholder="ann@example.com" /></label>
        <label>Name of the person<input name="name" /></label>
        <button type="submit">Merge</button>
        {merge.error ? <ErrorNote message={merge.error} /> : null}
      </form>
      <h3>Overrides in force</h3>
      {list.error ? <ErrorNote message={list.error} status={list.status} /> : !list.data ? <Loading what="overrides" /> : list.data.overrides.length === 0 ? <p className="muted">No manual merges or splits.</p> : (
        <ul className="rows">{list.data.overrides.map((o) => (
          <li key={o.id}>{o.id}: {o.kind ?? o.action ?? ''} {o.account ?? ''} {o.other ?? ''} <button type="button" onClick={() => api(`/identity/overrides/${encodeURIComponent(o.id)}`, { method: 'DELETE' }).then(list.reload)}>Undo</button></li>
        ))}</ul>
      )}
    </Panel>
  );
}

function Tokens() {
  const list = useApi<{ tokens: any[] }>('/tokens');
  const [made, setMade] = useState<string | null>(null);
  const create = useSubmit(async (d) => {
    const r = await api<{ token: string }>('/tokens', { method: 'POST', body: { role: str(d, 'role'), name: str(d, 'name'), user: str(d, 'user') } });
    setMade(r.token);
  }, list.reload);
  return (
    <Panel title="Tokens">
      {list.error ? <ErrorNote message={list.error} status={list.status} /> : !list.data ? <Loading what="tokens" /> : (
        <table><thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Role</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>{list.data.tokens.map((t) => (
            <tr key={t.id}><td>{t.name}</td><td><code>{t.prefix}</code></td><td>{t.role}</td><td>{formatDate(t.last_used_at)}</td><td>{t.revoked_at ? 'revoked' : 'active'}</td>
              <td>{t.revoked_at ? null : <button type="button" onClick={() => api(`/tokens/${encodeURIComponent(t.id)}`, { method: 'DELETE' }).then(list.reload)}>Revoke</button>}</td></tr>
          ))}</tbody></table>
      )}
      <form className="inline" onSubmit={create.onSubmit} aria-label="Create a token">
        <label>Role<select name="role" defaultValue="viewer">{['viewer', 'member', 'manager', 'admin'].map((r) => <option key={r}>{r}</option>)}</select></label>
        <label>Name<input name="name" /></label>
        <label>User email (optional)<input name="user" type="email" /></label>
        <button type="submit">Create token</button>
        {create.error ? <ErrorNote message={create.error} /> : null}
      </form>
      {made ? <p role="status">New token (shown once, copy it now): <code data-testid="new-token">{made}</code></p> : null}
    </Panel>
  );
}

interface User { id: string; name: string; email: string; role: string; team_id: string | null; person_id: string | null; password_set: boolean; disabled_at: string | null }
const ROLES = ['viewer', 'member', 'manager', 'admin'];

export function Users() {
  const list = useApi<{ users: User[] }>('/users');
  const teams = useApi<{ teams: { id: string; name: string }[] }>('/teams');
  const people = useApi<{ people: { id: string; name: string; email: string | null; bot: boolean }[] }>('/people');
  const [rowError, setRowError] = useState<string | null>(null);
  const change = (u: User, body: Record<string, unknown>) => {
    setRowError(null);
    api(`/users/${encodeURIComponent(u.id)}`, { method: 'PATCH', body }).then(list.reload, (e) => setRowError(`${u.email}: ${explain(e)}`));
  };
  const add = useSubmit((d) => api('/users', { method: 'POST', body: { email: str(d, 'email'), name: str(d, 'name'), role: str(d, 'role'), team_id: str(d, 'team_id'), person_id: str(d, 'person_id'), password: str(d, 'password') } }), list.reload);
  const pw = useSubmit((d) => api(`/users/${encodeURIComponent(str(d, 'user') ?? '')}`, { method: 'PATCH', body: { password: str(d, 'password') } }), list.reload);
  const teamName = (id: string | null) => (id ? teams.data?.teams.find((t) => t.id === id)?.name ?? id : '—');
  const personName = (id: string | null) => (id ? people.data?.people.find((p) => p.id === id)?.name ?? id : '—');
  return (
    <Panel title="Users">
      {list.error ? <ErrorNote message={list.error} status={list.status} /> : !list.data ? <Loading what="users" /> : list.data.users.length === 0 ? <p className="muted">No users yet: add one below (API tokens work without users).</p> : (
        <div className="table-wrap">
          <table data-testid="users"><thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Team</th><th scope="col">Person</th><th scope="col">Password</th><th scope="col">State</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>{list.data.users.map((u) => (
              <tr key={u.id} data-user={u.email}>
                <td>{u.name}</td><td>{u.email}</td>
                <td><select aria-label={`Role of ${u.email}`} value={u.role} onChange={(e) => change(u, { role: e.target.value })}>{ROLES.map((r) => <option key={r}>{r}</option>)}</select></td>
                <td>{teamName(u.team_id)}</td><td>{personName(u.person_id)}</td>
                <td>{u.password_set ? 'set' : 'none (tokens only)'}</td>
                <td>{u.disabled_at ? `disabled ${formatDate(u.disabled_at)}` : 'active'}</td>
                <td><button type="button" onClick={() => change(u, { disabled: !u.disabled_at })}>{u.disabled_at ? 'Enable' : 'Disable'}</button></td>
              </tr>
            ))}</tbody></table>
        </div>
      )}
      {rowError ? <ErrorNote message={rowError} /> : null}
      <form className="inline" onSubmit={add.onSubmit} aria-label="Add a user">
        <label>Email<input name="email" type="email" required /></label>
        <label>Name<input name="name" required /></label>
        <label>Role<select name="role" defaultValue="member">{ROLES.map((r) => <option key={r}>{r}</option>)}</select></label>
        <label>Team<select name="team_id" defaultValue=""><option value="">none</option>{teams.data?.teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}</select></label>
        <label>Person (their own metrics)<select name="person_id" defaultValue=""><option value="">none</option>{people.data?.people.filter((p) => !p.bot).map((p) => <option key={p.id} value={p.id}>{p.name}{p.email ? ` <${p.email}>` : ''}</option>)}</select></label>
        <label>Password (10+ characters; empty: tokens only)<input name="password" type="password" autoComplete="new-password" minLength={10} /></label>
        <button type="submit">Add user</button>
        {add.error ? <ErrorNote message={add.error} /> : null}
      </form>
      {list.data && list.data.users.length > 0 ? (
        <form className="inline" onSubmit={pw.onSubmit} aria-label="Set a password">
          <label>User<select name="user">{list.data.users.map((u) => <option key={u.id} value={u.id}>{u.email}</option>)}</select></label>
          <label>New password<input name="password" type="password" autoComplete="new-password" minLength={10} required /></label>
          <button type="submit">Set password</button>
          {pw.error ? <ErrorNote message={pw.error} /> : null}
        </form>
      ) : null}
      <p className="muted small">Disabling stops the user's tokens and sessions at once. A lowered role acts at once; a raised one reaches a signed-in session at its next sign-in. The server refuses to demote or disable the last admin.</p>
    </Panel>
  );
}

function Audit() {
  const [before, setBefore] = useState<number | null>(null);
  const list = useApi<{ entries: any[]; next_before: number | null }>('/audit-log', { limit: 50, before });
  return (
    <Panel title="Audit log">
      {list.error ? <ErrorNote message={list.error} status={list.status} /> : !list.data ? <Loading what="the audit log" /> : (
        <div className="table-wrap">
          <table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Target</th><th scope="col">Outcome</th></tr></thead>
            <tbody>{list.data.entries.map((e) => (
              <tr key={e.id} data-row-id={e.id}><td>{String(e.at).replace('T', ' ').slice(0, 16)}</td><td>{e.actor}</td><td>{e.action}<span className="muted small"> {e.detail}</span></td><td>{e.target}</td><td>{e.outcome}</td></tr>
            ))}</tbody></table>
        </div>
      )}
      <p>
        {before !== null ? <button type="button" onClick={() => setBefore(null)}>Newest</button> : null}{' '}
        {list.data?.next_before ? <button type="button" onClick={() => setBefore(list.data!.next_before)}>Older</button> : null}
      </p>
      <p className="muted small">Secrets, tokens and passwords never reach the audit log.</p>
    </Panel>
  );
}

const PANELS: Record<(typeof TABS)[number], () => JSX.Element> = { connections: Connections, teams: Teams, identity: Identity, tokens: Tokens, users: Users, audit: Audit };

export function Settings({ params }: ViewProps) {
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as (typeof TABS)[number]) : 'connections';
  const P = PANELS[tab];
  return (
    <>
      <nav aria-label="Settings" className="tabs">
        {TABS.map((t) => (
          <a key={t} href={`/settings?tab=${t}`} aria-current={t === tab ? 'page' : undefined} onClick={(e) => { e.preventDefault(); navigate('settings', { tab: t }, false); }}>{t}</a>
        ))}
      </nav>
      <P />
    </>
  );
}
