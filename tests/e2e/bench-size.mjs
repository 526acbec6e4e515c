// Benchmark: what a visitor downloads, brotli and gzip, for the first load and for the whole app.
// The first load is what index.html asks for plus one language's text file (English here, the
// largest after Japanese); the sweep worker and the other languages load only when used.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { brotli, files, gzip } from '../../.ci/compression.mjs';

const dist = path.resolve(process.argv[2] ?? 'dist-release');

/** The sizes a host serves: the build's own .br/.gz when `make dist` wrote them, else computed alike. */
async function sizes(file) {
  const body = await readFile(file);
  const br = await readFile(file + '.br').catch(() => brotli(body));
  const gz = await readFile(file + '.gz').catch(() => gzip(body));
  return { raw: body.length, br: br.length, gz: gz.length };
}

const firstLoad = (relative) =>
  !relative.startsWith('sweep-worker') && !(relative.startsWith('text/') && relative !== 'text/en.json');
const parts = {};
const add = (bucket, kind, size) => {
  const key = `${bucket}/${kind}`;
  parts[key] ??= { raw: 0, br: 0, gz: 0 };
  for (const k of ['raw', 'br', 'gz']) parts[key][k] += size[k];
};
for await (const file of files(dist)) {
  const relative = path.relative(dist, file).split(path.sep).join('/');
  const size = await sizes(file);
  const kind = relative.startsWith('text/') ? 'text' : path.extname(file).slice(1);
  add('whole', kind, size);
  if (firstLoad(relative)) add('first', kind, size);
}
const kb = (n) => (n / 1000).toFixed(1);
for (const bucket of ['first', 'whole']) {
  const rows = Object.entries(parts).filter(([key]) => key.startsWith(bucket + '/'));
  const total = rows.reduce((sum, [, s]) => ({ raw: sum.raw + s.raw, br: sum.br + s.br, gz: sum.gz + s.gz }), { raw: 0, br: 0, gz: 0 });
  const detail = rows.map(([key, s]) => `${key.split('/')[1]} ${kb(s.br)}`).join(', ');
  const label = bucket === 'first' ? 'first load (one language)' : 'whole app (worker, three languages)';
  const goal = bucket === 'first' ? ' (goal <= 200 KB brotli; stretch 150 KB)' : '';
  console.log(`${label}: brotli ${kb(total.br)} KB, gzip ${kb(total.gz)} KB, raw ${kb(total.raw)} KB${goal}; brotli by kind: ${detail}`);
}
