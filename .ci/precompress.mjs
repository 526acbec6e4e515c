// Writes `name.br` and `name.gz` beside every wasm, js, css, json, svg and html file of a
// build, at the highest levels, so a static host (nginx `brotli_static`/`gzip_static`)
// serves them compressed without compressing on each request.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = path.resolve(process.argv[2] ?? 'dist-release');
const compressible = new Set(['.wasm', '.js', '.css', '.json', '.svg', '.html']);

async function* files(folder) {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (compressible.has(path.extname(entry.name))) yield full;
  }
}

let count = 0;
for await (const file of files(dist)) {
  const body = await readFile(file);
  const brotli = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
  await writeFile(file + '.br', brotli);
  await writeFile(file + '.gz', gzipSync(body, { level: 9 }));
  count += 1;
}
console.log(`precompress: wrote .br and .gz beside ${count} files in ${path.relative(process.cwd(), dist) || '.'}`);
