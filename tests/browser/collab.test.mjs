// Browser test of the register in headless Debian chromium (playwright-core, no browser
// download): a resident files a proposal (with markup in its title) and supports another
// resident's proposal; another resident supports with the keyboard; a partner editor edits
// an initiative (a <script> title), adds a milestone and a contribution; the profile shows
// the area's initiatives and proposals. Markup in user text must render as text: no
// element is created from it, no script runs, no dialog opens.
// Run by the C test browser::register_proposal_support_and_edit (tests/browser/collab.c).
//
// Environment: WB_BIN, WB_DB, WB_WEB, WB_SHOTS, WB_CHROMIUM, WB_ACCOUNTS (JSON name ->
// password), WB_INI_A, WB_INI_B, WB_PROP (fixture ids). Exit 0 on success, 1 on failure.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumOptions, startServer, stopServer } from './lib.mjs';

const env = process.env;
const shots = env.WB_SHOTS || 'build/screenshots';
mkdirSync(shots, { recursive: true });
const accounts = JSON.parse(env.WB_ACCOUNTS || '{}');
const iniA = env.WB_INI_A, iniB = env.WB_INI_B, prop1 = env.WB_PROP;
const failures = [];
const check = (cond, msg) => { if (!cond) failures.push(msg); };
const log = (...a) => console.log('browser:', ...a);

const server = await startServer(env, env.WB_DB);
log('server at', server.url);
const profileDir = mkdtempSync(join(tmpdir(), 'wb-chromium-'));
let context;
const ready = (page) => page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });

async function loginAs(page, user, next) {
  await page.goto(server.url + 'login.html?next=' + encodeURIComponent(next), { waitUntil: 'load' });
  await ready(page);
  await page.fill('#user', user);
  await page.fill('#password', accounts[user]);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('login.html'), { timeout: 20000 }), page.click('#login-submit')]);
  await ready(page);
  check((await page.locator('#who').innerText()) === user, 'header does not show ' + user);
}

async function logout(page) {
  await Promise.all([page.waitForURL(/login\.html/), page.click('#logout')]);
  await ready(page);
  check(await page.locator('#login-form').isVisible(), 'login form after logout');
}

try {
  context = await chromium.launchPersistentContext(profileDir, chromiumOptions(env, { width: 1366, height: 768 }));
  const foreign = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === '127.0.0.1' || u.protocol === 'data:') return route.continue();
    foreign.push(u.href);
    return route.abort();
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [], dialogs = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    // a refused request shows as "Failed to load resource"; the test checks answers itself
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push('console: ' + m.text());
  });
  page.on('dialog', async (d) => {
    dialogs.push(d.type() + ': ' + d.message());
    await d.dismiss();
  });

  // 1. the register, logged out: list, filters, map
  await page.goto(server.url + 'register.html', { waitUntil: 'load' });
  await ready(page);
  check(await page.locator('#ini-table tbody tr').count() === 2, 'register lists 2 initiatives');
  check(await page.locator('#reg-map path[data-code]').count() === 12, 'register map draws the 12 buurten');
  check(await page.locator('#reg-map path[data-code="BU99990101"]').getAttribute('data-count') === '2',
    'both initiatives are in BU99990101 on the map');
  check(await page.locator('#new-initiative').isHidden(), 'no "new initiative" for visitors');
  await page.selectOption('#f-status', 'lopend');
  await page.waitForFunction(() => document.querySelectorAll('#ini-table tbody tr').length === 1);
  await page.selectOption('#f-status', '');
  await page.waitForFunction(() => document.querySelectorAll('#ini-table tbody tr').length === 2);
  // keyboard on the map: Enter on a buurt filters by it
  await page.focus('#reg-map path[data-code="BU99990203"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('#ini-table tbody tr').length === 0);
  check((await page.inputValue('#f-area')) === 'BU99990203', 'the map filled the area filter');
  await page.click('#f-clear');
  await page.waitForFunction(() => document.querySelectorAll('#ini-table tbody tr').length === 2);
  await page.screenshot({ path: join(shots, 'register.png'), fullPage: true });
  await page.click('#lang');
  check((await page.locator('h1').first().innerText()) === 'Register of initiatives', 'English switch on the register');
  await page.click('#lang');

  // 2. resident 2 logs in and files a proposal with markup in its title and text
  await loginAs(page, 'bewoner2', 'proposals.html');
  await page.screenshot({ path: join(shots, 'login.png') });
  check(page.url().endsWith('proposals.html'), 'login went back to the proposals page: ' + page.url());
  const evilTitle = '<img src=x onerror="window.__xss=1">Speeltuin';
  const evilText = '<script>window.__xss=2</script> Graag een speeltuin bij de school.';
  await page.fill('#file-form input[name="area"]', 'BU99990102');
  await page.fill('#file-form input[name="area_year"]', '2016');
  await page.selectOption('#file-form select[name="theme"]', 'jeugd');
  await page.fill('#file-form input[name="est_cost_eur"]', '15000');
  await page.fill('#file-form input[name="title"]', evilTitle);
  await page.fill('#file-form textarea[name="text"]', evilText);
  await Promise.all([page.waitForURL(/proposal\.html\?id=/), page.click('#file-submit')]);
  await ready(page);
  check((await page.locator('#prop-title').textContent()) === evilTitle, 'the title is shown as text');
  check(await page.locator('#prop-title img').count() === 0 && await page.locator('main img').count() === 0, 'an <img> was made from the title');
  check((await page.locator('#prop-text').textContent()) === evilText, 'the text is shown as text');
  check(await page.locator('#support').isHidden(), 'no support button on one\'s own proposal');
  check(await page.evaluate(() => window.__xss) === undefined, 'a script from the proposal ran');
  const prop2 = new URL(page.url()).searchParams.get('id');
  await page.screenshot({ path: join(shots, 'proposal-filed.png'), fullPage: true });

  // 3. resident 2 supports resident 1's proposal on the list
  await page.goto(server.url + 'proposals.html', { waitUntil: 'load' });
  await ready(page);
  const card = page.locator(`#proposal-list li[data-id="${prop1}"]`);
  check((await card.locator('.support-count').innerText()).includes('0'), 'proposal 1 starts without support');
  await card.locator('button.support-button').click();
  await card.locator('.badge.supported').waitFor();
  check((await card.locator('.support-count').innerText()).includes('1 keer'), 'support count after supporting: ' + await card.locator('.support-count').innerText());
  check(await card.locator('button.support-button').count() === 0, 'the support button is gone after supporting');
  await page.reload({ waitUntil: 'load' });
  await ready(page);
  check(await page.locator(`#proposal-list li[data-id="${prop1}"] .badge.supported`).count() === 1, 'support remembered after a reload');
  await page.screenshot({ path: join(shots, 'proposals-support.png'), fullPage: true });
  await logout(page);

  // 4. resident 1 supports resident 2's proposal with the keyboard only
  await loginAs(page, 'bewoner1', 'proposal.html?id=' + prop2);
  await page.focus('#support');
  await page.keyboard.press('Enter');
  await page.locator('#supported').waitFor();
  check((await page.locator('#support-count').innerText()).includes('1'), 'keyboard support counted');
  await page.screenshot({ path: join(shots, 'proposal-keyboard.png'), fullPage: true });
  await logout(page);

  // 5. partner editor A edits A's initiative: a <script> title, a milestone, a contribution
  await loginAs(page, 'editor-a', 'initiative.html?id=' + iniA);
  check(await page.locator('#ini-edit').isVisible(), 'edit button for the lead partner');
  await Promise.all([page.waitForURL(/edit\.html\?id=/), page.click('#ini-edit')]);
  await ready(page);
  const newTitle = '<script>window.__xss=3</script>Betere verlichting & veiligheid';
  await page.fill('#edit-form input[name="title"]', newTitle);
  await page.fill('#edit-form textarea[name="description"]', 'Meer licht in de straten, samen met de politie.');
  await page.selectOption('#edit-form select[name="status"]', 'lopend');
  await page.check('#edit-form input[name="theme"][value="openbare ruimte"]');
  await page.fill('#edit-form input[name="targets"]', 'lbm_onv:omhoog');
  await page.screenshot({ path: join(shots, 'initiative-edit.png'), fullPage: true });
  // a bad value first: the server names the field and the form focuses it
  await page.fill('#edit-form input[name="end"]', '2020-01-01');
  await page.click('#save');
  await page.waitForSelector('#edit-form input[name="end"][aria-invalid="true"]');
  check((await page.locator('#form-status').innerText()).includes("'end'"), 'the error names the field end');
  await page.fill('#edit-form input[name="end"]', '2024-12-31');
  await Promise.all([page.waitForURL(/initiative\.html\?id=/), page.click('#save')]);
  await ready(page);
  check((await page.locator('#ini-title').textContent()) === newTitle, 'edited title shown as text');
  check(await page.locator('main script').count() === 0, 'a <script> element was made from the title');
  check(await page.evaluate(() => window.__xss) === undefined, 'a script from the initiative title ran');
  check((await page.locator('#ini-facts').innerText()).includes('openbare ruimte'), 'the new theme is shown');
  await page.fill('#ms-form input[name="title"]', 'Lampen geplaatst');
  await page.fill('#ms-form input[name="progress"]', '80');
  await page.click('#ms-form button[type="submit"]');
  await page.locator('#milestones progress').waitFor();
  check(await page.locator('#milestones progress').getAttribute('value') === '80', 'milestone progress 80');
  await page.selectOption('#co-form select[name="kind"]', 'hours');
  await page.fill('#co-form input[name="amount"]', '120');
  await page.fill('#co-form input[name="start"]', '2024-01-01');
  await page.fill('#co-form input[name="end"]', '2024-06-30');
  await page.click('#co-form button[type="submit"]');
  await page.waitForFunction(() => document.querySelectorAll('#contributions tbody tr').length === 3);
  check((await page.locator('#coalition').innerText()).includes('2024'), 'the coalition table has 2024');
  await page.screenshot({ path: join(shots, 'initiative-edited.png'), fullPage: true });
  // B's initiative: no edit button, and the edit page refuses
  await page.goto(server.url + 'initiative.html?id=' + iniB, { waitUntil: 'load' });
  await ready(page);
  check(await page.locator('#ini-edit').isHidden(), 'no edit button on another partner\'s initiative');
  await page.goto(server.url + 'edit.html?id=' + iniB, { waitUntil: 'load' });
  await ready(page);
  check(await page.locator('#edit-form').isHidden(), 'the edit form stays hidden for another partner\'s initiative');

  // 6. the neighbourhood profile lists the area's initiatives and proposals
  await page.goto(server.url + 'profile.html?code=BU99990101&year=2016', { waitUntil: 'load' });
  await ready(page);
  await page.locator('#register-section:not([hidden])').waitFor({ timeout: 10000 });
  const reg = await page.locator('#register-section').innerText();
  check(reg.includes(newTitle), 'the profile lists the edited initiative by its title (as text)');
  check(reg.includes('Bankjes op het plein'), 'the profile lists the resident proposal');
  check(await page.locator('#register-section script, #register-section img').count() === 0, 'markup in the profile register');
  await page.screenshot({ path: join(shots, 'profile-register.png'), fullPage: true });

  check(await page.evaluate(() => window.__xss) === undefined, 'a script from user text ran');
  check(dialogs.length === 0, 'dialogs opened: ' + dialogs.join(' | '));
  check(problems.length === 0, 'errors in the page: ' + problems.join(' | '));
  check(foreign.length === 0, 'requests left the machine: ' + foreign.join(' '));
  // the server's log has no password in it
  for (const [u, pw] of Object.entries(accounts)) check(!server.stderr().includes(pw), 'the password of ' + u + ' is in the server log');
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
