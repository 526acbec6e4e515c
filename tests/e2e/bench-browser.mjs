// Benchmark: time to first frame, and frame times with thousands of dots, in headless Chromium.
// Usage: RIPPLE_DIST=dist-release node tests/e2e/bench-browser.mjs; prints one line per figure.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveDist, launchBrowser, openPage, repoRoot } from './harness.mjs';

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

async function measureFrames(position, label) {
  const { page, context } = await openPage(browser, server.origin + '/');
  await page.getByTestId('sync-node-signup').waitFor();
  // Skip the guide to its last step, so it never pauses the run for the reader.
  const next = page.getByTestId('narration-next');
  for (let i = 0; i < 10 && (await next.isEnabled()); i += 1) await next.click();
  await page.getByTestId('speed').evaluate((input, value) => {
    input.value = String(value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, position);
  await page.getByTestId('play').click();
  await page.waitForTimeout(3000);
  const sample = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const intervals = [];
        const dots = [];
        const work = [];
        const canvas = document.querySelector('[data-testid=sync-stage] canvas');
        let last = performance.now();
        const legend = document.querySelector('[data-testid=dot-legend]');
        function frame(now) {
          intervals.push(now - last);
          dots.push(Number(legend.dataset.dots));
          work.push(Number(canvas.dataset.workMs));
          last = now;
          if (intervals.length < 600) requestAnimationFrame(frame);
          else resolve({ intervals, dots, work });
        }
        requestAnimationFrame(frame);
      }),
  );
  const meanDots = sample.dots.reduce((a, b) => a + b, 0) / sample.dots.length;
  console.log(
    `frames at ~${label} dots (measured mean ${meanDots.toFixed(0)}, max ${Math.max(...sample.dots)}): ` +
      `loop work p50 ${quantile(sample.work, 0.5).toFixed(2)} ms, p95 ${quantile(sample.work, 0.95).toFixed(2)} ms; ` +
      `frame interval p50 ${quantile(sample.intervals, 0.5).toFixed(1)} ms, p95 ${quantile(sample.intervals, 0.95).toFixed(1)} ms over 600 frames (goal p95 <= 16 ms at 5,000)`,
  );
  await context.close();
}

/** Seeks through the timeline of a played 10-minute run of the default scenario, timed inside the page. */
async function measureSeeks() {
  const scenario = JSON.parse(await readFile(path.join(repoRoot, 'src/sim/presets/signup.json'), 'utf8'));
  scenario.duration_ms = 600_000;
  const encoded = Buffer.from(JSON.stringify(scenario)).toString('base64url');
  // A link to t = 600 s plays the whole run on open, snapshotting as it goes.
  const { page, context } = await openPage(browser, `${server.origin}/?s=${encoded}&t=600`);
  await page.waitForFunction(() => document.querySelector('[data-testid=timeline-scrub]')?.value === '600000', null, { timeout: 120_000 });
  const times = await page.getByTestId('timeline-scrub').evaluate((input) => {
    const times = [];
    for (let i = 0; i < 100; i += 1) {
      // Spread over the run with a fixed stride, so runs compare.
      const ms = Math.round(((i * 7_919) % 6_000) * 100);
      const started = performance.now();
      input.value = String(ms);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      times.push(performance.now() - started);
    }
    return times;
  });
  console.log(
    `timeline seek in a played 10-minute run (wasm, seek plus refresh): median ${quantile(times, 0.5).toFixed(1)} ms, ` +
      `worst ${Math.max(...times).toFixed(1)} ms over ${times.length} seeks (goal <= 100 ms)`,
  );
  await context.close();
}

const server = await serveDist();
const browser = await launchBrowser();
try {
  const firstFrames = [];
  for (let run = 0; run < 5; run += 1) {
    const { page, context } = await openPage(browser, server.origin + '/');
    // Measured inside the page, on the animation frame where the call tree first exists.
    const handle = await page.waitForFunction(
      () => document.querySelector('[data-testid=sync-node-signup]') && performance.now(),
      null,
      { polling: 'raf' },
    );
    firstFrames.push(await handle.jsonValue());
    await context.close();
  }
  console.log(`time to first frame: median ${quantile(firstFrames, 0.5).toFixed(0)} ms, worst ${Math.max(...firstFrames).toFixed(0)} ms over 5 loads (goal <= 400 ms)`);

  // Speed slider positions (log scale) at which the default 40 requests/s put about 2,000 and
  // 5,000 dots in flight; the figures printed are the dot counts actually measured.
  for (const [position, label] of [[73, '2,000'], [86, '5,000']]) {
    await measureFrames(position, label);
  }
  await measureSeeks();
} finally {
  await browser.close();
  await server.close();
}
