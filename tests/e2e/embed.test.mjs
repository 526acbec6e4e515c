// End-to-end: the embedded view on a docs page from another origin, driven through postMessage; other origins are ignored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { serveDist, launchBrowser, openPage, assertCleanRun, screenshotPath } from './harness.mjs';

let app;
let browser;
const hosts = [];

before(async () => {
  app = await serveDist();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.close();
  for (const host of hosts) await host.close();
});

/** The newest state event the host page received. */
async function lastState(page) {
  return page.evaluate(() => [...window.received].reverse().find((m) => m.data.type === 'ripple:state')?.data);
}

async function waitForState(page, predicate, what) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const state = await lastState(page);
    if (state && predicate(state)) return state;
    assert.ok(Date.now() < deadline, `the host never heard ${what}: last state ${JSON.stringify(state)}`);
    await page.waitForTimeout(50);
  }
}

test('a docs page on another origin plays, seeks and injects through postMessage', async () => {
  const docs = await serveHostFor((origin) => `${app.app}/?preset=happy-path&lang=en&embed=1&panels=sync,event&controls=play,timeline&allow=${origin}`);
  const { page, context, record } = await openPage(browser, `${docs.origin}/`);
  const frame = page.frameLocator('#ripple');
  await frame.getByTestId('embed').waitFor();
  await frame.getByTestId('sync-node-analytics').waitFor();
  // Compact: the play bar and panels, no header, no tools; and a way out to the full app.
  assert.equal(await frame.getByTestId('app-header').count(), 0);
  assert.equal(await frame.getByTestId('settings').count(), 0);
  const full = await frame.getByTestId('open-full-app').getAttribute('href');
  assert.ok(full.startsWith(`${app.app}/?preset=happy-path`) && !full.includes('embed'), full);

  await page.evaluate(() => window.send({ type: 'ripple:play' }));
  await waitForState(page, (s) => s.playing && s.t > 0.5, 'a playing state');
  await page.evaluate(() => window.send({ type: 'ripple:pause' }));
  await waitForState(page, (s) => !s.playing, 'a paused state');

  await page.evaluate(() => window.send({ type: 'ripple:seek', t: 4 }));
  const sought = await waitForState(page, (s) => s.t === 4, 'the seek');
  assert.equal(sought.scenario, 'happy-path');
  assert.equal(await frame.getByTestId('trace-hash').textContent(), sought.trace_hash);

  await page.evaluate(() => window.send({ type: 'ripple:inject', action: { action: 'kill', target: 'analytics' } }));
  await frame.getByTestId('sync-node-analytics').and(frame.locator('[aria-label*="killed"]')).waitFor();
  await page.evaluate(() => window.send({ type: 'ripple:seek', t: 12 }));
  const after = await waitForState(page, (s) => s.t === 12, 'the seek after the kill');
  assert.ok(after.sync.failed > 0, 'the killed consumer fails sync requests');
  assert.equal(after.event.failed, 0, 'and no event-world request');

  // A malformed command gets a named error back, and changes nothing.
  await page.evaluate(() => window.send({ type: 'ripple:seek', t: 'soon' }));
  await page.waitForFunction(() => window.received.some((m) => m.data.type === 'ripple:error' && m.data.field === 't'));
  assert.equal((await lastState(page)).t, 12);
  assert.ok(page.url().startsWith(docs.origin));
  assertCleanRun({ consoleErrors: record.consoleErrors, requests: record.requests.filter((u) => !u.startsWith(docs.origin)) }, app.origin);
  await page.screenshot({ path: await screenshotPath('screenshot-embed.png') });
  await context.close();
});

test('a page on an origin that is not allowed cannot drive the embed', async () => {
  const allowedOnly = 'http://127.0.0.1:1';
  const stranger = await serveHostFor(() => `${app.app}/?preset=happy-path&lang=en&embed=1&allow=${allowedOnly}`);
  const { page, context, record } = await openPage(browser, `${stranger.origin}/`);
  const frame = page.frameLocator('#ripple');
  await frame.getByTestId('sync-node-analytics').waitFor();
  await page.evaluate(() => window.send({ type: 'ripple:play' }));
  await page.evaluate(() => window.send({ type: 'ripple:inject', action: { action: 'kill', target: 'analytics' } }));
  await page.waitForTimeout(1500);
  assert.equal(await frame.getByTestId('play').textContent(), 'Play', 'still paused');
  assert.match(await frame.getByTestId('clock').textContent(), /t = 0/);
  assert.equal(await frame.locator('[data-testid="sync-node-analytics"][aria-label*="killed"]').count(), 0);
  const heard = await page.evaluate(() => window.received.length);
  assert.equal(heard, 0, 'nothing is posted to a page that is not allowed');
  assertCleanRun({ consoleErrors: record.consoleErrors, requests: record.requests.filter((u) => !u.startsWith(stranger.origin)) }, app.origin);
  await context.close();
});

/**
 * A stand-in docs page on its own 127.0.0.1 port (so its own origin) holding the embed in an
 * iframe; the iframe's URL may name the host's origin, known only once it listens.
 */
async function serveHostFor(srcFor) {
  let src = 'about:blank';
  const server = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html><head><meta charset="utf-8"><title>Docs page</title></head><body>
<h1>Our architecture notes</h1>
<iframe id="ripple" src="${src.replace(/&/g, '&amp;')}" title="Ripple" width="1100" height="700"></iframe>
<script>
  window.received = [];
  window.addEventListener('message', (event) => {
    window.received.push({ origin: event.origin, data: JSON.parse(event.data) });
  });
  window.send = (message) => document.getElementById('ripple').contentWindow.postMessage(message, '*');
</script></body></html>`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  src = srcFor(origin);
  const host = { origin, close: () => new Promise((r) => server.close(r)) };
  hosts.push(host);
  return host;
}
