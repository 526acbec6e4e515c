// Benchmark: Lighthouse 12.2.3 (pinned in package-lock.json) on the release build served under a
// sub-path with its precompressed files, mobile and desktop presets, Debian's Chromium. Each
// preset runs three times and the median is printed, as Lighthouse's own scores vary run to run.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, serveDist } from './harness.mjs';

const run = promisify(execFile);
const runs = Number(process.env.RIPPLE_LIGHTHOUSE_RUNS ?? 3);
const lighthouse = path.join(repoRoot, 'node_modules', '.bin', 'lighthouse');
const chromeFlags = '--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --no-first-run';

async function audit(url, preset, folder, index) {
  const output = path.join(folder, `${preset}-${index}.json`);
  const args = [url, '--quiet', '--output=json', `--output-path=${output}`, '--only-categories=performance', `--chrome-flags=${chromeFlags}`];
  if (preset === 'desktop') args.push('--preset=desktop');
  await run(lighthouse, args, { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? '/usr/bin/chromium' } });
  const report = JSON.parse(await readFile(output, 'utf8'));
  return {
    score: report.categories.performance.score,
    lcp: report.audits['largest-contentful-paint'].numericValue,
    tbt: report.audits['total-blocking-time'].numericValue,
    fcp: report.audits['first-contentful-paint'].numericValue,
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const server = await serveDist();
const folder = await mkdtemp(path.join(tmpdir(), 'ripple-lighthouse-'));
try {
  const goals = { mobile: 0.8, desktop: 0.97 };
  for (const preset of ['mobile', 'desktop']) {
    const results = [];
    for (let i = 0; i < runs; i += 1) results.push(await audit(server.app + '/', preset, folder, i));
    const pick = (key) => median(results.map((r) => r[key]));
    console.log(
      `lighthouse ${preset} (median of ${runs}): performance ${pick('score').toFixed(2)} (goal >= ${goals[preset]}), ` +
        `LCP ${(pick('lcp') / 1000).toFixed(2)} s, TBT ${Math.round(pick('tbt'))} ms, FCP ${(pick('fcp') / 1000).toFixed(2)} s; ` +
        `scores ${results.map((r) => r.score.toFixed(2)).join(' ')}`,
    );
  }
} finally {
  await server.close();
  await rm(folder, { recursive: true, force: true });
}
