// End-to-end: the guide (narration and live annotations) and the workshop, driven through the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startApp, stopApp, openPage, assertCleanRun, repoRoot, numberIn, setSpeed, screenshotPath } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

async function openApp(url = '/', options) {
  const opened = await openPage(browser, server.app + url, options);
  await opened.page.getByTestId('sync-node-analytics').waitFor();
  return opened;
}

/** The step shown and the screen part it points at; that part must carry the outline. */
async function currentStep(page) {
  const text = page.getByTestId('narration-text');
  const pointsAt = await text.getAttribute('data-points-at');
  const step = Number(await page.getByTestId('narration-step').getAttribute('data-step'));
  const outlined = await page.getByTestId(pointsAt).first().evaluate((el) => el.classList.contains('pointed'));
  return { step, pointsAt, outlined };
}

async function waitForStep(page, step, timeout = 60_000) {
  await page.locator(`[data-testid=narration-step][data-step="${step}"]`).waitFor({ timeout });
}

test('the narration points at the screen, pauses for the reader to kill and restore, and annotates with the real numbers', async () => {
  const { page, context, record } = await openApp();
  await waitForStep(page, 1);
  assert.deepEqual(await currentStep(page), { step: 1, pointsAt: 'sync-panel', outlined: true });
  await setSpeed(page, 86);
  await page.getByTestId('play').click();

  // At 8 s the narration stops the clock and asks for the kill.
  await page.getByTestId('narration-waiting').waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false');
  assert.deepEqual(await currentStep(page), { step: 3, pointsAt: 'sync-node-analytics', outlined: true });
  await page.getByTestId('sync-node-analytics').click();
  await page.getByTestId('action-kill').click();
  await waitForStep(page, 4);
  assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'true', 'the kill resumes the run');

  await waitForStep(page, 5);
  await page.getByTestId('narration-waiting').waitFor();
  await page.getByTestId('sync-node-analytics').click();
  await page.getByTestId('action-restore').click();

  // Once the lag has drained, one sentence sums up the outage from the ledger.
  await page.getByTestId('annotation').first().waitFor({ timeout: 60_000 });
  await waitForStep(page, 6);
  assert.equal((await currentStep(page)).pointsAt, 'event-score-lost');
  const sentence = await page.getByTestId('annotation').first().textContent();
  const match = sentence.match(
    /^analytics was down for ([\d.]+) s: the sync world failed ([\d,]+) requests and lost ([\d,]+) effects; the event world failed 0 and lost 0\. Lag peaked at ([\d,]+) and drained ([\d.]+) (s|ms) after the restore\.$/,
  );
  assert.ok(match, `annotation reads as expected: "${sentence}"`);
  const lostInSentence = Number(match[3].replace(/,/g, ''));
  assert.ok(lostInSentence > 0);
  assert.equal(lostInSentence, await numberIn(page, 'sync-score-lost'), 'the sentence and the scoreboard agree');
  assert.ok(Number(match[4].replace(/,/g, '')) > 0, 'the lag rose');
  await page.screenshot({ path: await screenshotPath('screenshot-guide.png'), fullPage: false });

  // The same annotation and step, re-worded in Japanese, with the same figures.
  await page.getByTestId('lang-ja').click();
  await page.getByTestId('annotation').first().filter({ hasText: '停止しました' }).waitFor();
  const ja = await page.getByTestId('annotation').first().textContent();
  assert.match(ja, /^analytics が .* 停止しました。/);
  assert.ok(ja.includes(match[2]), `same number of failures: ${ja}`);
  assert.match(await page.getByTestId('narration-text').textContent(), /コミット済みのオフセット/);
  assertCleanRun(record, server.origin);
  await context.close();
});

test('a preset chosen in Traditional Chinese narrates and annotates in Traditional Chinese to the end', async () => {
  const { page, context, record } = await openApp('/?lang=zh-Hant', { locale: 'zh-TW' });
  await page.getByTestId('preset').selectOption('killed-consumer');
  assert.equal(await page.getByTestId('narration-title').textContent(), '消費者被停掉');
  await setSpeed(page, 100);
  await page.getByTestId('play').click();
  await page.locator('[data-testid=annotation]').nth(1).waitFor({ timeout: 60_000 });
  const notes = await page.getByTestId('annotation').allTextContents();
  // Newest first: the end-of-run summary, then the outage.
  assert.match(notes[0], /^模擬在 1\.5 分鐘結束。/);
  assert.match(notes[1], /^analytics 停止了 15\.0 秒：同步世界有 [\d,]+ 個請求失敗/);
  assert.match(notes[1], /事件世界失敗 0 個、遺失 0 個/);
  // Under the outage, why: refused at analytics in one world; in the other, the lag grew most while
  // the restarted group waited for its crashed members' sessions to time out.
  const outage = page.getByTestId('note').nth(1);
  assert.match(await outage.locator('[data-world=sync]').textContent(), /^同步世界 .*analytics 拒絕了連線。.*analytics 從 20\.0 秒 起停止。/);
  assert.match(await outage.locator('[data-world=event]').textContent(), /^事件世界 .*analytics 的滯後增加了 [\d,]+ 個事件：它已重新啟動，但當機的舊成員在工作階段逾時前仍佔著分割區。/);
  await page.screenshot({ path: await screenshotPath('screenshot-guide-zh-Hant.png'), fullPage: false });
  assertCleanRun(record, server.origin);
  await context.close();
});

test('a workshop exercise fails as given, passes with the right setting, refuses a bad value, and resets', async () => {
  const { page, context, record } = await openApp();
  await page.getByTestId('exercise').selectOption('no-loss-no-duplicates');
  await page.getByTestId('exercise-brief').waitFor();
  assert.equal(await page.getByTestId('narration').isHidden(), true, 'no preset narration during an exercise');

  await page.getByTestId('exercise-check').click();
  const verdict = page.getByTestId('exercise-verdict');
  assert.equal(await verdict.getAttribute('data-passed'), 'false');
  const failing = await page.locator('[data-testid=exercise-condition].fails').allTextContents();
  assert.equal(failing.length, 1);
  // The browser and the CLI judge the same run the same way.
  let cli = '';
  try {
    execFileSync('cargo', ['run', '--quiet', '--bin', 'ripple-sim', '--', '--check', 'no-loss-no-duplicates'], { cwd: repoRoot, encoding: 'utf8' });
  } catch (failed) {
    assert.equal(failed.status, 1, 'a failing check exits 1');
    cli = failed.stdout;
  }
  const cliValue = cli.match(/event\.effects\.duplicated is (\d+)/)[1];
  assert.match(failing[0], new RegExp(`event\\.effects\\.duplicated is ${Number(cliValue).toLocaleString('en-US')}\\)`));

  await page.getByTestId('exercise-hint-button').click();
  assert.equal(await page.getByTestId('exercise-hint').count(), 1);

  await page.getByTestId('exercise-setting-event.idempotent').check();
  await page.getByTestId('exercise-check').click();
  assert.equal(await verdict.getAttribute('data-passed'), 'true');

  const interval = page.getByTestId('exercise-setting-event.auto_commit_interval_ms');
  await interval.fill('-5');
  await interval.dispatchEvent('change');
  assert.match(await page.getByTestId('notice').textContent(), /auto_commit_interval_ms/);
  assert.equal(await verdict.getAttribute('data-passed'), 'true', 'a refused value changes nothing');

  await page.getByTestId('exercise-reset').click();
  assert.equal(await page.getByTestId('exercise-verdict').count(), 0);
  assert.equal(await page.getByTestId('exercise-setting-event.idempotent').isChecked(), false);
  assertCleanRun(record, server.origin);
  await context.close();
});
