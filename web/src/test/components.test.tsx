import { describe, expect, it, beforeEach, vi } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Login } from '../components/Login';
import { Executive } from '../views/Executive';
import { emitChange } from '../lib/events';
import type { Me } from '../lib/api';
import { family, fakeFetch, forbidden, metric } from './fake-api';

// Charts are drawn in the browser run (e2e); jsdom has no canvas to measure text.
vi.mock('../components/Chart', () => ({ Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} /> }));

const admin: Me = { id: 'token:t1', name: 'token t1', role: 'admin', person_id: null, team_ids: [] };
const viewer: Me = { ...admin, role: 'viewer' };

const dora = family('dora', [
  metric('dora.deployment_frequency', { name: 'Deployment frequency', value: 16.64, unit: 'per_week', band: 'elite', band_year: '2023' }),
  metric('dora.lead_time', {
    name: 'Lead time for changes', value: 348971, unit: 'seconds', band: 'high', band_year: '2023',
    completeness: { fraction: 0.94, measured: 201, total: 214, notes: ['6% of successful production deployments shipped no new change'] },
    rows: [{ id: 'demo:ci:deployment:api/production/43', entity: 'deployment', title: 'api to production', at: '2026-09-04T13:48:34Z', url: 'https://ci.example/api/43', value: 7200 }],
  }),
]);

function answer(url: URL) {
  if (url.pathname === '/api/v1/metrics/dora') return { body: dora };
  if (url.pathname === '/api/v1/metrics/flow') return { body: family('flow', []) };
  if (url.pathname === '/api/v1/metrics/bottlenecks') return { body: family('bottlenecks', [metric('bottlenecks.pr_stage', { notes: ['deploy holds work longest'] })]) };
  if (url.pathname === '/api/v1/teams') return { body: { teams: [] } };
  if (url.pathname === '/api/v1/metrics/pr') return { body: family('pr', [metric('pr.stale', { value: 38, parts: [{ key: 'open', value: 41 }, { key: 'stale', value: 38 }] })]) };
  return undefined;
}

beforeEach(() => window.history.replaceState(null, '', '/executive'));

describe('Login', () => {
  it('checks a pasted token with /me, sends it as a Bearer header and keeps it in sessionStorage', async () => {
    const calls = fakeFetch((url) => (url.pathname === '/api/v1/me' ? { body: admin } : undefined));
    let signedIn: Me | null = null;
    render(<Login onSignedIn={(m) => (signedIn = m)} />);
    await userEvent.type(screen.getByLabelText('API token'), 'sei_abc');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(signedIn).toEqual(admin));
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe('Bearer sei_abc');
    expect(sessionStorage.getItem('sei.token')).toBe('sei_abc');
  });

  it('signs in with email and password through POST /login', async () => {
    const calls = fakeFetch((url, init) => {
      if (url.pathname === '/api/v1/login' && init.method === 'POST') return { body: { token: 'sei_session' } };
      if (url.pathname === '/api/v1/me') return { body: admin };
      return undefined;
    });
    render(<Login onSignedIn={() => {}} />);
    await userEvent.click(screen.getByLabelText('email and password'));
    await userEvent.type(screen.getByLabelText('Email'), 'ann@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ email: 'ann@example.com', password: 'correct horse' });
    expect((calls[1].init.headers as Record<string, string>).Authorization).toBe('Bearer sei_session');
  });

  it('says so when the token is refused, and forgets it', async () => {
    fakeFetch(() => ({ status: 401, body: { error: { status: 401, message: 'unauthenticated' } } }));
    render(<Login onSignedIn={() => {}} />);
    await userEvent.type(screen.getByLabelText('API token'), 'sei_bad');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/did not work/);
    expect(sessionStorage.getItem('sei.token')).toBeNull();
  });
});

describe('Executive view', () => {
  it('shows the API values with band and completeness, and drills to the rows with source links', async () => {
    fakeFetch(answer);
    render(<Executive me={admin} scope="org" since="90d" params={new URLSearchParams()} />);
    expect(await screen.findByTestId('value-dora.lead_time')).toHaveTextContent('4.0d');
    expect(screen.getByTestId('value-dora.deployment_frequency')).toHaveTextContent('16.6/week');
    const card = screen.getByTestId('value-dora.lead_time').closest('section')!;
    expect(within(card).getByText('high')).toBeInTheDocument();
    expect(screen.getByTestId('completeness-dora.lead_time')).toHaveTextContent('94% complete (201 of 214 measured). 6% of successful');
    const risks = screen.getByRole('region', { name: 'Top risks' });
    expect(within(risks).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '38 of 41 open pull requests are stale.',
      'deploy holds work longest',
    ]);

    await userEvent.click(screen.getByRole('button', { name: /rows behind lead time/ }));
    expect(new URLSearchParams(window.location.search).get('drill')).toBe('dora.lead_time');
  });

  it('renders the drill-down named in the URL', async () => {
    const calls = fakeFetch(answer);
    render(<Executive me={admin} scope="org" since="90d" params={new URLSearchParams('drill=dora.lead_time')} />);
    const drill = await screen.findByTestId('drill');
    expect(within(drill).getByRole('link', { name: 'open' })).toHaveAttribute('href', 'https://ci.example/api/43');
    expect(within(drill).getByText('api to production')).toBeInTheDocument();
    const q = calls.find((c) => c.url.searchParams.get('drill') === 'true')!.url.searchParams;
    expect(q.get('metric')).toBe('dora.lead_time');
  });

  it('says what to connect when nothing was measured, instead of showing zeros', async () => {
    const none = { fraction: null, measured: 0, total: 0, notes: [] };
    fakeFetch((url) => (url.pathname === '/api/v1/metrics/dora'
      ? { body: family('dora', [metric('dora.lead_time', { value: null, completeness: none })]) }
      : answer(url)));
    render(<Executive me={admin} scope="org" since="90d" params={new URLSearchParams()} />);
    expect(await screen.findByText(/No deployment \(DORA\) data for this scope and range/)).toHaveTextContent('Connect a CI/CD pipeline');
    expect(screen.queryByTestId('value-dora.lead_time')).toBeNull();
  });

  it('explains a 403 instead of showing numbers', async () => {
    fakeFetch((url) => (url.pathname.startsWith('/api/v1/metrics') ? forbidden() : answer(url)));
    render(<Executive me={viewer} scope="team:demo:team:payments" since="90d" params={new URLSearchParams()} />);
    const alerts = await screen.findAllByRole('alert');
    expect(alerts[0]).toHaveTextContent('Not available to your role');
    expect(alerts[0]).toHaveTextContent('viewers may see organisation metrics only');
    expect(screen.queryByTestId('value-dora.lead_time')).toBeNull();
  });

  it('refetches when the live stream names its scope, not for another scope', async () => {
    const calls = fakeFetch(answer);
    render(<Executive me={admin} scope="team:demo:team:payments" since="90d" params={new URLSearchParams()} />);
    await screen.findByTestId('value-dora.lead_time');
    const doraCalls = () => calls.filter((c) => c.url.pathname === '/api/v1/metrics/dora').length;
    const before = doraCalls();
    act(() => emitChange({ all: false, scopes: ['team:demo:team:data'], generation: 2 }));
    expect(doraCalls()).toBe(before);
    act(() => emitChange({ all: false, scopes: ['org', 'team:demo:team:payments'], generation: 3 }));
    await waitFor(() => expect(doraCalls()).toBe(before + 1));
    expect(calls.at(-1)!.url.searchParams.get('scope')).not.toBeNull();
  });
});
