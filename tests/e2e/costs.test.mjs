// End-to-end: the costs of events on the page: a breaking deploy and an upgrade from the menus, a restarted consumer that waits for its old sessions, and the new settings edited live.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, stopApp, openPage, assertCleanRun, setSpeed, waitForSimSeconds, numberIn, screenshotPath } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

test('a breaking deploy from the entry fails sync calls at once; upgrading email from its menu ends it', async () => {
  // The sign-up preset: its guide never pauses for the reader, and analytics dies only at 20 s.
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=en&preset=signup`);
  await page.getByTestId('sync-node-signup').waitFor();
  // Upgrade analytics and cache ahead of the deploy, the safe order; leave email behind.
  for (const group of ['analytics', 'cache']) {
    await page.getByTestId(`event-node-${group}`).click();
    await page.getByTestId('action-upgrade').click();
  }
  await page.getByTestId('sync-node-signup').click();
  await page.getByTestId('action-deploy-breaking').click();
  await setSpeed(page, 72);
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 6);
  await page.getByTestId('play').click();
  const syncSuccess = await page.getByTestId('sync-score-success').textContent();
  assert.notEqual(syncSuccess.trim(), '100.0%', 'sign-ups that call email fail at once');
  assert.equal((await page.getByTestId('event-score-success').textContent()).trim(), '100.0%', 'the event world told everyone success');
  assert.match(await page.getByTestId('event-node-signup').textContent(), /v2/, 'the producer writes version 2');
  assert.match(await page.getByTestId('lag-email').textContent(), /can't read v2/);
  assert.doesNotMatch(await page.getByTestId('lag-analytics').textContent(), /cannot read/, 'upgraded ahead');
  const emailLag = await numberIn(page, 'lag-email');
  assert.ok(emailLag > 20, `email cannot read the new version: its partitions are stuck (lag ${emailLag})`);
  // Its work done, not its lag, tells the upgrade apart: auto-commit moves the lag in 5 s steps.

  await page.getByTestId('event-node-email').click();
  await page.getByTestId('action-upgrade').click();
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 14);
  await page.getByTestId('play').click();
  const status = await page.getByTestId('lag-email').textContent();
  const done = Number((status.match(/([\d,]+) done/) ?? ['', '0'])[1].replace(/,/g, ''));
  assert.ok(done > 20, `upgraded, email reads the stuck events: ${status}`);
  assert.doesNotMatch(await page.getByTestId('lag-email').textContent(), /cannot read/);
  await page.screenshot({ path: await screenshotPath('costs-breaking-en.png'), fullPage: false });
  assertCleanRun(record, server.origin);
  await context.close();
});

test('a consumer restarted within its session timeout says it waits, and the lag grows until the sessions expire', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=en&preset=killed-consumer`);
  await page.getByTestId('sync-node-analytics').waitFor();
  await setSpeed(page, 80);
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 40);
  await page.getByTestId('play').click();
  const node = page.getByTestId('event-node-analytics');
  assert.match(await node.textContent(), /old sessions expire in \d/, 'restarted at 35 s, it waits for 65 s');
  const waiting = await numberIn(page, 'lag-analytics');
  await page.getByTestId('lang-ja').click();
  await page.getByTestId('event-node-analytics').filter({ hasText: '旧セッション失効まで' }).waitFor();
  await page.getByTestId('lang-en').click();
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 75);
  await page.getByTestId('play').click();
  assert.doesNotMatch(await node.textContent(), /old sessions/);
  assert.ok((await numberIn(page, 'lag-analytics')) < waiting, 'read again once the sessions expired');
  assertCleanRun(record, server.origin);
  await context.close();
});

test('the new settings are edited live and travel as configure actions', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=en`);
  await page.getByTestId('sync-node-signup').waitFor();
  await page.getByTestId('set-publish').selectOption('outbox');
  await page.getByTestId('set-max-poll-records').fill('50');
  await page.getByTestId('set-max-poll-records').dispatchEvent('change');
  await page.getByTestId('set-schema-registry').check();
  assert.equal(await page.getByTestId('set-publish').inputValue(), 'outbox');
  assert.equal(await page.getByTestId('set-max-poll-records').inputValue(), '50');
  assert.ok(await page.getByTestId('set-schema-registry').isChecked());
  // A bad value is refused by name, and the previous one kept.
  await page.getByTestId('set-session-timeout').fill('-3');
  await page.getByTestId('set-session-timeout').dispatchEvent('change');
  await page.getByTestId('notice').filter({ hasText: 'event.session_timeout_ms' }).waitFor();
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 2);
  await page.getByTestId('play').click();
  assert.equal((await page.getByTestId('event-score-lost').textContent()).trim(), '0');
  assertCleanRun(record, server.origin);
  await context.close();
});
