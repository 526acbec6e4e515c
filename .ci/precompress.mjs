// Writes `name.br` and `name.gz` beside every wasm, js, css, json, svg and html file of a
// build, at the highest levels, so a static host (nginx `brotli_static`/`gzip_static`)
// serves them compressed without compressing on each request.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotli, files, gzip } from './compression.mjs';

const dist = path.resolve(process.argv[2] ?? 'dist-release');

let count = 0;
for await (const file of files(dist)) {
  const body = await readFile(file);
  await writeFile(file + '.br', brotli(body));
  await writeFile(file + '.gz', gzip(body));
  count += 1;
}
console.log(`precompress: wrote .br and .gz beside ${count} files in ${path.relative(process.cwd(), dist) || '.'}`);
