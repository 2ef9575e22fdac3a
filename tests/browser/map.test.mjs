// Browser test of the dashboard in headless Debian chromium (playwright-core, no browser
// download): starts `wijkbeeld serve` on a given store, opens the map, hovers and clicks an
// area, uses the keyboard, opens the profile, switches language, renders the print view,
// and saves screenshots. Run by the C test browser::dashboard (tests/browser/browser.c).
//
// Environment: WB_BIN (wijkbeeld), WB_DB (store), WB_WEB (web dir), WB_SHOTS (screenshot
// dir), WB_CHROMIUM (default /usr/bin/chromium). Exit 0 on success, 1 on failure.
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
const log = (...a) => console.log('browser:', ...a);

const server = await startServer(env, env.WB_DB);
log('server at', server.url);
const profileDir = mkdtempSync(join(tmpdir(), 'wb-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profileDir, chromiumOptions(env, { width: 1366, height: 768 }));
  // nothing may leave the machine: every request must go to the local server
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

  // 1. the map, default choice, then buurten
  const t0 = Date.now();
  await page.goto(server.url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
  log('map drawn in', Date.now() - t0, 'ms');
  check(await page.locator('#map path[data-code]').count() > 0, 'no areas drawn on the map');
  await page.goto(server.url + '?indicator=lbm&level=buurt&year=2016', { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]');
  const n = await page.locator('#map path[data-code]').count();
  check(n === 12, 'expected 12 buurten, got ' + n);
  const legend = await page.locator('#legend li').count();
  check(legend === 10, 'expected 9 LBM classes + no data in the legend, got ' + legend);
  const fills = await page.$$eval('#map path[data-code]', (ps) => ps.map((p) => p.getAttribute('fill')));
  check(new Set(fills).size >= 3, 'the choropleth has fewer than 3 colours: ' + fills.join(' '));
  await page.screenshot({ path: join(shots, 'map.png') });

  // 2. hover shows name and value
  const target = page.locator('#map path[data-code="BU99990101"]');
  await target.hover();
  await page.waitForSelector('#tooltip:not([hidden])');
  const tip = await page.locator('#tooltip').innerText();
  check(tip.includes('Centrum B') && tip.includes('BU99990101'), 'tooltip shows ' + JSON.stringify(tip));
  check(/-?0,2/.test(tip), 'tooltip value in Dutch notation expected (-0,219): ' + JSON.stringify(tip));
  await page.screenshot({ path: join(shots, 'map-hover.png') });

  // 3. keyboard: an area is focusable and Enter opens its profile
  await page.focus('#map path[data-code="BU99990302"]');
  check(await page.locator('#tooltip').isVisible(), 'focus shows no tooltip');
  await Promise.all([page.waitForURL(/profile\.html\?code=BU99990302/), page.keyboard.press('Enter')]);
  await page.waitForSelector('body[data-ready="1"]');
  check((await page.locator('#area-name').innerText()) === 'De "Haven" C', 'keyboard opened the wrong profile');
  await page.goBack();
  await page.waitForSelector('body[data-ready="1"]');

  // 4. a click opens the profile
  await Promise.all([page.waitForURL(/profile\.html\?code=BU99990101/),
    page.locator('#map path[data-code="BU99990101"]').click()]);
  await page.waitForSelector('body[data-ready="1"]');
  check((await page.locator('#area-name').innerText()) === 'Centrum B', 'profile title');
  check((await page.locator('#labels li').allInnerTexts()).includes('aandachtswijk'), 'aandachtswijk label missing');
  const charts = await page.locator('#charts svg.chart').count();
  check(charts >= 4, 'expected charts of the key indicators, got ' + charts);
  check(await page.locator('#charts svg.chart line.mark').count() === charts, 'every chart marks 2012');
  const rows = await page.locator('#key-table tbody tr').count();
  check(rows === 8, 'key figure table has ' + rows + ' rows (6 fixture indicators + 2 groups)');
  const trends = await page.locator('#key-table tbody td.trend').allInnerTexts();
  check(trends.some((x) => x.includes('verbetert')), 'trend classes in the table: ' + trends.join(' | '));
  const csvHref = await page.locator('#export-csv').getAttribute('href');
  check(csvHref && csvHref.includes('format=csv'), 'CSV export link ' + csvHref);
  const csv = await page.evaluate(async (h) => (await fetch(h)).text(), csvHref);
  check(csv.startsWith('code,name,indicator'), 'CSV export content');
  await page.screenshot({ path: join(shots, 'profile.png'), fullPage: true });

  // 5. English
  await page.click('#lang');
  check((await page.locator('#table-title').innerText()) === 'Key figures', 'English switch');
  check((await page.locator('html').getAttribute('lang')) === 'en', 'html lang after switch');
  await page.click('#lang');

  // 6. the print view (A4)
  await page.emulateMedia({ media: 'print' });
  check(!(await page.locator('.actions').isVisible()), 'buttons are hidden in print');
  await page.screenshot({ path: join(shots, 'profile-print.png'), fullPage: true });
  await page.pdf({ path: join(shots, 'profile.pdf'), format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });

  // 7. segregation over time for the municipality
  await page.goto(server.url + 'segregation.html?in=GM9999', { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]');
  const segRows = await page.locator('#seg-table tbody tr').count();
  check(segRows === 5, 'segregation table has ' + segRows + ' rows, expected 5 years');
  check(await page.locator('#seg-chart svg.chart path.line').count() === 3, 'D, H and M lines');
  await page.screenshot({ path: join(shots, 'segregation.png'), fullPage: true });
  // without ?in= it opens on a municipality that has the data, not on the first by name
  // (GM0001 Aaadorp has none)
  await page.goto(server.url + 'segregation.html', { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 }).catch(() => {});
  check(await page.locator('#gm').inputValue() === 'GM9999',
    'segregation page opened on ' + await page.locator('#gm').inputValue() + ', expected GM9999 (the one with data)');
  check(await page.locator('#seg-table tbody tr').count() === 5, 'segregation table without ?in= has 5 years');

  // 8. the labelled set against the rest
  await page.goto(server.url + 'compare.html', { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]');
  check(await page.locator('#cmp-table tbody tr').count() === 5, 'comparison table has 5 years');
  check(await page.locator('#cmp-chart svg.chart path.line').count() === 2, 'comparison lines');
  await page.screenshot({ path: join(shots, 'compare.png'), fullPage: true });

  check(problems.length === 0, 'errors in the page: ' + problems.join(' | '));
  check(foreign.length === 0, 'requests left the machine: ' + foreign.join(' '));
} catch (e) {
  failures.push('exception: ' + (e && e.stack ? e.stack : e));
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profileDir, { recursive: true, force: true });
  await stopServer(server, check);
}
if (failures.length) {
  for (const f of failures) console.log('browser: FAIL', f);
  process.exit(1);
}
log('ok, screenshots in', shots);
