// End-to-end: an independent accessibility audit (axe-core, WCAG 2.0–2.2 A and AA) of every state a reader meets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import { startApp, stopApp, openPage, assertCleanRun, setSpeed, waitForSimSeconds, screenshotPath } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

// wcag21a carries label-content-name-mismatch (what voice control needs); best-practice carries
// `region` (content outside landmarks), so a moderate finding shows up here before a reader.
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Audits the page as it is now; fails on any violation, naming each rule and where. */
async function audit(page, state) {
  const results = await new AxeBuilder({ page }).withTags(tags).analyze();
  const found = results.violations.map((v) => `${v.impact} ${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, [], `axe finds nothing on ${state}`);
  assert.ok(results.passes.length > 20, `axe checked ${state} (${results.passes.length} rules passed)`);
}

test('the default page, paused and playing, in each language, has no accessibility violation', async () => {
  for (const lang of ['en', 'zh-Hant', 'ja']) {
    const { page, context, record } = await openPage(browser, `${server.app}/?lang=${lang}`);
    await page.getByTestId('sync-node-signup').waitFor();
    await page.locator('.app-footer').waitFor();
    await audit(page, `the paused page (${lang})`);
    if (lang === 'en') {
      await setSpeed(page, 72);
      await page.getByTestId('play').click();
      await waitForSimSeconds(page, 2);
      await audit(page, 'the playing page');
    }
    assertCleanRun(record, server.origin);
    await context.close();
  }
});

test('the action menu, the architecture editor and an exercise verdict have no accessibility violation', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=en&preset=signup`);
  await page.getByTestId('sync-node-analytics').click();
  await page.getByTestId('action-kill').waitFor();
  await audit(page, 'the open action menu');
  await page.keyboard.press('Escape');
  await page.getByTestId('edit-architecture').click();
  await page.getByTestId('editor').waitFor();
  await audit(page, 'the architecture editor');
  await page.getByTestId('exercise').selectOption('no-loss-no-duplicates');
  await page.getByTestId('exercise-check').click();
  await page.getByTestId('exercise-verdict').waitFor();
  await audit(page, 'an exercise with its verdict');
  assertCleanRun(record, server.origin);
  await context.close();
});

test('the embed has no accessibility violation', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?preset=happy-path&lang=en&embed=1&panels=sync,event,charts`);
  await page.getByTestId('embed').waitFor();
  await page.getByTestId('sync-node-signup').waitFor();
  await audit(page, 'the embed');
  assertCleanRun(record, server.origin);
  await context.close();
});

test('the skip link is the first stop for a keyboard and lands on the two worlds', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=ja`);
  await page.getByTestId('sync-node-signup').waitFor();
  await page.keyboard.press('Tab');
  const skip = page.getByTestId('skip-link');
  assert.equal(await skip.evaluate((el) => el === document.activeElement), true, 'Tab reaches the skip link first');
  assert.equal(await skip.textContent(), '二つの世界へ移動');
  assert.ok((await skip.boundingBox()).y >= 0, 'the focused skip link is on screen');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'stages');
  assertCleanRun(record, server.origin);
  await context.close();
});

test('? opens the keyboard shortcuts in the reader\'s language, and Esc closes them', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=zh-Hant`);
  await page.getByTestId('sync-node-signup').waitFor();
  const list = page.getByTestId('shortcuts');
  assert.equal(await list.isHidden(), true);
  await page.keyboard.press('?');
  await list.waitFor();
  assert.equal(await page.locator('#shortcuts-title').textContent(), '鍵盤快捷鍵');
  assert.ok((await list.locator('dt').count()) >= 6, 'every shortcut is listed');
  await audit(page, 'the open shortcuts list');
  await page.keyboard.press('Escape');
  await list.waitFor({ state: 'hidden' });
  // The footer's button opens it too, for readers who do not know `?`.
  await page.getByTestId('shortcuts-button').click();
  await list.waitFor();
  assertCleanRun(record, server.origin);
  await context.close();
});

test('killing analytics is announced once, in the page\'s language, through the polite live region', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=ja`);
  await page.getByTestId('sync-node-signup').waitFor();
  const region = page.getByTestId('announcer');
  assert.equal(await region.getAttribute('aria-live'), 'polite');
  await page.evaluate(() => {
    window.__said = [];
    const region = document.querySelector('[data-testid=announcer]');
    new MutationObserver(() => window.__said.push(region.textContent)).observe(region, { childList: true, characterData: true, subtree: true });
  });
  await page.getByTestId('sync-node-analytics').click();
  await page.getByTestId('action-kill').click();
  await page.waitForFunction(() => window.__said.some((text) => text.includes('analytics')), null, { timeout: 10_000 });
  await page.waitForTimeout(3500);
  const said = await page.evaluate(() => window.__said.filter((text) => text.trim() !== ''));
  const naming = said.filter((text) => text.includes('analytics'));
  assert.equal(naming.length, 1, `one announcement names analytics: ${JSON.stringify(said)}`);
  assert.match(naming[0], /[\u3040-\u30ff\u4e00-\u9fff]/, `it is in Japanese: ${naming[0]}`);
  assertCleanRun(record, server.origin);
  await context.close();
});

test('on a 390 px phone the page fits its width in each language, and a tap kills a service', async () => {
  for (const lang of ['en', 'zh-Hant', 'ja']) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const errors = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${server.app}/?lang=${lang}&preset=signup`);
    await page.getByTestId('sync-node-analytics').waitFor();
    await page.locator('.app-footer').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${lang}: the document is ${width} px wide on a 390 px screen`);
    const charts = await page.getByTestId('charts').boundingBox();
    assert.ok(charts.height > charts.width, `${lang}: the charts stand one per row (${charts.width}×${charts.height})`);
    if (lang !== 'zh-Hant') {
      await page.getByTestId('sync-node-analytics').tap();
      await page.getByTestId('action-kill').tap();
      await page.waitForFunction(() => /state-killed/.test(document.querySelector('[data-testid=sync-node-analytics]')?.getAttribute('class') ?? ''));
      // The README's phone pictures: the two worlds as a phone first shows them.
      await page.locator('#stages').evaluate((el) => el.scrollIntoView());
      await page.screenshot({ path: await screenshotPath(`screenshot-phone-${lang}.png`) });
    }
    assert.deepEqual(errors, [], `${lang}: no console error`);
    await context.close();
  }
});

/** The dot canvases' pixels, to compare two moments. */
const dotPixels = (page) => page.evaluate(() => [...document.querySelectorAll('.stage canvas')].map((c) => c.toDataURL()).join('|'));

/** Every number on an edge, in drawing order. */
const edgeNumbers = (page) => page.getByTestId('edge-rate').allTextContents();

/**
 * Watches the elements matching `selector` for 3 s in the page and fails unless they change,
 * and never twice within 450 ms (mutations within one frame are one change).
 */
async function assertAtMostTwiceASecond(page, selector) {
  const moments = await page.evaluate((selector) => new Promise((resolve) => {
    const seen = [];
    const observer = new MutationObserver(() => seen.push(performance.now()));
    for (const element of document.querySelectorAll(selector)) {
      observer.observe(element, { subtree: true, characterData: true, childList: true });
    }
    setTimeout(() => { observer.disconnect(); resolve(seen); }, 3000);
  }), selector);
  const changes = moments.filter((at, i) => i === 0 || at - moments[i - 1] > 50);
  assert.ok(changes.length >= 2, `${selector} follows the run: ${changes.length} changes in 3 s`);
  const gaps = changes.slice(1).map((at, i) => at - changes[i]);
  assert.ok(Math.min(...gaps) >= 450, `${selector} changes at most twice a second: gaps ${gaps.map(Math.round)} ms`);
}

test('asked for less motion, no dot travels, and the edges show steady numbers that follow the traffic', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=en`, { reducedMotion: 'reduce' });
  await page.getByTestId('sync-node-signup').waitFor();
  assert.equal(await page.getByTestId('still-view').isChecked(), true, 'the toggle shows the preference');
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 1.5);
  const before = await dotPixels(page);
  const clock = await page.getByTestId('clock').textContent();
  await page.waitForTimeout(150);
  assert.notEqual(await page.getByTestId('clock').textContent(), clock, 'the run is playing');
  assert.equal(await dotPixels(page), before, 'the dot canvases are unchanged 150 ms apart');
  // The user's edge in each world shows about the configured 40 requests a second.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=edge-rate]').length >= 8);
  const arrivals = async () => (await edgeNumbers(page)).filter((t) => /^\d[\d.k]*\/s$/.test(t)).map((t) => Number(t.replace('/s', '').replace('k', '000')));
  // The numbers change at most twice a second.
  await assertAtMostTwiceASecond(page, '[data-testid=edge-rate]');
  const quiet = Math.max(...(await arrivals()));
  assert.ok(quiet > 0 && quiet < 100, `about 40 requests a second arrive: ${quiet}`);
  // Ten times the traffic shows as a ten times larger number, without anything moving.
  await page.getByTestId('rate').fill('400');
  await page.getByTestId('rate').press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=edge-rate]')].some((t) => Number(t.textContent.replace('/s', '')) > 250), null, { timeout: 10_000 });
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('still')), true);
  await audit(page, 'the still view');
  await page.screenshot({ path: await screenshotPath('screenshot-still.png') });
  assertCleanRun(record, server.origin);
  await context.close();
});

test('the still view is a toggle for anyone, and an embed never starts by itself for a reader who asked for less motion', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=ja`);
  await page.getByTestId('sync-node-signup').waitFor();
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 1);
  assert.equal(await page.getByTestId('edge-rate').count(), 0, 'moving dots, no numbers');
  const moving = await dotPixels(page);
  await page.waitForTimeout(150);
  assert.notEqual(await dotPixels(page), moving, 'without the preference the dots travel');
  await page.getByTestId('still-view').check();
  await page.getByTestId('edge-rate').first().waitFor();
  const still = await dotPixels(page);
  await page.waitForTimeout(150);
  assert.equal(await dotPixels(page), still, 'the toggle stops the dots');
  assert.match((await edgeNumbers(page)).join(' '), /秒/, 'the numbers are in Japanese');
  assertCleanRun(record, server.origin);
  await context.close();
  const embed = await openPage(browser, `${server.app}/?lang=en&embed=1&autoplay=1&controls=speed`, { reducedMotion: 'reduce' });
  await embed.page.getByTestId('embed-held').waitFor();
  await embed.page.waitForTimeout(1000);
  assert.match(await embed.page.getByTestId('clock').textContent(), /t = 0/, 'the embed did not start');
  await embed.page.getByTestId('play').click();
  await waitForSimSeconds(embed.page, 0.5);
  assertCleanRun(embed.record, server.origin);
  await embed.context.close();
});

test('each world and each chart reads as a table that follows the run', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=en`);
  await page.getByTestId('sync-node-signup').waitFor();
  await page.getByTestId('sync-table-open').click();
  await page.getByTestId('event-table-open').click();
  const rows = page.getByTestId('sync-table').locator('tbody tr');
  assert.deepEqual(await rows.locator('th').allTextContents(), ['signup', 'email', 'template', 'analytics', 'cache']);
  await setSpeed(page, 40);
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 3);
  await page.getByTestId('sync-node-analytics').click();
  await page.getByTestId('action-kill').click();
  const analytics = (testid) => page.getByTestId(testid).locator('tbody tr', { hasText: 'analytics' });
  await page.waitForFunction(() => /killed/.test([...document.querySelectorAll('[data-testid=event-table] tbody tr')].find((r) => r.textContent.includes('analytics'))?.textContent ?? ''));
  assert.match(await analytics('sync-table').textContent(), /killed/);
  // Lag is the event table's: the killed consumer's grows while the others stay near zero.
  const lagOf = async () => Number((await analytics('event-table').locator('td').nth(3).textContent()).replace(/,/g, ''));
  const lagBefore = await lagOf();
  await waitForSimSeconds(page, 8);
  assert.ok((await lagOf()) > lagBefore, 'the killed consumer\'s lag grows in the table');
  await assertAtMostTwiceASecond(page, '[data-testid=event-table] tbody');
  for (let index = 0; index < 4; index += 1) {
    await page.getByTestId(`chart-table-${index}-open`).click();
    const table = page.getByTestId(`chart-table-${index}`);
    await table.locator('tbody tr').first().waitFor();
    assert.ok((await table.locator('thead th').count()) >= 2, `chart ${index} has its columns`);
  }
  const successRows = page.getByTestId('chart-table-0').locator('tbody tr');
  const count = await successRows.count();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=chart-table-0] tbody tr').length > n, count, { timeout: 10_000 });
  await audit(page, 'the open tables');
  assertCleanRun(record, server.origin);
  await context.close();
});
