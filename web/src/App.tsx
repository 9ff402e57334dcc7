// The shell: sign-in, navigation between the role views, scope and range pickers,
// theme, and the live-update stream.
import { useEffect, useState } from 'react';
import { api, getToken, setToken, type Me } from './lib/api';
import { startLiveUpdates } from './lib/events';
import { navigate, scopeOf, sinceOf, useRoute } from './lib/route';
import { Login } from './components/Login';
import { ScopePicker } from './components/ScopePicker';
import { ErrorNote } from './components/States';
import { Executive } from './views/Executive';
import { Manager } from './views/Manager';
import { Developer } from './views/Developer';
import { Product } from './views/Product';
import { Settings } from './views/Settings';

export interface ViewProps { me: Me; scope: string; since: string; params: URLSearchParams }

export const VIEWS = [
  { path: 'executive', label: 'Executive', component: Executive },
  { path: 'manager', label: 'Engineering manager', component: Manager },
  { path: 'developer', label: 'Developer', component: Developer },
  { path: 'product', label: 'Product manager', component: Product },
  { path: 'settings', label: 'Settings', component: Settings, admin: true },
];

function useTheme(): [string, () => void] {
  const [theme, setTheme] = useState(() => localStorage.getItem('sei.theme') ?? (window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('sei.theme', theme);
    window.dispatchEvent(new Event('sei:theme'));
  }, [theme]);
  return [theme, () => setTheme((t) => (t === 'dark' ? 'light' : 'dark'))];
}

export function App() {
  const route = useRoute();
  const [theme, toggleTheme] = useTheme();
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(!!getToken());
  const [live, setLive] = useState(false);

  useEffect(() => {
    if (!getToken()) return;
    api<Me>('/me').then(setMe, () => setToken(null)).finally(() => setChecking(false));
  }, []);
  useEffect(() => {
    const out = () => { setToken(null); setMe(null); };
    window.addEventListener('sei:unauthorized', out);
    return () => window.removeEventListener('sei:unauthorized', out);
  }, []);
  useEffect(() => (me ? startLiveUpdates(setLive) : undefined), [me]);

  if (checking) return <p className="muted" role="status">Loading…</p>;
  if (!me) return <Login onSignedIn={setMe} />;

  const view = VIEWS.find((v) => v.path === route.view) ?? VIEWS[0];
  const View = view.component;
  const scope = scopeOf(route.params);
  const since = sinceOf(route.params);
  return (
    <div className="app">
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <span className="brand">SEI</span>
        <nav aria-label="Views">
          {VIEWS.filter((v) => !v.admin || me.role === 'admin').map((v) => (
            <a key={v.path} href={`/${v.path}${window.location.search}`} aria-current={v === view ? 'page' : undefined}
              onClick={(e) => { e.preventDefault(); navigate(v.path); }}>{v.label}</a>
          ))}
        </nav>
        <div className="who">
          <span className={`live ${live ? 'on' : ''}`} title={live ? 'Live updates on' : 'Live updates off'}>{live ? '● live' : '○ offline'}</span>
          <span className="muted small">{me.name} ({me.role})</span>
          <button type="button" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>{theme === 'dark' ? '☀' : '☾'}</button>
          <button type="button" onClick={() => { setToken(null); setMe(null); }}>Sign out</button>
        </div>
      </header>
      {view.path !== 'settings' ? <ScopePicker scope={scope} since={since} /> : null}
      <main id="main" tabIndex={-1}>
        <h1>{view.label}</h1>
        {view.admin && me.role !== 'admin' ? (
          <ErrorNote status={403} message="Settings are for admins." />
        ) : (
          <View me={me} scope={scope} since={since} params={route.params} />
        )}
      </main>
    </div>
  );
}
