// Shared end-to-end harness: serves dist/ on 127.0.0.1, launches Debian's Chromium, records what a page does.
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const distDir = path.resolve(process.env.RIPPLE_DIST ?? path.join(repoRoot, 'dist'));

/**
 * Where a test saves the screenshot called `name`: `target/screenshots/` (ignored by git), so
 * `make test` leaves the tree clean; `make screenshots` sets RIPPLE_SCREENSHOTS=public to
 * refresh the README's pictures on purpose.
 */
export async function screenshotPath(name) {
  const folder = path.resolve(repoRoot, process.env.RIPPLE_SCREENSHOTS ?? path.join('target', 'screenshots'));
  await mkdir(folder, { recursive: true });
  return path.join(folder, name);
}

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/**
 * The path the app is served under: a sub-path, as internal docs host it, so an absolute
 * asset path fails every test (requests outside it get 404).
 */
export const basePath = process.env.RIPPLE_BASE ?? '/tools/ripple/';

/**
 * Serves the built app from dist/ under `basePath` on an ephemeral loopback port. Like a
 * static host with precompressed files, it answers with `name.br` when the browser accepts
 * brotli and the file exists, so the build's precompressed files are what tests load.
 */
export async function serveDist() {
  await stat(path.join(distDir, 'index.html')).catch(() => {
    throw new Error(`no built app in ${distDir}: run \`trunk build\` (make test does) first`);
  });
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    if (url.pathname + '/' === basePath) {
      response.writeHead(301, { location: basePath + url.search }).end();
      return;
    }
    if (!url.pathname.startsWith(basePath)) {
      response.writeHead(404).end('outside the app\'s path');
      return;
    }
    const inside = url.pathname.slice(basePath.length);
    const relative = decodeURIComponent(inside === '' ? 'index.html' : inside);
    const file = path.resolve(distDir, relative);
    if (!file.startsWith(distDir)) {
      response.writeHead(403).end();
      return;
    }
    const headers = { 'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream' };
    const brotli = /\bbr\b/.test(request.headers['accept-encoding'] ?? '');
    try {
      let body;
      if (brotli) body = await readFile(file + '.br').catch(() => null);
      if (body) headers['content-encoding'] = 'br';
      else body = await readFile(file);
      response.writeHead(200, headers);
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    // The app's own address without its trailing slash, so tests write `${server.app}/?lang=en`.
    app: origin + basePath.replace(/\/$/, ''),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Debian's Chromium, headless; flags keep it from calling home on this offline machine. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Opens a page and records console errors, uncaught exceptions and every request URL,
 * so a test can fail on any of them.
 */
export async function openPage(browser, url, { viewport = { width: 1400, height: 900 }, locale = 'en-US', reducedMotion = 'no-preference' } = {}) {
  const context = await browser.newContext({ viewport, locale, reducedMotion });
  const page = await context.newPage();
  const record = { consoleErrors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') record.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => record.consoleErrors.push(String(error)));
  page.on('request', (request) => record.requests.push(request.url()));
  await page.goto(url);
  return { page, context, record };
}

/** Reads a number out of a scoreboard cell or label ("1,234", "86.2%", "lag 12"). */
export async function numberIn(page, testid) {
  const text = await page.getByTestId(testid).textContent();
  const match = text.replace(/,/g, '').match(/-?\d+(\.\d+)?/);
  assert.ok(match, `${testid} shows a number: "${text}"`);
  return Number(match[0]);
}

/** Simulated seconds on the clock ("t = 12.3 s", "t = 850 ms", "t = 1.2 min"). */
export async function simSeconds(page) {
  const text = (await page.getByTestId('clock').textContent()).replace(/,/g, '');
  const value = Number(text.match(/\d+(\.\d+)?/)[0]);
  if (text.includes('min')) return value * 60;
  if (text.includes('ms')) return value / 1000;
  return value;
}

export async function waitForSimSeconds(page, seconds, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await simSeconds(page)) < seconds) {
    assert.ok(Date.now() < deadline, `simulated time never reached ${seconds} s`);
    await page.waitForTimeout(100);
  }
}

/** Moves the speed slider to `position` (0..100, log scale: 72 is about 10x). */
export async function setSpeed(page, position) {
  await page.getByTestId('speed').evaluate((input, value) => {
    input.value = String(value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, position);
}

/** Fails the test if the page logged an error or reached beyond the local server at `origin`. */
export function assertCleanRun(record, origin) {
  assert.deepEqual(record.consoleErrors, [], 'the page logged console errors');
  const foreign = record.requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'));
  assert.deepEqual(foreign, [], 'the page requested something beyond its own files');
}

/** Keeps each page's wasm memory where `wasmBytes` can read it (Trunk's loader announces the module). */
export async function watchWasmMemory(context) {
  await context.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (event) => {
      window.__rippleMemory = event.detail?.wasm?.memory;
    });
  });
}

/** The page's wasm memory in bytes (`memory.buffer.byteLength`), or -1 if it cannot be read. */
export async function wasmBytes(page) {
  return page.evaluate(() => window.__rippleMemory?.buffer.byteLength ?? -1);
}

/** Serves dist/ and launches Chromium for one test file; `stopApp` closes both. */
export async function startApp() {
  return { server: await serveDist(), browser: await launchBrowser() };
}

export async function stopApp({ server, browser }) {
  await browser?.close();
  await server?.close();
}
