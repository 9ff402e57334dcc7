import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Settings } from '../views/Settings';
import type { Me } from '../lib/api';
import { fakeFetch } from './fake-api';

const admin: Me = { id: 'token:t1', name: 't1', role: 'admin', person_id: null, team_ids: [] };

describe('Settings: connections', () => {
  it('sends a secret once, never shows it, and lists only whether it is set', async () => {
    const connections = [{ id: 'github:acme', source: 'github', name: 'acme', base_url: null, secrets: { token: { set: false, updated_at: null }, webhook_secret: { set: false, updated_at: null } } }];
    const calls = fakeFetch((url, init) => {
      if (url.pathname !== '/api/v1/connections') return undefined;
      if (init.method === 'POST') {
        connections[0].secrets.token = { set: true, updated_at: '2026-12-02T05:00:00Z' } as never;
        return { status: 200, body: connections[0] };
      }
      return { body: { connections } };
    });
    render(<Settings me={admin} scope="org" since="90d" params={new URLSearchParams('tab=connections')} />);
    const row = (await screen.findByText('github:acme')).closest('tr')!;
    expect(within(row).getAllByText('not set')).toHaveLength(2);

    await userEvent.type(screen.getByLabelText('Name'), 'acme');
    await userEvent.type(screen.getByLabelText('API token'), 'ghp_secret123');
    expect(screen.getByLabelText('API token')).toHaveAttribute('type', 'password');
    await userEvent.click(screen.getByRole('button', { name: 'Save connection' }));

    await waitFor(() => expect(within(screen.getByText('github:acme').closest('tr')!).getByText('set 2026-12-02')).toBeInTheDocument());
    const post = calls.find((c) => c.init.method === 'POST')!;
    expect(JSON.parse(String(post.init.body))).toEqual({ source: 'github', name: 'acme', token: 'ghp_secret123' });
    expect(screen.getByLabelText('API token')).toHaveValue(''); // the form forgets it
    expect(document.body.textContent).not.toContain('ghp_secret123');
  });

  it('shows each connection\'s schedule and last run, and syncs one on demand', async () => {
    const schedule = (run: unknown, next: string | null, running = false) => ({ interval_seconds: 3600, next_run_at: next, running, last_run: run });
    const connections: any[] = [
      { id: 'github:acme', source: 'github', name: 'acme', base_url: null, config: { org: 'acme', interval_seconds: 3600 }, secrets: {}, schedule: schedule({ id: 7, scope: 'acme', status: 'failed', started_at: '2026-12-02T09:00:00Z', finished_at: '2026-12-02T09:01:00Z', items_added: 0, error: 'GitHub answered 401 to GET https://api.github.com/orgs/acme/repos: Bad credentials' }, '2026-12-02T09:06:00Z') },
      { id: 'push:ci', source: 'push', name: 'ci', base_url: null, config: null, secrets: {}, schedule: { interval_seconds: null, next_run_at: null, running: false, last_run: null, unscheduled: 'push sends webhooks or uses the push API' } },
    ];
    const calls = fakeFetch((url, init) => {
      if (decodeURIComponent(url.pathname) === '/api/v1/connections/github:acme/collect' && init.method === 'POST') {
        connections[0].schedule = schedule({ id: 8, scope: 'acme', status: 'running', started_at: '2026-12-02T10:00:00Z', finished_at: null, items_added: 0, error: null }, null, true);
        return { status: 202, body: { run_id: 8, runs: [{ id: 8, scope: 'acme', status: 'running' }], status_url: '/api/v1/collection-runs/8' } };
      }
      if (url.pathname !== '/api/v1/connections') return undefined;
      if (init.method === 'POST') return { status: 201, body: {} };
      return { body: { connections } };
    });
    render(<Settings me={admin} scope="org" since="90d" params={new URLSearchParams('tab=connections')} />);
    const row = (await screen.findByText('github:acme')).closest('tr')!;
    expect(within(row).getByText('every 1h')).toBeInTheDocument();
    expect(within(row).getByText('failed')).toBeInTheDocument();
    expect(within(row).getByRole('note')).toHaveTextContent('Bad credentials');
    expect(within(row).getByText('2026-12-02 09:06 UTC')).toBeInTheDocument();
    const push = screen.getByText('push:ci').closest('tr')!;
    expect(within(push).getByText('when asked')).toBeInTheDocument();
    expect(within(push).queryByRole('button', { name: 'Sync now' })).toBeNull();

    await userEvent.click(within(row).getByRole('button', { name: 'Sync now' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Collection of github:acme started (run 8).');
    await waitFor(() => expect(within(screen.getByText('github:acme').closest('tr')!).getByText('running now')).toBeInTheDocument());

    // A GitHub connection's scope and interval become its config.
    await userEvent.type(screen.getByLabelText('Name'), 'tools');
    await userEvent.type(screen.getByLabelText('Org or repositories'), 'acme/cli, acme/sdk');
    await userEvent.selectOptions(screen.getByLabelText('Sync every'), '15 minutes');
    await userEvent.click(screen.getByRole('button', { name: 'Save connection' }));
    await waitFor(() => expect(calls.some((c) => c.url.pathname === '/api/v1/connections' && c.init.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.url.pathname === '/api/v1/connections' && c.init.method === 'POST')!;
    expect(JSON.parse(String(post.init.body))).toEqual({ source: 'github', name: 'tools', config: { repos: ['acme/cli', 'acme/sdk'], interval_seconds: 900 } });
  });

  it('shows the server\'s field errors for a bad body', async () => {
    fakeFetch((url, init) => {
      if (url.pathname !== '/api/v1/connections') return undefined;
      if (init.method === 'POST') return { status: 400, body: { error: { status: 400, message: '1 invalid field', details: [{ field: 'base_url', reason: 'must be http or https' }] } } };
      return { body: { connections: [] } };
    });
    render(<Settings me={admin} scope="org" since="90d" params={new URLSearchParams('tab=connections')} />);
    await userEvent.type(await screen.findByLabelText('Name'), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Save connection' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('base_url: must be http or https');
  });
});

describe('Settings: users', () => {
  const base = () => [
    { id: 'u-1', name: 'Root', email: 'root@example.com', role: 'admin', team_id: null, person_id: null, password_set: true, disabled_at: null as string | null },
    { id: 'u-2', name: 'Bob', email: 'bob@example.com', role: 'member', team_id: 't-pay', person_id: 'p-bob', password_set: false, disabled_at: null as string | null },
  ];
  function serve(users: ReturnType<typeof base>, refuse?: { status: number; message: string }) {
    return fakeFetch((url, init) => {
      if (url.pathname === '/api/v1/teams') return { body: { teams: [{ id: 't-pay', name: 'Payments', members: [] }] } };
      if (url.pathname === '/api/v1/people') return { body: { people: [{ id: 'p-bob', name: 'Bob Stone', email: 'bob@example.com', bot: false }, { id: 'p-bot', name: 'dependabot', email: null, bot: true }] } };
      if (url.pathname === '/api/v1/users' && init.method === 'POST') {
        const b = JSON.parse(String(init.body));
        users.push({ id: 'u-3', team_id: null, person_id: null, disabled_at: null, ...b, password_set: !!b.password });
        return { status: 201, body: users[users.length - 1] };
      }
      const m = url.pathname.match(/^\/api\/v1\/users\/(.+)$/);
      if (m && init.method === 'PATCH') {
        if (refuse) return { status: refuse.status, body: { error: { status: refuse.status, message: refuse.message } } };
        const u = users.find((x) => x.id === decodeURIComponent(m[1]))!;
        const b = JSON.parse(String(init.body));
        if ('role' in b) u.role = b.role;
        if ('disabled' in b) u.disabled_at = b.disabled ? '2026-12-02T07:00:00Z' : null;
        if ('password' in b) u.password_set = true;
        return { body: u };
      }
      if (url.pathname === '/api/v1/users') return { body: { users } };
      return undefined;
    });
  }

  it('lists users with team, person and password state, and changes a role and the state in place', async () => {
    const users = base();
    const calls = serve(users);
    render(<Settings me={admin} scope="org" since="90d" params={new URLSearchParams('tab=users')} />);
    const bob = (await screen.findByRole('row', { name: /bob@example.com/ }));
    await waitFor(() => expect(within(bob).getByText('Payments')).toBeInTheDocument());
    expect(within(bob).getByText('Bob Stone')).toBeInTheDocument();
    expect(within(bob).getByText('none (tokens only)')).toBeInTheDocument();

    await userEvent.selectOptions(within(bob).getByLabelText('Role of bob@example.com'), 'manager');
    await waitFor(() => expect(within(screen.getByRole('row', { name: /bob@example.com/ })).getByLabelText('Role of bob@example.com')).toHaveValue('manager'));
    await userEvent.click(within(screen.getByRole('row', { name: /bob@example.com/ })).getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(within(screen.getByRole('row', { name: /bob@example.com/ })).getByText('disabled 2026-12-02')).toBeInTheDocument());
    const patches = calls.filter((c) => c.init.method === 'PATCH').map((c) => [c.url.pathname, JSON.parse(String(c.init.body))]);
    expect(patches).toEqual([['/api/v1/users/u-2', { role: 'manager' }], ['/api/v1/users/u-2', { disabled: true }]]);
  });

  it('adds a user without sending empty fields, and offers no bots as the person', async () => {
    const users = base();
    const calls = serve(users);
    render(<Settings me={admin} scope="org" since="90d" params={new URLSearchParams('tab=users')} />);
    const form = await screen.findByRole('form', { name: 'Add a user' });
    await waitFor(() => expect(within(form).getByRole('option', { name: /Bob Stone/ })).toBeInTheDocument());
    expect(within(form).queryByRole('option', { name: /dependabot/ })).toBeNull();
    await userEvent.type(within(form).getByLabelText('Email'), 'carol@example.com');
    await userEvent.type(within(form).getByLabelText('Name'), 'Carol');
    await userEvent.selectOptions(within(form).getByLabelText('Role'), 'viewer');
    await userEvent.click(within(form).getByRole('button', { name: 'Add user' }));
    expect(await screen.findByRole('row', { name: /carol@example.com/ })).toBeInTheDocument();
    const post = calls.find((c) => c.init.method === 'POST')!;
    expect(JSON.parse(String(post.init.body))).toEqual({ email: 'carol@example.com', name: 'Carol', role: 'viewer' });
  });

  it('says why the server refused a change, and keeps the row as it was', async () => {
    const users = base();
    serve(users, { status: 409, message: 'root@example.com is the last admin who can sign in' });
    render(<Settings me={admin} scope="org" since="90d" params={new URLSearchParams('tab=users')} />);
    const root = (await screen.findByRole('row', { name: /root@example.com/ }));
    await userEvent.selectOptions(within(root).getByLabelText('Role of root@example.com'), 'viewer');
    expect(await screen.findByRole('alert')).toHaveTextContent('last admin who can sign in');
    expect(users[0].role).toBe('admin');
  });
});
