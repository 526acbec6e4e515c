// The build's compressible files and how they are compressed, for `precompress.mjs` (which writes
// them) and `tests/e2e/bench-size.mjs` (which measures them), so both count the same bytes.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const compressible = new Set(['.wasm', '.js', '.css', '.json', '.svg', '.html']);

/** Every compressible file under `folder`, depth first. */
export async function* files(folder) {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (compressible.has(path.extname(entry.name))) yield full;
  }
}

/** Brotli at its highest quality, as a static host serves with `brotli_static`. */
export function brotli(body) {
  return brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

/** Gzip at level 9, for hosts and browsers without brotli. */
export function gzip(body) {
  return gzipSync(body, { level: 9 });
}
