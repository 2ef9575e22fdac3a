// Times the dashboard's map of every buurt in headless chromium: from navigation to the
// drawn, coloured SVG (body[data-ready]). Usage: node bench/web_map.mjs URL LEVEL YEAR INDICATOR
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [url, level, year, indicator] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'wb-bench-'));
const ctx = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.WB_CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1366, height: 768 },
});
const page = ctx.pages()[0] || await ctx.newPage();
const target = `${url}?indicator=${indicator}&level=${level}&year=${year}`;
const times = [];
for (let i = 0; i < 3; i++) { // the first run includes the server building and caching the GeoJSON
  const t0 = Date.now();
  await page.goto(target, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
  // one more frame so layout and paint are counted too
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  times.push(Date.now() - t0);
}
const n = await page.locator('#map path[data-code]').count();
console.log(`map of ${n} ${level} areas: first ${times[0]} ms (GeoJSON built), then ${times.slice(1).join(' ms, ')} ms`);
await ctx.close();
rmSync(dir, { recursive: true, force: true });
