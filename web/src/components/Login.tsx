// Sign in with an API token, or with email and password (POST /api/v1/login,
// which answers a 12-hour session token). The token is checked with GET /me.
import { useState, type FormEvent } from 'react';
import { api, explain, setToken, type Me } from '../lib/api';

export function Login({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [mode, setMode] = useState<'token' | 'password'>('token');
  const [token, setTok] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let t = token.trim();
      if (mode === 'password') {
        const r = await api<{ token: string }>('/login', { method: 'POST', body: { email, password } });
        t = r.token;
      }
      setToken(t);
      onSignedIn(await api<Me>('/me'));
    } catch (err) {
      setToken(null);
      setError(explain(err).replace('Your session has ended: sign in again.', 'That did not work: check the token or the email and password.'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <h1>SEI Platform</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <fieldset>
          <legend>Sign in with</legend>
          <label><input type="radio" name="mode" checked={mode === 'token'} onChange={() => setMode('token')} /> an API token</label>
          <label><input type="radio" name="mode" checked={mode === 'password'} onChange={() => setMode('password')} /> email and password</label>
        </fieldset>
        {mode === 'token' ? (
          <label>API token<input type="password" autoComplete="off" value={token} onChange={(e) => setTok(e.target.value)} required placeholder="sei_…" /></label>
        ) : (
          <>
            <label>Email<input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required /></label>
            <label>Password<input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required /></label>
          </>
        )}
        {error ? <p className="error" role="alert">{error}</p> : null}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        <p className="muted small">The token stays in this tab only (session storage). Make one with <code>sei token create --role viewer</code>.</p>
      </form>
    </main>
  );
}
