// Benchmark: gzipped download size of the built app's wasm, JS and CSS (what a visitor downloads).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(process.argv[2] ?? 'dist-release');
const kinds = { '.wasm': 'wasm', '.js': 'js', '.css': 'css' };
const totals = { wasm: 0, js: 0, css: 0 };
for (const name of await readdir(dist)) {
  const kind = kinds[path.extname(name)];
  if (!kind) continue;
  const bytes = await readFile(path.join(dist, name));
  totals[kind] += gzipSync(bytes, { level: 9 }).length;
}
const kb = (n) => (n / 1024).toFixed(1);
const sum = totals.wasm + totals.js + totals.css;
console.log(`download size (gzip -9): wasm ${kb(totals.wasm)} KiB, js ${kb(totals.js)} KiB, css ${kb(totals.css)} KiB, total ${kb(sum)} KiB (goal <= 150 KB)`);
