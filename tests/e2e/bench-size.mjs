// Benchmark: gzipped download size of the built app's wasm, JS and CSS (what a visitor downloads).
// The sweep worker's files load only when a sweep runs, so they are counted apart.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(process.argv[2] ?? 'dist-release');
const kinds = { '.wasm': 'wasm', '.js': 'js', '.css': 'css' };
const totals = { wasm: 0, js: 0, css: 0 };
let worker = 0;
for (const name of await readdir(dist)) {
  const kind = kinds[path.extname(name)];
  if (!kind) continue;
  const gzipped = gzipSync(await readFile(path.join(dist, name)), { level: 9 }).length;
  if (name.startsWith('sweep-worker')) worker += gzipped;
  else totals[kind] += gzipped;
}
const kb = (n) => (n / 1024).toFixed(1);
const sum = totals.wasm + totals.js + totals.css;
console.log(`first-load size (gzip -9): wasm ${kb(totals.wasm)} KiB, js ${kb(totals.js)} KiB, css ${kb(totals.css)} KiB, total ${kb(sum)} KiB (goal <= 150 KB)`);
console.log(`sweep worker, loaded when a sweep starts (gzip -9): ${kb(worker)} KiB`);
