// End-to-end: a system built in the page's editor runs in both worlds, travels by link and file, refuses bad input, and undoes across an Apply.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { startApp, stopApp, openPage, assertCleanRun, repoRoot, setSpeed, simSeconds, waitForSimSeconds, screenshotPath } from './harness.mjs';
import { buildShop } from './shop.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

const hashOf = async (page) => (await page.getByTestId('trace-hash').textContent()).trim();

test('a system built from blank runs in both worlds, and travels by link and by file with the same trace hash', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=en`);
  await page.getByTestId('sync-node-analytics').waitFor();
  await buildShop(page);
  assert.equal(await page.getByTestId('preset').inputValue(), 'my-system');
  for (const name of ['orders', 'stock', 'mailer']) await page.getByTestId(`event-node-${name}`).waitFor();
  await page.getByTestId('ed-close').click();

  // One second, hang the leaf behind orders, one more second: then the file goes to the CLI.
  for (let i = 0; i < 10; i += 1) await page.getByTestId('step').click();
  await page.getByTestId('sync-node-billing').click();
  await page.getByTestId('action-hang').click();
  for (let i = 0; i < 10; i += 1) await page.getByTestId('step').click();
  assert.equal(await simSeconds(page), 2);
  const hashAt2 = await hashOf(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-scenario').click()]);
  const file = await download.path();
  const exported = JSON.parse(await readFile(file, 'utf8'));
  assert.deepEqual(exported.services.map((s) => s.name), ['shop', 'orders', 'billing', 'stock', 'supplier', 'mailer']);
  const cli = execFileSync('cargo', ['run', '--quiet', '--bin', 'ripple-sim', '--', file, '--duration-ms', '2000'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(JSON.parse(cli).trace_hash, hashAt2);

  // Played on, the sync world fails both kinds; in the event world only orders' group falls behind.
  await setSpeed(page, 72);
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 20);
  await page.getByTestId('play').click();
  const [reportFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
  const report = JSON.parse(await readFile(await reportFile.path(), 'utf8'));
  for (const kind of ['buy', 'browse']) {
    assert.ok(report.sync.by_kind[kind].failed > 0, `sync ${kind}: ${JSON.stringify(report.sync.by_kind[kind])}`);
    assert.equal(report.event.by_kind[kind].failed, 0, `event ${kind}`);
  }
  assert.ok(report.event.groups.orders.unprocessed > 100, JSON.stringify(report.event.groups.orders));
  // The others hold only what is in flight.
  for (const group of ['stock', 'mailer']) assert.ok(report.event.groups[group].unprocessed < 50, `${group}: ${JSON.stringify(report.event.groups[group])}`);

  // The link reopens the same tree at the same moment in a fresh browser.
  const hash = await hashOf(page);
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-url').inputValue();
  assert.match(link, /[?&]s=/, 'the edited scenario travels whole');
  const fresh = await browser.newContext();
  const reopened = await fresh.newPage();
  await reopened.goto(link);
  await reopened.getByTestId('sync-node-billing').waitFor();
  await reopened.locator('[data-testid=trace-hash]').filter({ hasText: hash }).waitFor({ timeout: 20_000 });
  await reopened.getByTestId('edit-architecture').click();
  assert.equal(await reopened.getByTestId('ed-s2-name').inputValue(), 'billing', 'the link opens in the editor, ready to change');
  await fresh.close();
  assertCleanRun(record, server.origin);
  await context.close();
});

test('invalid edits are named beside their field and change nothing that runs; undo and redo cross an Apply', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=en`);
  await page.getByTestId('sync-node-analytics').waitFor();
  for (let i = 0; i < 5; i += 1) await page.getByTestId('step').click();
  const hash = await hashOf(page);
  await page.getByTestId('edit-architecture').click();
  // email is services[1]: lognormal, median 20 ms.
  const cases = [
    ['ed-s1-workers', '0', /^must be from 1 to 10000, got 0$/, '8'],
    ['ed-s1-name', 'analytics', /^`analytics` is used twice$/, 'email'],
    ['ed-s1-name', 'e mail', /^`e mail` must be 1 to 32 letters/, 'email'],
    ['ed-s1-time1', '10', /^must be above median \(20\), got 10$/, '80'],
  ];
  for (const [field, bad, message, good] of cases) {
    await page.getByTestId(field).fill(bad);
    assert.match(await page.locator(`#${field}-problem`).textContent(), message, `${field} = ${bad}`);
    assert.equal(await page.getByTestId(field).getAttribute('aria-invalid'), 'true');
    await page.getByTestId('ed-apply').click();
    assert.match(await page.getByTestId('ed-status').textContent(), /^Cannot apply yet\. services\[\d\]\./);
    assert.equal(await hashOf(page), hash, 'the running system is untouched');
    assert.equal(await page.getByTestId(field).inputValue(), bad, 'what was typed stays');
    await page.getByTestId(field).fill(good);
    assert.equal(await page.locator(`#${field}-problem`).textContent(), '');
  }

  await page.getByTestId('ed-s1-workers').fill('3');
  await page.getByTestId('ed-apply').click();
  await page.getByTestId('sync-node-email').filter({ hasText: '0/3' }).waitFor();
  assert.equal(await simSeconds(page), 0, 'Apply starts from t = 0');
  assert.match(await page.getByTestId('ed-undo-note').textContent(), /^Undo crosses an Apply: it restarts the run from t = 0 with happy-path/);
  await page.getByTestId('ed-s1-workers').focus();
  await page.keyboard.press('Control+z');
  await page.getByTestId('sync-node-email').filter({ hasText: '0/8' }).waitFor();
  assert.equal(await page.getByTestId('ed-status').textContent(), 'Restarted from t = 0 with happy-path as it was at that step.');
  assert.equal(await page.getByTestId('preset').inputValue(), 'happy-path');
  assert.equal(await page.getByTestId('ed-s1-workers').inputValue(), '3', 'the draft before the Apply held 3 workers');
  await page.getByTestId('ed-s1-workers').focus();
  await page.keyboard.press('Control+Shift+z');
  await page.getByTestId('sync-node-email').filter({ hasText: '0/3' }).waitFor();
  assert.equal(await page.getByTestId('preset').inputValue(), 'happy-path-edited');
  assertCleanRun(record, server.origin);
  await context.close();
});

/** The checkout system from the issue: 12 services, fan-out 5, four levels, a long name. */
const CHECKOUT = {
  name: 'checkout-system',
  services: [
    { name: 'checkout', calls: ['payment', 'inventory', 'shipping', 'notifications', 'analytics'] },
    { name: 'payment', calls: ['fraud-check', 'ledger'], effect: 'card charged' },
    { name: 'fraud-check', calls: ['risk-model'], effect: 'fraud screened' },
    { name: 'risk-model-with-a-long-name', effect: 'risk scored' },
    { name: 'ledger', effect: 'payment booked' },
    { name: 'inventory', calls: ['warehouse'], effect: 'stock reserved' },
    { name: 'warehouse', effect: 'pick list sent' },
    { name: 'shipping', effect: 'label printed' },
    { name: 'notifications', calls: ['email', 'sms'], effect: 'customer told' },
    { name: 'email', effect: 'receipt emailed' },
    { name: 'sms', effect: 'text sent' },
    { name: 'analytics', effect: 'sale recorded' },
  ],
};
CHECKOUT.services[2].calls = ['risk-model-with-a-long-name'];

/** Whether two boxes share area. */
const overlap = (a, b) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

test('a 12-service tree draws in both worlds without overlapping boxes, names shortened with the whole name kept', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=en`, { viewport: { width: 1400, height: 1300 } });
  await page.getByTestId('sync-node-analytics').waitFor();
  await page.getByTestId('import-file').setInputFiles({ name: 'checkout.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(CHECKOUT)) });
  await page.getByTestId('sync-node-risk-model-with-a-long-name').waitFor();
  await page.getByTestId('edit-architecture').click();
  assert.equal(await page.locator('[data-testid^=ed-service-]').count(), 12, 'the import opens in the editor');
  await page.getByTestId('ed-close').click();
  for (const world of ['sync', 'event']) {
    const stage = await page.getByTestId(`${world}-stage`).boundingBox();
    const nodes = page.locator(`[data-testid=${world}-stage] g.svc`);
    const boxes = [];
    for (let i = 0; i < await nodes.count(); i += 1) boxes.push(await nodes.nth(i).locator('rect.svc-box').boundingBox());
    assert.ok(boxes.length >= 11, `${world}: ${boxes.length} boxes`);
    for (const [i, a] of boxes.entries()) {
      assert.ok(a.x >= stage.x && a.x + a.width <= stage.x + stage.width + 0.5 && a.y + a.height <= stage.y + stage.height + 0.5, `${world} box ${i} leaves its stage`);
      for (const b of boxes.slice(i + 1)) assert.ok(!overlap(a, b), `${world}: boxes overlap ${JSON.stringify([a, b])}`);
    }
  }
  const risk = page.getByTestId('event-node-risk-model-with-a-long-name');
  assert.equal(await risk.locator('.svc-name title').textContent(), 'risk-model-with-a-long-name');
  assert.match(await risk.locator('.svc-name').textContent(), /^risk-model-…/);
  assert.match(await risk.getAttribute('aria-label'), /risk-model-with-a-long-name/);
  await setSpeed(page, 40);
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 4);
  await page.getByTestId('play').click();
  await page.locator('section.worlds').screenshot({ path: await screenshotPath('screenshot-own-system.png') });
  assertCleanRun(record, server.origin);
  await context.close();
});
