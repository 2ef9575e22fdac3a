// Browser test of the issue-7 views on the demo municipality with its register (headless
// Debian chromium through playwright-core): the gaps map shows the planted gap as a need
// without effort, the overlaps list the planted pair and the partners to bring together, the
// scatter plot one dot per scored buurt with the rank correlation, the keyboard opens a
// profile with that buurt's gaps, and the effect panel module renders an initiative's effect.
// Run by the C test effort_browser (tests/effort/browser.c).
//
// Environment: WB_BIN, WB_DB, WB_WEB, WB_MODELS, WB_SHOTS, WB_CHROMIUM, WB_GAP (the planted
// gap buurt), WB_OVERLAP ("A,B": the planted initiatives), WB_NODATE (an initiative without a
// start date). Exit 0 on success, 1 on failure.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumOptions, startServer } from './lib.mjs';

const env = process.env;
const shots = env.WB_SHOTS || 'build/screenshots';
mkdirSync(shots, { recursive: true });
const failures = [];
const check = (cond, msg) => { if (!cond) failures.push(msg); };
const log = (...a) => console.log('effort browser:', ...a);

const server = await startServer(env, env.WB_DB, { extra: ['--models', env.WB_MODELS] });
const profileDir = mkdtempSync(join(tmpdir(), 'wb-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profileDir, chromiumOptions(env, { width: 1366, height: 900 }));
  const foreign = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === '127.0.0.1' || u.protocol === 'data:') return route.continue();
    foreign.push(u.href);
    return route.abort();
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });

  // 1. the effort page: gaps map, table, overlaps, scatter
  await page.goto(server.url + 'effort.html', { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  const gap = env.WB_GAP;
  const kind = await page.locator('#gaps-map path[data-code="' + gap + '"]').getAttribute('data-kind');
  check(kind === 'none', 'planted gap ' + gap + ' drawn as ' + kind + ', expected a need without any initiative');
  const kinds = await page.$$eval('#gaps-map path', (ps) => ps.map((p) => p.dataset.kind));
  check(kinds.length === 80, 'expected 80 buurten on the gaps map, got ' + kinds.length);
  check(kinds.filter((k) => k === 'ok').length > 20, 'most buurten need no particular attention');
  check(await page.locator('#gaps-table tbody tr[data-code="' + gap + '"]').count() === 1, 'gap row in the table');
  const [a, b] = env.WB_OVERLAP.split(',');
  const pair = page.locator('#overlaps li[data-a="' + a + '"][data-b="' + b + '"]');
  check(await pair.count() === 1, 'planted overlap ' + a + '-' + b + ' not listed');
  const pairText = await pair.innerText();
  check(pairText.includes('Politie basisteam Centrum') && pairText.includes('Woonstichting De Linden'), 'partners to bring together: ' + pairText);
  const dots = await page.locator('#scatter circle').count();
  check(dots === 79, 'expected 79 dots (buurten with score and inhabitants), got ' + dots);
  const rho = await page.locator('#rho').innerText();
  check(/rho = -?\d/.test(rho), 'rank correlation shown: ' + rho);
  await page.screenshot({ path: join(shots, 'effort.png'), fullPage: true });
  await page.selectOption('#measure', 'hours');
  check(await page.locator('#scatter circle').count() === 79, 'hours scatter');

  // 2. English
  await page.click('#lang');
  check((await page.locator('#overlaps-title').innerText()).startsWith('Overlaps'), 'English switch');
  await page.click('#lang');

  // 3. keyboard: the gap buurt is focusable; Enter opens its profile, which shows its gaps
  await page.focus('#gaps-map path[data-code="' + gap + '"]');
  check(await page.locator('#tooltip').isVisible(), 'focus shows no tooltip');
  await Promise.all([page.waitForURL(new RegExp('profile\\.html\\?code=' + gap)), page.keyboard.press('Enter')]);
  await page.waitForSelector('body[data-ready="1"]');
  const sec = page.locator('#gaps-section');
  check(await sec.isVisible(), 'the profile has no gaps section');
  check((await sec.getAttribute('data-status')) === 'gap', 'profile gaps status ' + await sec.getAttribute('data-status'));
  check(await page.locator('#gaps-section li .gap-status-gap').count() >= 1, 'no unaddressed dimension on the profile');
  await page.screenshot({ path: join(shots, 'effort-profile.png'), fullPage: true });

  // 4. the effect panel module, as the initiative page will use it
  const rows = await page.evaluate(async (id) => {
    const m = await import('./js/effect.js');
    const div = document.createElement('div');
    div.id = 'effect-test';
    document.querySelector('main').append(div);
    await m.renderEffect(div, id, { draws: 199 });
    return [...div.querySelectorAll('tbody tr')].map((tr) => tr.dataset.status);
  }, a);
  check(rows.length >= 1 && rows.includes('ok'), 'effect panel rows: ' + rows.join(','));
  check((await page.locator('#effect-test .effect-words').innerText()).length > 100, 'effect words');
  await page.locator('#effect-test').screenshot({ path: join(shots, 'effect.png') });

  // 5. the initiative page shows its measured effect
  await page.goto(server.url + 'initiative.html?id=' + a, { waitUntil: 'load' });
  await page.waitForSelector('#effect-section[data-ready="1"]', { timeout: 30000 });
  check(await page.locator('#effect-section').isVisible(), 'no effect section on the initiative page');
  const st = await page.$$eval('#effect-section tbody tr', (trs) => trs.map((tr) => tr.dataset.status));
  check(st.includes('ok'), 'effect rows on the initiative page: ' + st.join(','));
  await page.screenshot({ path: join(shots, 'initiative-effect.png'), fullPage: true });
  // an initiative without a start date (an idea) has no effect to measure: no section
  await page.goto(server.url + 'initiative.html?id=' + env.WB_NODATE, { waitUntil: 'load' });
  await page.waitForSelector('#effect-section[data-ready="1"]', { state: 'attached', timeout: 30000 });
  check(!(await page.locator('#effect-section').isVisible()), 'an idea shows an effect section');

  check(problems.length === 0, 'errors in the page: ' + problems.join(' | '));
  check(foreign.length === 0, 'requests left the machine: ' + foreign.join(' '));
} catch (e) {
  failures.push('exception: ' + (e && e.stack ? e.stack : e));
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profileDir, { recursive: true, force: true });
  server.srv.removeAllListeners('exit');
  server.srv.kill('SIGTERM');
}
if (failures.length) {
  for (const f of failures) console.log('effort browser: FAIL', f);
  process.exit(1);
}
log('ok, screenshots in', shots);
