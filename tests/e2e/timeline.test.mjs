// End-to-end: the timeline seeks both worlds, acting in the past branches, and branches can be switched and compared.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, stopApp, openPage, assertCleanRun, setSpeed, simSeconds, waitForSimSeconds, screenshotPath } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

const SCORES = ['success', 'p99', 'done', 'duplicated', 'lost', 'pending', 'inconsistent', 'lag'];

/** Clock, trace hash and every scoreboard cell of both worlds. */
async function snapshot(page) {
  const cells = {};
  for (const world of ['sync', 'event']) {
    for (const metric of SCORES) {
      const cell = page.getByTestId(`${world}-score-${metric}`);
      if (await cell.count()) cells[`${world}-${metric}`] = await cell.textContent();
    }
  }
  return {
    clock: await page.getByTestId('clock').textContent(),
    hash: (await page.getByTestId('trace-hash').textContent()).trim(),
    cells,
  };
}

/** Drags the timeline to `ms` of simulated time, as a user's drag ends there. */
async function seek(page, ms) {
  await page.getByTestId('timeline-scrub').evaluate((input, value) => {
    input.value = String(value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);
  // The thumb shows where a seek goes at once; the status says "Going to" until it is there.
  await page.waitForFunction(
    (want) =>
      document.querySelector('[data-testid="timeline-scrub"]').value === String(want) &&
      !document.querySelector('[data-testid="status"]').textContent.startsWith('Going to'),
    ms,
  );
}

/** Opens killed-consumer (analytics dies at 10 s by script) and plays it past `seconds`, then pauses. */
async function playKilledConsumer(seconds) {
  const opened = await openPage(browser, `${server.app}/?preset=killed-consumer&lang=en`);
  const { page } = opened;
  await page.getByTestId('sync-node-analytics').waitFor();
  await setSpeed(page, 100);
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, seconds);
  await page.getByTestId('play').click();
  return opened;
}

test('seeking back and then forward to the same time shows identical scoreboards', async () => {
  const { page, context, record } = await playKilledConsumer(26);
  await seek(page, 25_000);
  assert.equal(await simSeconds(page), 25);
  const first = await snapshot(page);
  // The scripted kill is marked on the timeline, and the sync world has failed by now.
  assert.ok((await page.getByTestId('timeline-mark').count()) >= 1, 'faults are marked');
  await seek(page, 3_000);
  assert.equal(await simSeconds(page), 3);
  const early = await snapshot(page);
  assert.notEqual(early.hash, first.hash, 'the past is a different state');
  assert.equal(early.cells['sync-lost'], '0', 'no effect was lost before the kill');
  await assert.doesNotReject(page.getByTestId('timeline-past').waitFor({ state: 'visible' }));
  await seek(page, 25_000);
  assert.deepEqual(await snapshot(page), first);
  assert.equal(await page.getByTestId('branch-1').count(), 1);
  assert.equal(await page.getByTestId('branch-2').count(), 0, 'seeking never branches');
  assertCleanRun(record, server.origin);
  await context.close();
});

test('a change at t=10 s starts a branch; switching back finds the original untouched; branches compare', async () => {
  const { page, context, record } = await playKilledConsumer(26);
  await seek(page, 25_000);
  const original = await snapshot(page);

  await seek(page, 10_000);
  await page.getByTestId('set-retries').fill('4');
  await page.getByTestId('set-retries').dispatchEvent('change');
  await page.getByTestId('branch-2').waitFor();
  assert.equal(await page.getByTestId('branch-2').getAttribute('aria-pressed'), 'true');
  const label = await page.getByTestId('branch-2').textContent();
  assert.match(label, /from branch 1 at 10(\.0)? s/);
  assert.match(label, /max_retries=4/);
  assert.equal(await simSeconds(page), 10, 'branching keeps the moment');

  await seek(page, 25_000);
  const changed = await snapshot(page);
  assert.notEqual(changed.hash, original.hash, 'the new branch has its own future');

  await page.getByTestId('branch-1').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="branch-1"]').getAttribute('aria-pressed') === 'true');
  assert.deepEqual(await snapshot(page), original, 'the original branch is untouched');

  await page.getByTestId('compare-branch').selectOption('2');
  const table = page.getByTestId('branch-compare');
  await table.waitFor();
  const lostRow = await page.getByTestId('compare-lost').locator('td').allTextContents();
  assert.equal(lostRow[0], original.cells['sync-lost'], 'this branch, sync');
  assert.equal(lostRow[1], changed.cells['sync-lost'], 'the other branch, sync');
  assert.equal(lostRow[3], changed.cells['event-lost'], 'the other branch, event');
  // The charts draw the compared branch faded under this one, and the legend says so.
  assert.equal(await page.getByTestId('compare-key').textContent(), 'faded: branch 2');
  await page.waitForTimeout(700);
  await page.getByTestId('timeline').scrollIntoViewIfNeeded();
  await page.screenshot({ path: await screenshotPath('screenshot-branches.png'), fullPage: true });
  assertCleanRun(record, server.origin);
  await context.close();
});
