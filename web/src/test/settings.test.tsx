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
