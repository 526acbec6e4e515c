// End-to-end: why it failed, for a system nobody wrote a narration for: the "what happened" box names the chain, the stage's marker highlights it, and a language switch re-words both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, stopApp, openPage, assertCleanRun, setSpeed, screenshotPath } from './harness.mjs';
import { buildShop } from './shop.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

test('a hung leaf in a tree built in the editor is explained as a chain, on the stage and in words', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=en`);
  await page.getByTestId('sync-node-analytics').waitFor();
  await buildShop(page);
  await page.getByTestId('ed-close').click();
  // At 1 s, hang billing, the leaf behind orders; then play the run to its end.
  for (let i = 0; i < 10; i += 1) await page.getByTestId('step').click();
  await page.getByTestId('sync-node-billing').click();
  await page.getByTestId('action-hang').click();
  await setSpeed(page, 72);
  await page.getByTestId('play').click();
  const syncWhy = page.locator('[data-testid=annotations] [data-testid=why][data-world=sync]').first();
  await syncWhy.waitFor({ timeout: 60_000 });

  // The box names the chain and its root, with the run's numbers.
  const told = await syncWhy.textContent();
  assert.match(told, /^Sync world /, told);
  assert.match(told, /The chain: shop → orders → billing\./, told);
  assert.match(told, /billing was hung from 1\.0 s\./, told);
  assert.match(told, /\d+ (requests|calls)/, told);

  // The marker sits on the chain's first service; pressed, it highlights the chain and says it.
  const marker = page.getByTestId('sync-why');
  assert.match(await marker.getAttribute('aria-label'), /shop → orders → billing/);
  assert.equal(await page.getByTestId('sync-why-chain').count(), 0, 'nothing is highlighted until asked');
  await marker.click();
  const chain = page.getByTestId('sync-why-chain');
  await chain.waitFor();
  assert.equal(await chain.locator('polyline.why-edge').count(), 2, 'shop → orders and orders → billing');
  assert.equal(await chain.locator('rect.why-ring').count(), 3);
  assert.equal(await marker.getAttribute('aria-pressed'), 'true');
  assert.match(await page.getByTestId('sync-why-text').textContent(), /billing was hung/);
  await page.screenshot({ path: await screenshotPath('why-en.png'), fullPage: false });

  // Another language re-words the box and the caption; the chain stays.
  await page.getByTestId('lang-ja').click();
  await page.locator('[data-testid=annotations] [data-testid=why][data-world=sync]', { hasText: '連鎖：shop → orders → billing。' }).first().waitFor();
  assert.match(await page.getByTestId('sync-why-text').textContent(), /billing は .*応答しなくなっていました。/);
  assert.match(await page.getByTestId('sync-why').getAttribute('aria-label'), /連鎖/);
  await page.getByTestId('lang-zh-Hant').click();
  await page.locator('[data-testid=annotations] [data-testid=why][data-world=sync]', { hasText: '連鎖：shop → orders → billing。' }).first().waitFor();
  assert.match(await page.getByTestId('sync-why-text').textContent(), /billing 從 .* 起卡住了。/);
  // Pressed again, the highlight goes.
  await page.getByTestId('sync-why').click();
  await chain.waitFor({ state: 'detached' });
  assertCleanRun(record, server.origin);
  await context.close();
});
