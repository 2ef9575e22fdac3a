// Times the dashboard's map in headless chromium: from navigation to the drawn, coloured and
// painted SVG, as the page measures it (performance.now() two animation frames after the
// last path got its colour: body[data-timing]). The first run includes the server building
// and caching the GeoJSON; the others are what a visitor sees.
// Usage: node bench/web_map.mjs URL LEVEL YEAR INDICATOR [RUNS]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [url, level, year, indicator, runsArg] = process.argv.slice(2);
const runs = Number(runsArg) || 6;
const dir = mkdtempSync(join(tmpdir(), 'wb-bench-'));
const ctx = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.WB_CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1366, height: 768 },
});
const page = ctx.pages()[0] || await ctx.newPage();
const target = `${url}?indicator=${indicator}&level=${level}&year=${year}`;
const t = [];
for (let i = 0; i < runs; i++) {
  await page.goto(target, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
  t.push(JSON.parse(await page.evaluate(() => document.body.dataset.timing)));
}
const n = await page.locator('#map path[data-code]').count();
const warm = t.slice(1);
const med = (xs) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const r = (x) => Math.round(x);
console.log(`map of ${n} ${level} areas (${year}), navigation to painted map: first ${r(t[0].sinceNavigation)} ms; ` +
  `then median ${r(med(warm.map((x) => x.sinceNavigation)))} ms (min ${r(Math.min(...warm.map((x) => x.sinceNavigation)))}, ` +
  `max ${r(Math.max(...warm.map((x) => x.sinceNavigation)))}, ${warm.length} runs)`);
console.log(`  of which: data (GeoJSON + classes, parsed, paths built) median ${r(med(warm.map((x) => x.data)))} ms, ` +
  `path building ${r(med(warm.map((x) => x.build)))} ms, from the first request to paint ${r(med(warm.map((x) => x.total)))} ms`);
await ctx.close();
rmSync(dir, { recursive: true, force: true });
