// End-to-end: what the first load fetches, the still picture before the app, and text fetched per language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, stopApp, openPage, assertCleanRun, numberIn, setSpeed, waitForSimSeconds, basePath } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

const textFiles = (record) => record.requests.filter((url) => /\/text\/[^/]+\.json$/.test(url)).map((url) => url.split('/').pop());

// Chromium itself logs a failed request ("Failed to load resource: …") as a console error; it
// is the browser's network log, not the page's, and the tests below fail requests on purpose.
const pageErrors = (record) => record.consoleErrors.filter((line) => !line.startsWith('Failed to load resource'));

test('the first load fetches its language only, from under the sub-path, and the still picture gives way to the app', async () => {
  const html = await (await fetch(server.app + '/')).text();
  assert.match(html, /<img class="first-paint-stages" src="first-paint\.svg"/, 'index.html carries the still picture');
  assert.doesNotMatch(html, /(src|href)="\//, 'no asset path is absolute');
  const { page, context, record } = await openPage(browser, server.app + '/?preset=signup', { locale: 'ja-JP' });
  await page.getByText('イベント駆動ログ').waitFor();
  assert.equal(await page.locator('#first-paint').count(), 0, 'the still picture is gone once the app draws');
  assert.deepEqual(textFiles(record), ['ja.json'], 'one text file, the reader\'s');
  for (const url of record.requests) assert.ok(url.includes(basePath), `${url} is under ${basePath}`);
  assertCleanRun(record, server.origin);
  await context.close();
});

test('switching to 日本語 fetches its file once and keeps the clock, trace and scoreboards', async () => {
  const { page, context, record } = await openPage(browser, server.app + '/?lang=en&preset=signup');
  await page.getByTestId('sync-panel').waitFor();
  await setSpeed(page, 90);
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 5);
  await page.getByTestId('play').click();
  const before = {
    clock: await page.getByTestId('clock').textContent(),
    hash: await page.getByTestId('trace-hash').textContent(),
    done: await numberIn(page, 'sync-score-done'),
    lag: await numberIn(page, 'event-score-done'),
  };
  await page.getByTestId('lang-ja').click();
  await page.getByText('同期呼び出しツリー').waitFor();
  await page.getByTestId('lang-en').click();
  await page.getByText('Synchronous call tree').waitFor();
  await page.getByTestId('lang-ja').click();
  await page.getByText('同期呼び出しツリー').waitFor();
  assert.deepEqual(textFiles(record), ['en.json', 'ja.json'], 'ja.json fetched once, on the first switch');
  assert.equal(await page.getByTestId('trace-hash').textContent(), before.hash);
  assert.equal(await numberIn(page, 'sync-score-done'), before.done);
  assert.equal(await numberIn(page, 'event-score-done'), before.lag);
  const clock = (await page.getByTestId('clock').textContent()).replace(/[^\d.]/g, '');
  assert.equal(clock, before.clock.replace(/[^\d.]/g, ''), 'the clock did not move');
  assertCleanRun(record, server.origin);
  await context.close();
});

test('a text file that cannot be fetched is named in a notice and the page falls back to English', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route('**/text/ja.json', (route) => route.fulfill({ status: 503, body: 'down' }));
  await context.route('**/text/zh-Hant.json', (route) => route.abort());
  const page = await context.newPage();
  const record = { consoleErrors: [], requests: [] };
  page.on('console', (message) => message.type() === 'error' && record.consoleErrors.push(message.text()));
  page.on('pageerror', (error) => record.consoleErrors.push(String(error)));
  await page.goto(server.app + '/?lang=ja&preset=signup');
  await page.getByText('Synchronous call tree').waitFor();
  const notice = page.getByTestId('notice');
  assert.match(await notice.textContent(), /text\/ja\.json.*日本語.*HTTP 503.*English/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  // Switching to a language whose file fails keeps the page as it is, and says why.
  await page.getByTestId('lang-zh-Hant').click();
  await notice.filter({ hasText: 'zh-Hant.json' }).waitFor();
  assert.match(await notice.textContent(), /繁體中文.*current language/);
  assert.equal(await page.getByTestId('lang-en').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.getByTestId('sync-panel').getByRole('heading', { level: 2 }).textContent(), 'Synchronous call tree');
  assert.deepEqual(pageErrors(record), [], 'no console error from the page');
  await context.close();
});

test('the charts, mounted a task after the stages, are drawn while the page is still paused at t = 0', async () => {
  const { page, context, record } = await openPage(browser, server.app + '/?lang=en&preset=signup');
  await page.getByTestId('charts').waitFor();
  await page.waitForFunction(() => {
    const canvas = document.querySelector('[data-testid=charts]');
    if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
    return false;
  }, null, { timeout: 5_000 });
  assert.match(await page.getByTestId('clock').textContent(), /t = 0(\.0)? ms/);
  assertCleanRun(record, server.origin);
  await context.close();
});
