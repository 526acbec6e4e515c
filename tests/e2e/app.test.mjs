// End-to-end: the built app in headless Chromium, driven the way a person would use it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, stopApp, openPage, assertCleanRun, screenshotPath } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

test('the first screen shows both labelled world panels and no console error', async () => {
  const { page, context, record } = await openPage(browser, server.app + '/');
  const sync = page.getByTestId('sync-panel');
  const event = page.getByTestId('event-panel');
  await sync.waitFor({ state: 'visible' });
  await event.waitFor({ state: 'visible' });
  assert.equal(await sync.getByRole('heading', { level: 2 }).textContent(), 'Synchronous call tree');
  assert.equal(await event.getByRole('heading', { level: 2 }).textContent(), 'Event-driven log');
  const syncBox = await sync.boundingBox();
  const eventBox = await event.boundingBox();
  assert.ok(eventBox.x > syncBox.x + syncBox.width - 1, 'panels sit side by side on a wide screen');
  assertCleanRun(record, server.origin);
  await page.screenshot({ path: await screenshotPath('screenshot.png') });
  await context.close();
});

test('the language switch retranslates live, and ?lang= picks the starting language', async () => {
  const { page, context, record } = await openPage(browser, server.app + '/');
  await page.getByTestId('sync-panel').waitFor();
  await page.getByTestId('lang-zh-Hant').click();
  await page.getByText('事件驅動日誌').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hant');
  await page.screenshot({ path: await screenshotPath('screenshot-zh-Hant.png') });
  await page.getByTestId('lang-ja').click();
  await page.getByText('同期呼び出しツリー').waitFor();
  assert.equal(await page.getByTestId('lang-ja').getAttribute('aria-pressed'), 'true');
  assertCleanRun(record, server.origin);
  await context.close();

  const opened = await openPage(browser, server.app + '/?lang=ja');
  await opened.page.getByText('イベント駆動ログ').waitFor();
  await opened.page.screenshot({ path: await screenshotPath('screenshot-ja.png') });
  assertCleanRun(opened.record, server.origin);
  await opened.context.close();
});

test('the browser language decides when there is no ?lang=', async () => {
  const { page, context, record } = await openPage(browser, server.app + '/', { locale: 'zh-TW' });
  await page.getByText('同步呼叫樹').waitFor();
  assertCleanRun(record, server.origin);
  await context.close();
});

test('under 900 px the panels stack vertically', async () => {
  const { page, context, record } = await openPage(browser, server.app + '/', { viewport: { width: 700, height: 1000 } });
  const sync = page.getByTestId('sync-panel');
  const event = page.getByTestId('event-panel');
  await event.waitFor();
  const syncBox = await sync.boundingBox();
  const eventBox = await event.boundingBox();
  assert.ok(eventBox.y >= syncBox.y + syncBox.height - 1, 'the event panel sits below the sync panel');
  assertCleanRun(record, server.origin);
  await context.close();
});

test('the page runs under a Content-Security-Policy of self and wasm-unsafe-eval, which blocks inline scripts', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(server.app + '/');
  await page.getByTestId('sync-node-analytics').waitFor();
  await page.getByTestId('step').click();
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.match(policy, /default-src 'self';/);
  // No exceptions: charts measure their text on the canvas, not with an inline-styled element.
  assert.doesNotMatch(policy, /unsafe-inline|data:|https?:|\*/);
  // Let the charts draw (at most twice a second), and export one, so their text is measured too.
  await page.waitForTimeout(700);
  const download = page.waitForEvent('download');
  await page.getByTestId('export-svg').click();
  assert.match(await (await download).suggestedFilename(), /\.svg$/);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'the app itself breaks no rule');
  // The policy is live: an injected inline script does not run.
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true;';
    document.body.appendChild(script);
    return window.injected === true;
  });
  assert.equal(ran, false);
  await context.close();
});
