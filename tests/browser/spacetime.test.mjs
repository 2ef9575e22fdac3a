// Browser test of the space-time views in headless Debian chromium (playwright-core), on the
// demo database (Wierhaven: 80 buurten, 2002-2022): the emerging-hot-spot map mode, the
// bivariate map mode with its second indicator, the transitions page (heat tables for the
// nation and for the municipality, before and after a break, by the neighbours' classes with
// the homogeneity tests) and the class and lag path on a profile. Expected numbers come from
// the API on the same server (tested against the commands and R elsewhere). Run by the C
// test browser::spacetime_views (tests/browser/spacetime.c).
//
// Environment: WB_BIN, WB_WEB, WB_SHOTS, WB_CHROMIUM as map.test.mjs; WB_DB (demo store).
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumOptions, startServer, stopServer } from './lib.mjs';

const env = process.env;
const shots = env.WB_SHOTS || 'build/screenshots';
mkdirSync(shots, { recursive: true });
const failures = [];
const check = (cond, msg) => { if (!cond) failures.push(msg); };
const ready = (page) => page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
const legendText = (page) => page.locator('#legend').innerText();
const fills = (page) => page.$$eval('#map path[data-code]', (ps) => ps.map((p) => p.getAttribute('fill')));

const server = await startServer(env, env.WB_DB, { pre: ['--quiet'] });
const profileDir = mkdtempSync(join(tmpdir(), 'wb-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profileDir, chromiumOptions(env, { width: 1366, height: 900 }));
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  const apiJson = async (path) => (await page.request.get(server.url + 'api/' + path)).json();

  // 1. emerging hot spots of the Leefbaarometer classes of Wierhaven's buurten
  await page.goto(server.url + '?indicator=lbm_klasse&level=buurt&year=2022&mode=ehsa', { waitUntil: 'load' });
  await ready(page);
  const hs = await apiJson('hotspots?indicator=lbm_klasse&level=buurt&boundary_year=2022&alpha=0.05&fdr=0');
  let lt = await legendText(page);
  check(lt.includes('Opkomende hot en cold spots') && lt.includes('Mann-Kendall') && lt.includes('2002–2022'),
    'the hot spot legend names the method and the years: ' + lt);
  const cats = Object.entries(hs.counts).filter(([c, n]) => n > 0 && c !== 'none');
  check(cats.length > 0, 'the demo data have emerging hot or cold spots: ' + JSON.stringify(hs.counts));
  const f = await fills(page);
  check(f.length === 80, 'the 80 buurten are drawn: ' + f.length);
  const colored = f.filter((x) => x !== '#eeeeee' && x !== '#d4d4d4').length;
  const patterned = hs.areas.filter((a) => a.category !== 'none').length;
  check(colored === patterned, 'every buurt with a pattern has its colour: ' + colored + ' of ' + patterned);
  await page.screenshot({ path: join(shots, 'ehsa.png') });

  // 2. bivariate: livability with the neighbours' crime, the second indicator chosen on the page
  await page.selectOption('#indicator', 'lbm');
  await ready(page);
  await page.selectOption('#mode', 'bivariate');
  await ready(page);
  check(await page.locator('#bv-wrap').isVisible(), 'the second indicator is offered in the bivariate view');
  await page.selectOption('#bv', 'g_misdr');
  await ready(page);
  check(page.url().includes('bv=g_misdr') && page.url().includes('mode=bivariate'), 'view and second indicator in the URL: ' + page.url());
  lt = await legendText(page);
  const year = await page.inputValue('#year');
  const bv = await apiJson('lisa?indicator=lbm&bivariate=g_misdr&level=buurt&year=' + year + '&boundary_year=2022&permutations=999&seed=1&alpha=0.05&fdr=0');
  const hh = bv.filter((r) => r.cluster === 'HH').length;
  check(/Bivariate Moran's I = -?[0-9,]+/.test(lt) && lt.includes('Bivariate clusters'), 'bivariate legend: ' + lt);
  check((await fills(page)).filter((x) => x === '#d7191c').length === hh, 'HH areas in red as the API says (' + hh + ')');
  await page.screenshot({ path: join(shots, 'bivariate.png') });

  // 3. the transitions page: the nation's heat table, then Wierhaven, a break, the neighbours
  await page.goto(server.url + 'transitions.html?indicator=lbm_klasse&level=buurt', { waitUntil: 'load' });
  await ready(page);
  const mk = await apiJson('markov?indicator=lbm_klasse&level=buurt');
  check((await page.locator('.heat-table').count()) === 1, 'one heat table for the whole series');
  check((await page.locator('.heat-table tbody tr').count()) === 9, 'nine classes of origin');
  const cells = await page.$$eval('.heat-table tbody td[data-p]', (ts) => ts.map((t) => Number(t.dataset.p)));
  const want = mk.periods[0].chains[0].p.flat().filter((_, i) => mk.periods[0].chains[0].counts[Math.floor(i / 9)].some((c) => c > 0));
  check(cells.length === want.length && cells.every((p, i) => p === want[i]), 'the shaded cells are the API probabilities');
  // a steady state row per recurrent class, except those of classes never observed (made absorbing)
  const c0 = mk.periods[0].chains[0];
  const steadyShown = c0.steady.filter((s) => s.some((v, i) => v > 0 && c0.counts[i].some((c) => c > 0))).length;
  check((await page.locator('.heat-table tfoot tr').count()) === steadyShown && steadyShown >= 1,
    'steady state rows: ' + steadyShown + ' of ' + c0.steady.length);
  await page.selectOption('#in', 'GM9999');
  await ready(page);
  check(page.url().includes('in=GM9999'), 'the municipality is in the URL');
  await page.selectOption('#break', '2012');
  await ready(page);
  check((await page.locator('.heat-period').count()) === 2, 'two periods around 2012');
  await page.check('#spatial');
  await ready(page);
  const sp = await apiJson('markov?indicator=lbm_klasse&level=buurt&break=2012&spatial=1&in=GM9999');
  check((await page.locator('.heat-table').count()) === 2 * sp.periods[0].chains.length, 'pooled and per lag class, both periods');
  const tests = await page.locator('.heat-period .tests').allInnerTexts();
  check(tests.length === 2 && tests[0].includes('Q = ') && tests[0].includes('vrijheidsgraden'), 'homogeneity tests: ' + tests.join(' | '));
  await page.screenshot({ path: join(shots, 'transitions.png'), fullPage: true });

  // 4. a profile: the class path and the neighbours' classes
  await page.goto(server.url + 'profile.html?code=BU99990100&year=2022', { waitUntil: 'load' });
  await ready(page);
  await page.waitForSelector('#mobility-section:not([hidden])', { timeout: 30000 });
  const path = (await apiJson('markov?indicator=lbm_klasse&level=buurt&boundary_year=2022&spatial=1&code=BU99990100')).path;
  const rows = await page.locator('#mobility-section tbody tr').allInnerTexts();
  check(rows.length === path.values.length, 'a row per year: ' + rows.length);
  check(rows[0].includes(String(path.values[0])) && (path.lag_class[0] === null || rows[0].trim().endsWith(String(path.lag_class[0]))),
    'the first year shows the class and the lag class: ' + rows[0]);
  await page.screenshot({ path: join(shots, 'profile-mobility.png'), fullPage: true });
  check(problems.length === 0, 'no page errors: ' + problems.join('; '));
} catch (e) {
  failures.push('exception: ' + (e.stack || e));
} finally {
  if (context) await context.close();
  rmSync(profileDir, { recursive: true, force: true });
  await stopServer(server, check);
}
if (failures.length) {
  console.error('browser: FAILED\n  ' + failures.join('\n  '));
  process.exit(1);
}
console.log('browser: spacetime views ok');
