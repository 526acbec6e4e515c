//! End-to-end: the sweep panel on the built app: capacity curves and knees from a Web Worker, cancel, frame rate while sweeping, and the link that reopens a sweep.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startApp, stopApp, openPage, assertCleanRun, simSeconds, screenshotPath } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

/** Opens the panel and fills in a sweep of the arrival rate. */
async function fillSweep(page, from, to, points) {
  await page.getByTestId('open-sweep').click();
  await page.getByTestId('sweep-param').selectOption('workload.arrivals.rate_per_s');
  await page.getByTestId('sweep-from').fill(String(from));
  await page.getByTestId('sweep-to').fill(String(to));
  await page.getByTestId('sweep-points').fill(String(points));
}

async function finished(page) {
  await page.getByTestId('sweep-status').getByText(/points in/).waitFor({ timeout: 180_000 });
}

/** The sweep's table as the JSON export writes it. */
async function exportedTable(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sweep-json').click()]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

test('sweeping the default scenario\'s arrival rate: the sync curve falls below the event curve, and a knee says where', async () => {
  const { page, record } = await openPage(browser, `${server.app}/?lang=en`);
  await page.getByTestId('sync-node-signup').waitFor();
  await fillSweep(page, 10, 1000, 10);
  await page.getByTestId('sweep-run').click();
  await page.getByTestId('sweep-progress').waitFor();
  await finished(page);
  const table = await exportedTable(page);
  assert.equal(table.points.length, 10);
  assert.equal(table.sweep.path, 'workload.arrivals.rate_per_s');
  const last = table.points.at(-1);
  assert.ok(last.sync.success_rate < last.event.success_rate, `at ${last.value} req/s sync ${last.sync.success_rate} < event ${last.event.success_rate}`);
  assert.ok(table.points.every((p) => p.sync.success_rate <= p.event.success_rate + 1e-9), 'the event world answers at least as many at every point');
  const knees = await page.getByTestId('sweep-knees').textContent();
  assert.match(knees, /Synchronous call tree: success falls below 99 % at [\d,.]+ req\/s\./);
  const fall = table.knees.find((k) => k.kind === 'success_falls' && k.world === 'sync');
  assert.ok(fall && fall.at > 100 && fall.at < 1000, `the knee lies inside the range: ${JSON.stringify(fall)}`);
  // Each chart draws (its canvas is not blank) and a point opens its run in the main view.
  const inked = await page.getByTestId('sweep-chart-0').evaluate((canvas) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] !== data[i + 1] || data[i + 1] !== data[i + 2]) coloured += 1;
    return coloured;
  });
  assert.ok(inked > 100, 'the success chart has coloured curves');
  // The same numbers as a table, a row a point.
  await page.getByTestId('sweep-table-open').click();
  const rows = page.getByTestId('sweep-table').locator('tbody tr');
  assert.equal(await rows.count(), 10);
  assert.equal((await rows.first().locator('th').textContent()).trim(), '10 req/s');
  await page.getByTestId('sweep').screenshot({ path: await screenshotPath('sweep-arrival-rate.png') });
  await page.getByTestId('sweep-point-9').click();
  assert.equal(await page.getByTestId('rate').inputValue(), '1000', 'the main view runs at the point\'s rate');
  assertCleanRun(record, server.origin);
});

test('cancelling stops the workers and leaves the page working', async () => {
  const { page, record } = await openPage(browser, `${server.app}/?lang=en`);
  await page.getByTestId('sync-node-signup').waitFor();
  await fillSweep(page, 500, 3000, 50);
  await page.getByTestId('sweep-run').click();
  await page.getByTestId('sweep-progress').waitFor();
  await page.getByTestId('sweep-cancel').click();
  const status = page.getByTestId('sweep-status');
  await status.getByText(/Cancelled after \d+ of 50 points/).waitFor();
  const before = await status.textContent();
  await page.waitForTimeout(1500);
  assert.equal(await status.textContent(), before, 'no point arrives after cancelling');
  await page.getByTestId('play').click();
  const t0 = await simSeconds(page);
  await page.waitForTimeout(800);
  assert.ok((await simSeconds(page)) > t0, 'the run plays on');
  assert.equal(await page.getByTestId('sweep-run').isDisabled(), false, 'another sweep can start');
  assertCleanRun(record, server.origin);
});

/** Median interval between animation frames over `ms` of wall time. */
async function medianFrameMs(page, ms) {
  return page.evaluate((span) => new Promise((resolve) => {
    const stamps = [];
    const end = performance.now() + span;
    const tick = (t) => {
      stamps.push(t);
      if (t < end) requestAnimationFrame(tick);
      else {
        const gaps = stamps.slice(1).map((s, i) => s - stamps[i]).sort((a, b) => a - b);
        resolve(gaps[Math.floor(gaps.length / 2)]);
      }
    };
    requestAnimationFrame(tick);
  }), ms);
}

test('the stage keeps its frame rate while a sweep runs', async () => {
  const { page, record } = await openPage(browser, `${server.app}/?lang=en&preset=signup`);
  await page.getByTestId('sync-node-signup').waitFor();
  await page.getByTestId('play').click();
  // The first seconds after play include the page settling (a clean-clone run once measured
  // 33 ms frames there), so the quiet baseline is taken after a warm-up.
  await page.waitForTimeout(3000);
  const quiet = await medianFrameMs(page, 2000);
  await fillSweep(page, 500, 3000, 50);
  await page.getByTestId('sweep-run').click();
  await page.getByTestId('sweep-progress').waitFor();
  const sweeping = await medianFrameMs(page, 2000);
  assert.equal(await page.getByTestId('sweep-cancel').isVisible(), true, 'the sweep was still running while measured');
  await page.getByTestId('sweep-cancel').click();
  // Within 2 ms of the quiet interval; a sweep never makes frames come faster, so only slower counts.
  assert.ok(sweeping - quiet <= 2, `median frame interval ${sweeping.toFixed(2)} ms while sweeping, ${quiet.toFixed(2)} ms before`);
  assertCleanRun(record, server.origin);
});

test('the share link reopens the sweep and runs it again, with the same knees', async () => {
  const { page, record } = await openPage(browser, `${server.app}/?lang=en&preset=signup`);
  await page.getByTestId('sync-node-signup').waitFor();
  await page.getByTestId('open-sweep').click();
  await page.getByTestId('sweep-param').selectOption('sync.timeout_ms');
  await page.getByTestId('sweep-from').fill('50');
  await page.getByTestId('sweep-to').fill('1000');
  await page.getByTestId('sweep-points').fill('4');
  await page.getByTestId('sweep-run').click();
  await finished(page);
  const knees = await page.getByTestId('sweep-knees').textContent();
  await page.getByTestId('copy-link').click();
  const url = await page.getByTestId('share-url').inputValue();
  assert.match(url, /sweep=sync\.timeout_ms%3D50\.\.1000&points=4/);
  const reopened = await openPage(browser, url.replace(/^https?:\/\/[^/]+/, server.origin));
  await finished(reopened.page);
  assert.equal(await reopened.page.getByTestId('sweep-param').inputValue(), 'sync.timeout_ms');
  assert.equal(await reopened.page.getByTestId('sweep-knees').textContent(), knees);
  // The embed code carries it too: the embedded view shows the curves and knees under its stages.
  const embedded = await openPage(browser, `${url.replace(/^https?:\/\/[^/]+/, server.origin)}&embed=1`);
  await embedded.page.getByTestId('embed').waitFor();
  await finished(embedded.page);
  assert.equal(await embedded.page.getByTestId('sweep-knees').textContent(), knees);
  assertCleanRun(embedded.record, server.origin);
  const bad = await openPage(browser, `${server.app}/?lang=en&preset=signup&sweep=sync.nope%3D1..2`);
  await bad.page.getByTestId('notice').getByText(/sweep\.path/).waitFor();
  assertCleanRun(record, server.origin);
  assertCleanRun(reopened.record, server.origin);
});
