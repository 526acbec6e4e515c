// End-to-end: share links reopen the exact run in a fresh browser; bad links are named and change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { startApp, stopApp, openPage, assertCleanRun, repoRoot, setSpeed, simSeconds, waitForSimSeconds } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

const SCORES = ['success', 'p99', 'done', 'duplicated', 'lost', 'pending', 'inconsistent'];

/** Everything a reader would compare: clock, trace hash and both scoreboards. */
async function snapshot(page) {
  const cells = {};
  for (const world of ['sync', 'event']) {
    for (const metric of SCORES) cells[`${world}-${metric}`] = await page.getByTestId(`${world}-score-${metric}`).textContent();
  }
  return {
    clock: await page.getByTestId('clock').textContent(),
    hash: (await page.getByTestId('trace-hash').textContent()).trim(),
    cells,
  };
}

test('a copied link reopens the same moment in a fresh browser: same trace hash, same scoreboards', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=en`);
  await page.getByTestId('sync-node-analytics').waitFor();
  await page.getByTestId('seed').fill('42');
  await page.getByTestId('seed').dispatchEvent('change');
  await setSpeed(page, 72);
  await page.getByTestId('play').click();
  await waitForSimSeconds(page, 2);
  await page.getByTestId('sync-node-analytics').click();
  await page.getByTestId('action-kill').click();
  await waitForSimSeconds(page, 5);
  await page.getByTestId('play').click();
  const original = await snapshot(page);
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-url').inputValue();
  // The link keeps the path the app is served under (a sub-path here, as docs host it).
  assert.ok(link.startsWith(`${server.app}/?`), link);
  assert.match(link.slice(server.app.length), /^\/\?preset=happy-path&seed=42&a=[\w-]+&t=\d+(\.\d+)?&lang=en$/);

  const fresh = await browser.newContext();
  const reopened = await fresh.newPage();
  await reopened.goto(link);
  await reopened.getByTestId('sync-node-analytics').waitFor();
  await reopened.locator('[data-testid=trace-hash]').filter({ hasText: original.hash }).waitFor({ timeout: 20_000 });
  assert.deepEqual(await snapshot(reopened), original);
  assert.match(await reopened.getByTestId('sync-node-analytics').getAttribute('class'), /state-killed/);
  await fresh.close();
  assertCleanRun(record, server.origin);
  await context.close();
});

test('a readable preset link opens that preset at that time, paused', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?preset=killed-consumer&t=25`);
  await page.getByTestId('sync-node-analytics').waitFor();
  await page.locator('[data-testid=clock]', { hasText: '25.0 s' }).waitFor();
  assert.equal(await simSeconds(page), 25);
  assert.equal(await page.getByTestId('preset').inputValue(), 'killed-consumer');
  assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false');
  assert.match(await page.getByTestId('sync-node-analytics').getAttribute('class'), /state-killed/);
  // The narration caught up with the time: the steps due by 25 s have been shown.
  assert.equal(await page.getByTestId('narration-step').getAttribute('data-step'), '2');
  assertCleanRun(record, server.origin);
  await context.close();
});

test('a bad link names the parameter and opens the default view', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?preset=killed-consumer&t=soon`);
  await page.getByTestId('sync-node-analytics').waitFor();
  assert.match(await page.getByTestId('notice').textContent(), /^Not applied: t: `soon` is not a time in seconds/);
  assert.equal(await page.getByTestId('preset').inputValue(), 'happy-path');
  assert.equal(await simSeconds(page), 0);
  assertCleanRun(record, server.origin);
  await context.close();
});

test('a refusal reads in the reader\'s language, and is re-worded when the language changes', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?preset=killed-consumer&t=soon&lang=zh-Hant`);
  await page.getByTestId('sync-node-analytics').waitFor();
  const notice = page.getByTestId('notice');
  assert.equal(await notice.textContent(), '未套用：t：`soon` 不是以秒為單位的時間，例如 12.5');
  await page.getByTestId('lang-ja').click();
  // Japanese is fetched on the click, so the notice changes once its file has arrived.
  await page.locator('[data-testid=notice]', { hasText: '適用されませんでした' }).waitFor();
  assert.equal(await notice.textContent(), '適用されませんでした：t：`soon` は 12.5 のような秒単位の時刻ではありません');

  // A file refused by the core's own validation: the field path, then the reason in Japanese with the file's value.
  await page.getByTestId('import-file').setInputFiles({
    name: 'broken.json', mimeType: 'application/json',
    buffer: Buffer.from('{"services": [{"name": "entry", "workers": 0}]}'),
  });
  await page.locator('[data-testid=notice]', { hasText: 'services[0].workers' }).waitFor();
  assert.match(await notice.textContent(), /^適用されませんでした：broken\.json: services\[0\]\.workers：1〜\d+ の範囲で指定してください（指定値：0）$/);
  // Malformed JSON is named by position, not in serde's English.
  await page.getByTestId('import-file').setInputFiles({
    name: 'cut.json', mimeType: 'application/json', buffer: Buffer.from('{"services": [{"name": "entry"'),
  });
  await page.locator('[data-testid=notice]', { hasText: 'cut.json' }).waitFor();
  assert.match(await notice.textContent(), /JSON が 1 行 \d+ 列で途切れています$/);
  await page.getByTestId('lang-en').click();
  await page.locator('[data-testid=notice]', { hasText: 'Not applied' }).waitFor();
  assert.match(await notice.textContent(), /^Not applied: cut\.json: the JSON ends too early, at line 1, column \d+$/);
  assertCleanRun(record, server.origin);
  await context.close();

  const unknown = await openPage(browser, `${server.app}/?lang=fr`);
  await unknown.page.getByTestId('sync-node-analytics').waitFor();
  assert.equal(await unknown.page.getByTestId('notice').textContent(), 'Not applied: lang: `fr` is not one of en, zh-Hant, ja');
  assertCleanRun(unknown.record, server.origin);
  await unknown.context.close();
});

test('an exported scenario runs in ripple-sim to the same trace hash; a malformed import is named and changes nothing', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/`);
  await page.getByTestId('sync-node-analytics').waitFor();
  for (let i = 0; i < 5; i += 1) await page.getByTestId('step').click();
  await page.getByTestId('sync-node-analytics').click();
  await page.getByTestId('action-kill').click();
  for (let i = 0; i < 5; i += 1) await page.getByTestId('step').click();
  assert.equal(await simSeconds(page), 1);
  const hash = (await page.getByTestId('trace-hash').textContent()).trim();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-scenario').click()]);
  const file = await download.path();
  const exported = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(exported.faults.length, 1, 'the kill travels with the scenario');
  const cli = execFileSync('cargo', ['run', '--quiet', '--bin', 'ripple-sim', '--', file, '--duration-ms', '1000'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(JSON.parse(cli).trace_hash, hash);

  const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
  assert.equal(JSON.parse(await readFile(await report.path(), 'utf8')).trace_hash, hash);
  const [trace] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-trace').click()]);
  const lines = (await readFile(await trace.path(), 'utf8')).trim().split('\n');
  assert.ok(lines.length > 10 && lines.every((line) => typeof JSON.parse(line).time_us === 'number'), 'JSON lines of trace events');

  await page.getByTestId('import-file').setInputFiles({
    name: 'broken.json', mimeType: 'application/json',
    buffer: Buffer.from('{"services": [{"name": "entry", "workers": 0}]}'),
  });
  await page.locator('[data-testid=notice]', { hasText: 'services[0].workers' }).waitFor();
  assert.match(await page.getByTestId('notice').textContent(), /^Not applied: broken\.json: services\[0\]\.workers: /);
  assert.equal(await simSeconds(page), 1, 'the run is untouched');
  assert.equal((await page.getByTestId('trace-hash').textContent()).trim(), hash);

  await page.getByTestId('import-file').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
  await page.locator('[data-testid=clock]', { hasText: '0.0 ms' }).waitFor();
  assert.equal(await page.getByTestId('notice').count(), 0);
  assertCleanRun(record, server.origin);
  await context.close();
});

test('each chart exports as SVG and PNG; an exercise and its settings export in the format ripple-sim reads', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?preset=killed-consumer&t=30&lang=ja`);
  await page.getByTestId('sync-node-analytics').waitFor();
  await page.waitForTimeout(700);
  await page.getByTestId('export-chart').selectOption('3');
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  assert.equal(svg.suggestedFilename(), 'killed-consumer-lag.svg');
  const svgText = await readFile(await svg.path(), 'utf8');
  assert.match(svgText, /^<svg[^>]*width="720"/);
  assert.ok(svgText.includes('コンシューマーラグ'), 'the title is in the page language');
  assert.ok((svgText.match(/<polyline/g) ?? []).length >= 1, 'the lag line is drawn');
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  assert.equal(png.suggestedFilename(), 'killed-consumer-lag.png');
  const pngBytes = await readFile(await png.path());
  assert.deepEqual([...pngBytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG file');
  assert.ok(pngBytes.length > 5_000, `a drawn chart, not a blank image (${pngBytes.length} bytes)`);

  await page.getByTestId('exercise').selectOption('no-loss-no-duplicates');
  await page.getByTestId('exercise-setting-event.idempotent').check();
  const [exercise] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-exercise').click()]);
  const [settings] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-settings').click()]);
  const exerciseFile = await exercise.path();
  const settingsFile = await settings.path();
  assert.deepEqual(JSON.parse(await readFile(settingsFile, 'utf8')), { 'event.idempotent': true });
  // ripple-sim reads both files back, and idempotent consumers solve this exercise.
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'ripple-sim', '--', '--check', exerciseFile, '--solution', settingsFile], { cwd: repoRoot, encoding: 'utf8' });
  assert.match(out, /^no-loss-no-duplicates: PASS$/m, out);
  assertCleanRun(record, server.origin);
  await context.close();
});

test('names and texts from an imported file are shown as text, never run as HTML', async () => {
  const { page, context, record } = await openPage(browser, `${server.app}/?lang=en`);
  await page.getByTestId('sync-node-analytics').waitFor();
  const markup = '<img src="x" onerror="window.pwned = 1"><b>bold</b>';
  const exercise = {
    name: 'markup-test',
    title: { en: `Title ${markup}` },
    brief: { en: `Brief ${markup}` },
    scenario: 'killed-consumer',
    allowed: ['event.idempotent'],
    goal: 'event.effects.lost == 0',
    hints: [`Hint ${markup}`],
  };
  await page.getByTestId('import-file').setInputFiles({ name: 'markup.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exercise)) });
  await page.getByTestId('exercise-brief').waitFor();
  assert.equal(await page.getByTestId('exercise-brief').textContent(), `Brief ${markup}`);
  await page.getByTestId('exercise-hint-button').click();
  assert.equal(await page.getByTestId('exercise-hint').textContent(), `Hint ${markup}`);
  assert.equal(await page.locator('img[src="x"], b:text("bold")').count(), 0, 'no element was made from the text');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assertCleanRun(record, server.origin);
  await context.close();
});
