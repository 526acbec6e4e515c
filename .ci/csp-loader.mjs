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
// Waits for the still picture (index.html's largest paint) to be on screen before the wasm and
// the text compete with it for the network: on a slow phone link the picture's few KB come
// first, and nothing the first paint needs waits behind 450 KB of wasm. On a fast link this
// costs about a frame. Trunk's <link rel="preload"> of the wasm is removed for the same reason.
const stillFirst = `const rippleStill = document.querySelector('#first-paint img');
if (rippleStill && !rippleStill.complete) {
  // A picture that stalls never holds the app back for more than a second.
  await new Promise((resolve) => {
    rippleStill.addEventListener('load', resolve, { once: true });
    rippleStill.addEventListener('error', resolve, { once: true });
    setTimeout(resolve, 1000);
  });
}
// After the frame that paints it; a document that does not render (a hidden tab, an
// offscreen iframe) gets no animation frames, so a timer starts it anyway.
await new Promise((resolve) => {
  requestAnimationFrame(() => setTimeout(resolve, 0));
  setTimeout(resolve, 100);
});
`;
// Starts fetching the reader's text file while the wasm downloads. It mirrors
// `Locale::choose` (an exact ?lang= tag, else zh* -> zh-Hant, ja* -> ja, else en); Rust
// checks the tag and fetches its own choice if they differ, so this is only a head start
// (the end-to-end suite fails if a page fetches two languages). It never rejects: an
// unawaited rejection would be logged as an error before Rust reads it.
const prefetch = `const rippleTags = ['en', 'zh-Hant', 'ja'];
const rippleParam = new URLSearchParams(location.search).get('lang')?.trim().toLowerCase();
const rippleBrowser = (navigator.language || '').toLowerCase().split(/[-_]/)[0];
const rippleTag = rippleTags.find((t) => t.toLowerCase() === rippleParam)
  ?? (rippleBrowser === 'zh' ? 'zh-Hant' : rippleBrowser === 'ja' ? 'ja' : 'en');
window.rippleText = {
  tag: rippleTag,
  body: fetch(\`text/\${rippleTag}.json\`).then(
    async (r) => ({ status: r.status, text: r.ok ? await r.text() : null }),
    () => ({ status: 0, text: null }),
  ),
};
`;
const code = stillFirst + prefetch + match[1].trim() + '\n';
const name = `boot-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
await writeFile(path.join(staging, name), code);
const wasmPreload = /<link rel="preload" href="[^"]*_bg\.wasm"[^>]*>/;
if (!wasmPreload.test(html)) {
  console.error('csp-loader: no wasm preload found in index.html');
  process.exit(2);
}
await writeFile(
  indexPath,
  html.replace(inline, `<script type="module" src="./${name}"></script>`).replace(wasmPreload, ''),
);
