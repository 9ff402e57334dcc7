// End-to-end run of the web app in a real browser: playwright-core drives Debian's
// chromium (headless) against a real `sei serve` on a fresh demo store. Asserts
// what each role sees, that the numbers equal the API's, drill-downs, live refresh,
// accessibility (axe-core: no critical violations) and speed (first render with
// data under 1.5 s per view), and that the shipped JavaScript is under 400 KB
// gzipped. Screenshots and results.json go to --out.
//
//   node e2e/run.mjs [--sei ../build/bin/sei] [--out ../build/web-e2e] [--demo-size 0.2]
// (`--demo-size 1` is the full demo organisation; 0.2 keeps `make test` quick)
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { jsBundleSize } from '../scripts/bundle-size.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(here, '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const SEI = resolve(arg('--sei', join(webDir, '../build/bin/sei')));
const OUT = resolve(arg('--out', join(webDir, '../build/web-e2e')));
const DEMO_SIZE = arg('--demo-size', '0.2');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FIRST_RENDER_BUDGET_MS = 1500;
const JS_BUDGET_BYTES = 400 * 1024;
const RANGE = 'since=90d&until=2026-12-01';
const TEAM = 'demo:team:payments';
const PERSON = 'demo:person:jonas.kim';

for (const [what, path] of [['sei binary', SEI], ['web build (make web)', join(webDir, 'dist/index.html')], ['chromium', CHROMIUM]]) {
  if (!existsSync(path)) {
    console.error(`web e2e: no ${what} at ${path}`);
    process.exit(1);
  }
}
mkdirSync(OUT, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'sei-web-e2e-'));
const db = join(tmp, 'demo.db');
const sei = (...a) => execFileSync(SEI, ['--db', db, ...a], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, E2E_PW: 'correct horse battery' } }).trim();

// --- a tiny test runner: every check is named, failures are collected ---
const results = { demo_size: Number(DEMO_SIZE), checks: [], first_render_ms: {}, axe: {}, bundle: null };
let failed = 0;
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.checks.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    results.checks.push({ name, ok: false, error: String(e?.message ?? e) });
    console.log(`FAIL ${name}\n     ${String(e?.stack ?? e).split('\n').slice(0, 4).join('\n     ')}`);
  }
}
function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

// --- the server ---
sei('demo', '--size', DEMO_SIZE);
const tokens = { admin: sei('token', 'create', '--role', 'admin'), viewer: sei('token', 'create', '--role', 'viewer') };
sei('user', 'add', '--email', 'jonas.kim@acme.example', '--name', 'Jonas Kim', '--role', 'member', '--person', PERSON, '--password-env', 'E2E_PW');
const server = spawn(SEI, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--access-log', 'off', '--web-dir', join(webDir, 'dist')], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((res, rej) => {
  let buf = '';
  server.stdout.on('data', (d) => {
    buf += d;
    const m = buf.match(/listening on (http:\/\/[^\s]+)/);
    if (m) res(m[1]);
  });
  server.on('exit', (c) => rej(new Error(`sei serve exited ${c}`)));
  setTimeout(() => rej(new Error('sei serve did not start')), 20000);
});
const apiGet = async (path, token = tokens.admin) => {
  const r = await fetch(base + path, { headers: { Authorization: `Bearer ${token}` } });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.json();
};

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

async function signIn(page, how) {
  await page.goto(`${base}/`);
  if (how.token) {
    await page.getByLabel('API token', { exact: true }).fill(how.token);
  } else {
    await page.getByLabel('email and password').check();
    await page.getByLabel('Email', { exact: true }).fill(how.email);
    await page.getByLabel('Password', { exact: true }).fill(how.password);
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('nav[aria-label="Views"]').waitFor();
}

async function newPage(how, viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log(`     page error: ${e.message}`));
  await signIn(page, how);
  return page;
}

async function axeCritical(page, name) {
  await page.addScriptTag({ path: axeSource });
  const r = await page.evaluate(async () => {
    const res = await window.axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  results.axe[name] = r;
  const critical = r.filter((v) => v.impact === 'critical');
  expect(critical.length === 0, `critical axe violations on ${name}: ${JSON.stringify(critical)}`);
}

/** Opens a view, times navigation start -> `ready` visible, screenshots it, runs axe. */
async function openView(page, name, path, ready) {
  const t0 = Date.now();
  await page.goto(`${base}${path}`);
  await page.locator(ready).first().waitFor({ timeout: 10000 });
  const ms = Date.now() - t0;
  results.first_render_ms[name] = ms;
  // the live stream stays open, so no network idle: wait for the loading notes to go
  await page.waitForFunction(() => !document.querySelector('main [role="status"]'), null, { timeout: 5000 }).catch(() => {});
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  expect(ms < FIRST_RENDER_BUDGET_MS, `${name}: first render with data took ${ms} ms (budget ${FIRST_RENDER_BUDGET_MS})`);
  await axeCritical(page, name);
  return ms;
}

const valueOf = (page, key) => page.locator(`[data-testid="value-${key}"]`).getAttribute('data-value');
const apiValues = async (family, scope) => {
  const q = scope ? `&scope=${encodeURIComponent(scope)}` : '';
  const f = await apiGet(`/api/v1/metrics/${family}?${RANGE}${q}`);
  return Object.fromEntries(f.metrics.map((m) => [m.key, m.value]));
};
async function expectValuesMatch(page, family, keys, scope) {
  const api = await apiValues(family, scope);
  for (const k of keys) {
    const shown = await valueOf(page, k);
    expect(api[k] !== null && api[k] !== undefined, `${k}: the API has no value`);
    expect(Number(shown) === api[k], `${k}: page ${shown}, API ${api[k]}`);
    expect(!(await page.locator(`[data-testid="value-${k}"]`).innerText()).includes('—'), `${k}: shown as missing`);
  }
}

try {
  const admin = await newPage({ token: tokens.admin });

  await check('executive: DORA values, bands and completeness equal the API', async () => {
    await openView(admin, 'executive', `/executive?${RANGE}`, '[data-testid="value-dora.lead_time"]');
    await expectValuesMatch(admin, 'dora', ['dora.deployment_frequency', 'dora.lead_time', 'dora.change_failure_rate', 'dora.failed_deployment_recovery_time']);
    const f = await apiGet(`/api/v1/metrics/dora?${RANGE}`);
    const lt = f.metrics.find((m) => m.key === 'dora.lead_time');
    const card = admin.locator('[data-metric="dora.lead_time"]');
    expect((await card.locator('.band').innerText()).toLowerCase() === lt.band, `band shown is not ${lt.band}`);
    const note = await card.locator('.completeness').innerText();
    expect(note.includes(`${lt.completeness.measured} of ${lt.completeness.total}`), `completeness note: ${note}`);
    expect(await admin.locator('[data-metric="dora.lead_time"] .chart svg').count() === 1, 'trend chart not drawn');
    const pr = await apiValues('pr');
    const risks = await admin.getByRole('region', { name: 'Top risks' }).innerText();
    expect(risks.includes(`${pr['pr.stale']} of `) && risks.includes('open pull requests are stale'), `risks do not name ${pr['pr.stale']} stale PRs: ${risks}`);
  });

  await check('executive: drill-down opens the rows behind change failure rate, with source links', async () => {
    await admin.getByRole('button', { name: /rows behind change failure rate/i }).click();
    await admin.locator('[data-testid="drill"] tbody tr').first().waitFor();
    expect(new URL(admin.url()).searchParams.get('drill') === 'dora.change_failure_rate', 'drill not in the URL');
    expect(await admin.evaluate(() => document.activeElement?.id) === 'drill-title', 'focus did not move to the rows');
    const shown = await admin.locator('[data-testid="drill"] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.rowId));
    const f = await apiGet(`/api/v1/metrics/dora?${RANGE}&drill=true&metric=dora.change_failure_rate`);
    const expected = f.metrics[0].rows.map((r) => r.id);
    expect(JSON.stringify(shown) === JSON.stringify(expected), `rows differ: ${shown.length} shown, ${expected.length} from the API`);
    const href = await admin.locator('[data-testid="drill"] tbody tr a').first().getAttribute('href');
    expect(href === f.metrics[0].rows.find((r) => r.url).url, `first source link ${href}`);
    await admin.screenshot({ path: join(OUT, 'executive-drill.png'), fullPage: true });
    // clicking a chart point opens that week's rows only (its bucket goes in the URL)
    await admin.goto(`${base}/executive?${RANGE}`);
    const symbols = admin.locator('[data-metric="dora.change_failure_rate"] .chart svg path');
    await admin.locator('[data-metric="dora.change_failure_rate"] .chart svg text').first().waitFor();
    const points = await symbols.evaluateAll((ps) => ps.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 2 && r.width < 12 && r.height < 12).map((r) => [r.x + r.width / 2, r.y + r.height / 2]));
    const series = f.metrics[0].series.filter((p) => p.value !== null); // a week without a value has no point
    expect(points.length === series.length, `${points.length} chart points for ${series.length} weeks with a value`);
    const idx = series.findIndex((p) => f.metrics[0].rows.some((r) => Date.parse(r.at) >= Date.parse(p.start) && Date.parse(r.at) < Date.parse(p.start) + 7 * 86400000));
    await admin.mouse.click(points[idx][0], points[idx][1]);
    await admin.locator('[data-testid="drill"] tbody tr').first().waitFor();
    const week = new URL(admin.url()).searchParams.get('bucket');
    expect(week === series[idx].start, `clicked week ${series[idx].start}, opened ${week}`);
    const inWeek = await admin.locator('[data-testid="drill"] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.rowId));
    const from = Date.parse(week);
    const want = f.metrics[0].rows.filter((r) => Date.parse(r.at) >= from && Date.parse(r.at) < from + 7 * 86400000).map((r) => r.id);
    expect(want.length > 0 && JSON.stringify(inWeek) === JSON.stringify(want), `week ${week}: ${inWeek.length} rows shown, ${want.length} expected`);
  });

  await check('engineering manager: team PR flow, stale PRs and review load equal the API', async () => {
    await openView(admin, 'manager', `/manager?scope=team:${TEAM}&${RANGE}`, '[data-testid="value-pr.cycle_time"]');
    await expectValuesMatch(admin, 'pr', ['pr.cycle_time', 'pr.stale', 'pr.open_age'], `team:${TEAM}`);
    const f = await apiGet(`/api/v1/metrics/pr?${RANGE}&scope=team:${TEAM}&metric=pr.cycle_time`);
    const coding = f.metrics[0].parts.find((p) => p.key === 'coding').value;
    const stage = await admin.locator('[data-stage="coding"]').innerText();
    expect(stage.startsWith('coding ') && stage.trim() !== 'coding —', `coding stage shown as ${stage} (API ${coding})`);
    expect((await admin.locator('text=Bottlenecks').count()) > 0, 'no bottleneck call-outs');
    // Who reviews whom: the table's first rows are the API's busiest pairs.
    const pairs = await apiGet(`/api/v1/review-pairs?${RANGE}&scope=team:${TEAM}`);
    await admin.waitForSelector('[data-testid="review-pairs"] tbody tr');
    const shown = await admin.locator('[data-testid="review-pairs"] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.pair));
    const want = pairs.pairs.slice(0, 12).map((p) => `${p.reviewer.id}|${p.author?.id ?? ''}`);
    const load = await apiGet(`/api/v1/metrics/pr?${RANGE}&scope=team:${TEAM}&metric=pr.review_load`);
    expect(pairs.reviews === load.metrics[0].value, `review pairs count ${pairs.reviews} reviews, the review-load metric ${load.metrics[0].value}`);
    expect(want.length > 0 && JSON.stringify(shown) === JSON.stringify(want), `review pairs: ${shown.length} shown, ${want.length} expected`);
  });

  await check('engineering manager: a PR-flow stage opens the PRs behind it', async () => {
    await openView(admin, 'manager', `/manager?scope=team:${TEAM}&${RANGE}`, '[data-stage="review"]');
    await admin.locator('button[data-stage="review"]').click();
    await admin.locator('[data-testid="drill"] tbody tr').first().waitFor();
    expect(new URL(admin.url()).searchParams.get('drill') === 'pr.review_time', 'drill not in the URL');
    const shown = await admin.locator('[data-testid="drill"] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.rowId));
    const f = await apiGet(`/api/v1/metrics/pr?${RANGE}&scope=team:${TEAM}&drill=true&metric=pr.review_time`);
    const want = f.metrics[0].rows.slice(0, 500).map((r) => r.id);
    expect(want.length > 0 && JSON.stringify(shown) === JSON.stringify(want), `review-time rows: ${shown.length} shown, ${want.length} expected`);
    await admin.screenshot({ path: join(OUT, 'manager-drill.png'), fullPage: true });
  });

  await check('developer: own open PRs and cycle time against the team median equal the API', async () => {
    await openView(admin, 'developer', `/developer?person=${PERSON}&${RANGE}`, '[data-testid="my-cycle"]');
    const mine = await apiGet(`/api/v1/metrics/pr?${RANGE}&person=${PERSON}&metric=pr.cycle_time`);
    expect(Number(await admin.locator('[data-testid="my-cycle"]').getAttribute('data-value')) === mine.metrics[0].value, 'my cycle time differs');
    const open = await apiGet(`/api/v1/pull-requests?person=${PERSON}&state=open&limit=100`);
    const waiting = open.items.filter((p) => !p.first_review_at).length;
    expect((await admin.getByRole('heading', { name: `My PRs waiting for review (${waiting})` }).count()) === 1, `waiting-for-review count is not ${waiting}`);
  });

  await check('product manager: issue flow equals the API; forecast shows 50/85/95% dates', async () => {
    await openView(admin, 'product', `/product?${RANGE}`, '[data-testid="value-flow.issue_cycle_time"]');
    await expectValuesMatch(admin, 'flow', ['flow.issue_cycle_time', 'flow.throughput.issues', 'flow.wip.issues']);
    await admin.locator('[data-testid="forecast-95"]').waitFor();
    const d = await Promise.all([50, 85, 95].map((p) => admin.locator(`[data-testid="forecast-${p}"]`).innerText()));
    expect(d.every((x) => /^\d{4}-\d\d-\d\d$/.test(x)) && d[0] <= d[1] && d[1] <= d[2], `forecast dates ${d}`);
    // the epic with the most open issues: its count equals the API's, and picking it forecasts those issues
    const row = admin.locator('[data-testid="epics"] tbody tr').first();
    await row.waitFor();
    const epicId = await row.getAttribute('data-epic');
    const openShown = Number(await row.locator('td').nth(2).innerText());
    const lists = await Promise.all(['todo', 'in_progress'].map((c) => apiGet(`/api/v1/issues?status_category=${c}&limit=500`)));
    const openApi = lists.flatMap((l) => l.items).filter((i) => i.epic_id === epicId && i.type !== 'epic').length;
    expect(openShown === openApi, `epic ${epicId}: ${openShown} open shown, ${openApi} from the API`);
    await row.getByRole('button', { name: 'Forecast this epic' }).click();
    const summary = await admin.locator('[data-testid="forecast"] summary').innerText();
    expect(summary.includes(`(${openApi} of ${openApi})`), `forecast picks ${summary}, not the epic's ${openApi}`);
  });

  await check('settings: connections list without secrets, tokens, teams (admin)', async () => {
    await openView(admin, 'settings', '/settings?tab=connections', 'text=demo:ci');
    const text = await admin.locator('main').innerText();
    expect(text.includes('not set') || text.includes('set '), 'secret state not shown');
    for (const tab of ['teams', 'identity', 'tokens', 'users', 'audit']) {
      await admin.goto(`${base}/settings?tab=${tab}`);
      await admin.locator('main .card h2').waitFor();
      await admin.screenshot({ path: join(OUT, `settings-${tab}.png`), fullPage: true });
      await axeCritical(admin, `settings-${tab}`);
    }
    await admin.goto(`${base}/settings?tab=tokens`);
    await admin.getByLabel('Name', { exact: true }).fill('e2e viewer');
    await admin.getByRole('button', { name: 'Create token' }).click();
    const made = await admin.locator('[data-testid="new-token"]').innerText();
    const me = await apiGet('/api/v1/me', made);
    expect(me.role === 'viewer', `created token has role ${me.role}`);
    // the creation is audited, and the audit tab shows it
    await admin.goto(`${base}/settings?tab=audit`);
    await admin.locator('main tbody tr').first().waitFor();
    expect((await admin.locator('main tbody tr').first().innerText()).includes('token.create'), 'audit log does not show the token creation');
  });

  await check('settings: a GitHub connection made in the UI syncs on demand and shows its failed run', async () => {
    await openView(admin, 'settings', '/settings?tab=connections', 'text=demo:ci');
    const form = admin.getByRole('form', { name: 'Add or update a connection' });
    await form.getByLabel('Name', { exact: true }).fill('e2e-gh');
    await form.getByLabel('Base URL').fill('http://127.0.0.1:9');
    await form.getByLabel('Org or repositories').fill('acme/api');
    await form.getByLabel('Sync every').selectOption({ label: 'only when asked' });
    await form.getByRole('button', { name: 'Save connection' }).click();
    const row = admin.locator('tr', { has: admin.getByRole('cell', { name: 'github:e2e-gh', exact: true }) });
    await row.waitFor();
    expect((await row.innerText()).includes('when asked'), 'interval 0 not shown as "when asked"');
    const c = await apiGet('/api/v1/connections/github:e2e-gh');
    expect(JSON.stringify(c.config.repos) === '["acme/api"]' && c.config.interval_seconds === 0, `config stored as ${JSON.stringify(c.config)}`);
    await row.getByRole('button', { name: 'Sync now' }).click();
    await admin.getByRole('status').filter({ hasText: 'Collection of github:e2e-gh started' }).waitFor();
    // Nothing listens on port 9: the run fails, and the row says why.
    for (let i = 0; i < 250; i++) {  // connection refused, retried with back-off: ~15 s
      const s = (await apiGet('/api/v1/connections/github:e2e-gh')).schedule;
      if (s.last_run && s.last_run.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await admin.reload();
    await row.getByText('failed', { exact: true }).waitFor({ timeout: 10000 });
    expect((await row.getByRole('note').innerText()).includes('127.0.0.1:9'), 'the failed run\'s error does not name the URL');
    await admin.screenshot({ path: join(OUT, 'settings-connections-github.png'), fullPage: true });
    await axeCritical(admin, 'settings-connections-github');
  });

  await check('live: a push refreshes the executive view without reloading', async () => {
    await admin.goto(`${base}/executive?${RANGE}`);
    await admin.locator('.live.on').waitFor({ timeout: 5000 });
    await admin.locator('[data-testid="value-dora.deployment_frequency"]').waitFor();
    const refetch = admin.waitForResponse((r) => r.url().includes('/api/v1/metrics/dora'), { timeout: 10000 });
    const r = await fetch(`${base}/api/v1/push/deployments?connection=e2e`, {
      method: 'POST', headers: { Authorization: `Bearer ${tokens.admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'e2e-1', environment: 'production', repo: 'payments-api', result: 'success', started_at: '2026-11-30T12:00:00Z', finished_at: '2026-11-30T12:05:00Z' }),
    });
    expect(r.ok, `push: ${r.status}`);
    await refetch;
    await admin.waitForFunction(async (u) => {
      const el = document.querySelector('[data-testid="value-dora.deployment_frequency"]');
      return el && el.getAttribute('data-value') !== u;
    }, await valueOf(admin, 'dora.deployment_frequency'), { timeout: 5000 }).catch(() => {});
    await expectValuesMatch(admin, 'dora', ['dora.deployment_frequency']);
  });

  await check('theme, keyboard and phone width', async () => {
    await admin.keyboard.press('Tab');
    expect(await admin.evaluate(() => document.activeElement?.textContent) === 'Skip to content', 'first Tab does not reach the skip link');
    await admin.getByRole('button', { name: /Switch to dark theme/ }).click();
    expect(await admin.evaluate(() => document.documentElement.dataset.theme) === 'dark', 'theme did not switch');
    // charts are drawn anew in the dark theme: their axis labels turn light
    await admin.waitForFunction(() => {
      const t = document.querySelector('[data-metric="dora.lead_time"] .chart svg text');
      if (!t) return false;
      const rgb = (t.getAttribute('fill') || getComputedStyle(t).fill).match(/\d+/g)?.map(Number);
      const hex = (t.getAttribute('fill') || '').match(/^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i);
      const c = hex ? hex.slice(1).map((x) => parseInt(x, 16)) : rgb;
      return !!c && c[0] + c[1] + c[2] > 3 * 128;
    }, null, { timeout: 3000 });
    await admin.screenshot({ path: join(OUT, 'executive-dark.png'), fullPage: true });
    await axeCritical(admin, 'executive-dark');
    const phone = await newPage({ token: tokens.admin }, { width: 390, height: 844 });
    for (const v of ['executive', 'manager', 'product']) {
      await phone.goto(`${base}/${v}?${RANGE}`);
      await phone.locator('.card .value').first().waitFor();
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow <= 1, `${v} overflows the phone width by ${overflow}px`);
      await phone.screenshot({ path: join(OUT, `phone-${v}.png`), fullPage: true });
    }
  });

  await check('viewer: organisation numbers yes; team and person pages refused with a clear message', async () => {
    const viewer = await newPage({ token: tokens.viewer });
    await viewer.goto(`${base}/executive?${RANGE}`);
    await viewer.locator('[data-testid="value-dora.lead_time"]').waitFor();
    expect((await viewer.getByRole('button', { name: /rows behind/ }).count()) === 0, 'viewer is offered drill-downs');
    expect((await viewer.getByRole('link', { name: 'Settings' }).count()) === 0, 'viewer sees Settings');
    await viewer.goto(`${base}/manager?scope=team:${TEAM}&${RANGE}`);
    const refused = viewer.locator('.error.forbidden').first();
    await refused.waitFor();
    expect((await refused.innerText()).includes('Not available to your role'), 'no clear 403 message');
    expect((await viewer.locator('.error.forbidden').count()) === 1, 'the refusal is shown more than once');
    expect((await viewer.locator('[data-testid="value-pr.cycle_time"]').count()) === 0, 'viewer sees team numbers');
    await viewer.screenshot({ path: join(OUT, 'viewer-team-refused.png'), fullPage: true });
    await viewer.goto(`${base}/developer?person=${PERSON}`);
    await viewer.locator('.error.forbidden').first().waitFor();
    expect((await viewer.locator('[data-testid="my-cycle"]').count()) === 0, 'viewer sees a person');
    await viewer.screenshot({ path: join(OUT, 'viewer-person-refused.png'), fullPage: true });
  });

  await check('settings: an admin adds a user who then signs in with that role, and changes it', async () => {
    await admin.goto(`${base}/settings?tab=users`);
    const form = admin.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Email').fill('e2e.user@acme.example');
    await form.getByLabel('Name').fill('E2E User');
    await form.getByLabel('Role').selectOption('manager');
    await form.getByLabel(/^Password/).fill('e2e password 123');
    await form.getByRole('button', { name: 'Add user' }).click();
    const row = admin.locator('tr[data-user="e2e.user@acme.example"]');
    await row.waitFor();
    const login = async () => (await fetch(`${base}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'e2e.user@acme.example', password: 'e2e password 123' }) }));
    const first = await login();
    expect(first.status === 200 && (await first.json()).role === 'manager', `sign-in after adding: ${first.status}`);
    await row.getByLabel('Role of e2e.user@acme.example').selectOption('viewer');
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.locator('text=/disabled/').waitFor();
    const users = (await apiGet('/api/v1/users')).users;
    const u = users.find((x) => x.email === 'e2e.user@acme.example');
    expect(u && u.role === 'viewer' && u.disabled_at, `user after changes: ${JSON.stringify(u)}`);
    expect((await login()).status === 401, 'a disabled user could sign in');
    await admin.screenshot({ path: join(OUT, 'settings-users-added.png'), fullPage: true });
  });

  await check('member signs in with email and password and sees their own work', async () => {
    const member = await newPage({ email: 'jonas.kim@acme.example', password: 'correct horse battery' });
    await member.goto(`${base}/developer?${RANGE}`);
    await member.locator('[data-testid="my-cycle"]').waitFor();
    const mine = await apiGet(`/api/v1/metrics/pr?${RANGE}&person=${PERSON}&metric=pr.cycle_time`);
    expect(Number(await member.locator('[data-testid="my-cycle"]').getAttribute('data-value')) === mine.metrics[0].value, 'member cycle time differs');
    await member.screenshot({ path: join(OUT, 'member-developer.png'), fullPage: true });
  });

  await check('JavaScript shipped is under 400 KB gzipped', async () => {
    results.bundle = jsBundleSize(join(webDir, 'dist'));
    expect(results.bundle.gzip_bytes < JS_BUDGET_BYTES, `${results.bundle.gzip_bytes} bytes gzipped`);
  });
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}

writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2));
const fr = Object.entries(results.first_render_ms).map(([k, v]) => `${k} ${v} ms`).join(', ');
console.log(`first render with data: ${fr}`);
if (results.bundle) console.log(`JavaScript: ${(results.bundle.raw_bytes / 1024).toFixed(1)} KB, ${(results.bundle.gzip_bytes / 1024).toFixed(1)} KB gzipped`);
console.log(`web e2e: ${results.checks.length - failed} of ${results.checks.length} checks passed; screenshots in ${OUT}`);
process.exit(failed ? 1 : 0);
