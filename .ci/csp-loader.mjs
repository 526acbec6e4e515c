// Trunk post-build hook: moves Trunk's inline wasm loader into its own file, so the page
// runs under index.html's Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval'),
// which forbids inline scripts. Trunk 0.21 has no option to emit the loader as a file.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('csp-loader: TRUNK_STAGING_DIR is not set; run me as a Trunk hook');
  process.exit(2);
}
const indexPath = path.join(staging, 'index.html');
const html = await readFile(indexPath, 'utf8');
const inline = /<script type="module">([\s\S]*?import init[\s\S]*?)<\/script>/;
const match = html.match(inline);
if (!match) {
  console.error('csp-loader: no inline wasm loader found in index.html');
  process.exit(2);
}
const code = match[1].trim() + '\n';
const name = `boot-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
await writeFile(path.join(staging, name), code);
await writeFile(indexPath, html.replace(inline, `<script type="module" src="/${name}"></script>`));
