// End-to-end: the live explainer, driven through the page as a person would, against the real core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startApp, stopApp, openPage, assertCleanRun, repoRoot, numberIn, simSeconds, waitForSimSeconds, setSpeed, screenshotPath } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

async function openApp(url = '/', options) {
  const opened = await openPage(browser, server.app + url, options);
  await opened.page.getByTestId('sync-node-analytics').waitFor();
  return opened;
}

test('killing analytics: the sync world fails and loses effects, the event world lags, then drains after restore', async () => {
  const { page, context, record } = await openApp();
  await setSpeed(page, 72);
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 3);

  await page.getByTestId('sync-node-analytics').click();
  await page.getByTestId('action-kill').click();
  assert.match(await page.getByTestId('sync-node-analytics').getAttribute('class'), /state-killed/);
  assert.match(await page.getByTestId('event-node-analytics').getAttribute('class'), /state-killed/);
  const killedAt = await simSeconds(page);
  await waitForSimSeconds(page, killedAt + 10);

  const syncLost = await numberIn(page, 'sync-score-lost');
  const syncSuccess = await numberIn(page, 'sync-score-success');
  assert.ok(syncLost > 0 || syncSuccess < 100, `sync world suffers: lost ${syncLost}, success ${syncSuccess}%`);
  assert.equal(await numberIn(page, 'event-score-success'), 100, 'no user-facing failure in the event world');
  assert.equal(await numberIn(page, 'event-score-lost'), 0);
  const lagWhileDown = await numberIn(page, 'lag-analytics');
  assert.ok(lagWhileDown > 50, `analytics' lag rises while it is down: ${lagWhileDown}`);
  await page.screenshot({ path: await screenshotPath('screenshot-killed.png'), fullPage: true });

  await page.getByTestId('sync-node-analytics').click();
  await page.getByTestId('action-restore').click();
  const deadline = Date.now() + 60_000;
  while ((await numberIn(page, 'lag-analytics')) !== 0) {
    assert.ok(Date.now() < deadline, 'the lag drains to zero after restore');
    await page.waitForTimeout(100);
  }
  assert.equal(await numberIn(page, 'event-score-lost'), 0, 'the event world lost nothing');
  assertCleanRun(record, server.origin);
  await context.close();
});

test('the trace hash shown for a run equals the one ripple-sim prints for the same scenario and seed', async () => {
  const { page, context, record } = await openApp();
  for (let i = 0; i < 10; i += 1) await page.getByTestId('step').click();
  assert.equal(await simSeconds(page), 1);
  const shown = (await page.getByTestId('trace-hash').textContent()).trim();
  const cli = execFileSync(
    'cargo',
    ['run', '--quiet', '--bin', 'ripple-sim', '--', '--preset', 'happy-path', '--duration-ms', '1000'],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  assert.equal(shown, JSON.parse(cli).trace_hash);
  assertCleanRun(record, server.origin);
  await context.close();
});

test('keyboard: arrows move between services, Enter opens the actions, Escape closes them, Space plays', async () => {
  const { page, context, record } = await openApp();
  await page.getByTestId('sync-node-signup').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-testid')), 'sync-node-email');
  const label = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
  assert.match(label, /^email: up, 0 of 8 workers busy/);
  await page.keyboard.press('Enter');
  await page.getByTestId('action-menu').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-testid')), 'action-kill');
  await page.keyboard.press('Escape');
  await page.getByTestId('action-menu').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-testid')), 'sync-node-email');
  await page.keyboard.press('Space');
  assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'true');
  await waitForSimSeconds(page, 0.5);
  await page.keyboard.press('Space');
  assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false');
  assertCleanRun(record, server.origin);
  await context.close();
});

test('adding a consumer redeploys the sync caller and subscribes a new group; a clashing name is refused', async () => {
  const { page, context, record } = await openApp();
  await setSpeed(page, 72);
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 6);
  await page.getByTestId('consumer-name').fill('audit');
  await page.getByTestId('consumer-start').selectOption('earliest');
  await page.getByTestId('consumer-add').click();
  await page.getByTestId('event-node-audit').waitFor();
  await page.getByTestId('sync-node-audit').waitFor();
  await page.getByText('redeploying: + call audit').waitFor();
  // The happy-path narration pauses at 8 s for the reader to kill analytics; play on past it.
  await page.getByTestId('narration-waiting').waitFor();
  assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false');
  await page.getByTestId('play').click();
  await page.getByText('+ call audit', { exact: true }).waitFor({ timeout: 30_000 });
  // From `earliest`, the new group replays the sign-ups published before it existed, which
  // the redeployed sync caller can never call it for.
  const doneIn = async (testid) => Number((await page.getByTestId(testid).textContent()).replace(/,/g, '').match(/(\d+) done/)[1]);
  const eventDone = await doneIn('lag-audit');
  const syncDone = await doneIn('sync-done-audit');
  assert.ok(eventDone >= syncDone + 40, `event world covers history: event ${eventDone}, sync ${syncDone}`);

  await page.getByTestId('consumer-name').fill('email');
  await page.getByTestId('consumer-add').click();
  const notice = await page.getByTestId('notice').textContent();
  assert.match(notice, /^Not applied: /);
  assert.match(notice, /email/);
  assert.equal(await page.getByTestId('event-node-audit').count(), 1, 'the earlier consumer is still there');

  await page.getByTestId('event-node-analytics').click();
  assert.match(await page.getByTestId('instances').textContent(), /2/);
  await page.getByTestId('scale-up').click();
  await page.getByTestId('scale-up').click();
  assert.match(await page.getByTestId('instances').textContent(), /4/);
  assertCleanRun(record, server.origin);
  await context.close();
});

test('keyboard only: play, select a service, kill it, restore it', async () => {
  const { page, context, record } = await openApp();
  let focused = '';
  for (let presses = 0; presses < 80 && focused !== 'sync-node-signup'; presses += 1) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
  }
  assert.equal(focused, 'sync-node-signup', 'Tab reaches the call tree');
  await page.keyboard.press('Space');
  assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'true');
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-testid')), 'sync-node-analytics');
  await page.keyboard.press('Enter');
  await page.getByTestId('action-menu').waitFor();
  await page.waitForTimeout(300); // let a few refreshes pass: focus must survive them
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-testid')), 'action-kill');
  await page.keyboard.press('Enter');
  assert.match(await page.getByTestId('sync-node-analytics').getAttribute('class'), /state-killed/);
  assert.match(await page.getByTestId('sync-node-analytics').getAttribute('aria-label'), /^analytics: killed/);
  let restoreFocused = false;
  for (let presses = 0; presses < 6 && !restoreFocused; presses += 1) {
    await page.keyboard.press('Tab');
    restoreFocused = await page.evaluate(() => document.activeElement.getAttribute('data-testid') === 'action-restore');
  }
  assert.ok(restoreFocused, 'Tab reaches Restore inside the menu');
  await page.keyboard.press('Enter');
  assert.match(await page.getByTestId('sync-node-analytics').getAttribute('class'), /state-up/);
  assertCleanRun(record, server.origin);
  await context.close();
});

test('switching language keeps the run: same clock, same trace hash', async () => {
  const { page, context, record } = await openApp();
  for (let i = 0; i < 5; i += 1) await page.getByTestId('step').click();
  const hash = await page.getByTestId('trace-hash').textContent();
  await page.getByTestId('lang-ja').click();
  await page.getByText('同期呼び出しツリー').first().waitFor();
  assert.equal(await page.getByTestId('trace-hash').textContent(), hash);
  assert.match(await page.getByTestId('clock').textContent(), /500 ミリ秒/);
  assertCleanRun(record, server.origin);
  await context.close();
});

test('clicking a moving dot follows its request in both worlds', async () => {
  const { page, context, record } = await openApp();
  await page.getByTestId('play').click();
  // Find the centre of a call dot on the sync canvas and click the stage right there, in one
  // task, as a pointer would: the page maps the point back to the dot's request.
  const clicked = await page.waitForFunction(() => {
    const canvas = document.querySelector('[data-testid=sync-panel] canvas.dots');
    const { width, height } = canvas;
    const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    const isCall = (x, y) => {
      const i = (y * width + x) * 4;
      return pixels[i] === 0x25 && pixels[i + 1] === 0x63 && pixels[i + 2] === 0xeb && pixels[i + 3] === 255;
    };
    for (let y = 2; y < height - 2; y += 1) {
      for (let x = 2; x < width - 2; x += 1) {
        if (isCall(x, y) && isCall(x - 1, y) && isCall(x + 1, y) && isCall(x, y - 1) && isCall(x, y + 1)) {
          const box = canvas.getBoundingClientRect();
          const clientX = box.left + (x + 0.5) * box.width / width;
          const clientY = box.top + (y + 0.5) * box.height / height;
          const under = document.elementFromPoint(clientX, clientY);
          under.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX, clientY }));
          return { clientX, clientY };
        }
      }
    }
    return null;
  }, null, { timeout: 20_000 });
  assert.ok(await clicked.jsonValue(), 'a call dot was on screen');
  await page.getByTestId('journey').waitFor();
  const id = (await page.getByTestId('journey').locator('p').first().textContent()).trim();
  assert.match(id, /^#\d+$/);
  assert.match(await page.getByTestId('journey-sync').textContent(), /arrives/);
  assert.match(await page.getByTestId('journey-event').textContent(), /appended at partition \d+, offset \d+/);
  assertCleanRun(record, server.origin);
  await context.close();
});

test('a followed request shows its journey in both worlds', async () => {
  const { page, context, record } = await openApp();
  for (let i = 0; i < 20; i += 1) await page.getByTestId('step').click();
  await page.getByTestId('follow-id').fill('3');
  await page.getByTestId('follow-go').click();
  await page.getByTestId('journey').waitFor();
  const sync = await page.getByTestId('journey-sync').textContent();
  const event = await page.getByTestId('journey-event').textContent();
  assert.match(sync, /arrives/);
  assert.match(event, /appended at partition \d+, offset \d+/);
  assert.match(event, /fetched it/);
  assertCleanRun(record, server.origin);
  await context.close();
});
