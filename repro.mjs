import { serveDist, simSeconds } from './tests/e2e/harness.mjs';
import { chromium } from 'playwright-core';
const server = await serveDist();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox','--disable-gpu','--disable-dev-shm-usage','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run','--enable-logging=stderr','--v=0'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on('console', m => console.log('console', m.type(), m.text().slice(0, 300)));
page.on('pageerror', e => console.log('pageerror', String(e).slice(0, 500)));
page.on('crash', () => console.log('CRASH at', Date.now()));
await page.goto(server.origin + '/');
await page.getByTestId('sync-node-analytics').waitFor();
await page.getByTestId('play').click();
while ((await simSeconds(page)) < 1.5) await page.waitForTimeout(50);
await page.getByTestId('narration-next').click();
await page.getByTestId('narration-next').click();
console.log('after next: sim', await simSeconds(page));
await page.getByTestId('sync-node-analytics').click();
await page.getByTestId('action-kill').click();
await page.waitForTimeout(1500);
await page.getByTestId('sync-node-analytics').click();
await page.getByTestId('action-restore').click();
const t0 = Date.now();
for (let i = 0; i < 60; i++) {
  await page.waitForTimeout(500);
  try {
    const s = await simSeconds(page);
    const speed = await page.getByTestId('speed-value').textContent();
    const playing = await page.getByTestId('play').getAttribute('aria-pressed');
    const step = await page.getByTestId('narration-step').getAttribute('data-step').catch(() => '?');
    console.log(((Date.now()-t0)/1000).toFixed(1), 'sim', s, speed, playing, 'step', step);
  } catch (e) { console.log('error', String(e).slice(0, 200)); break; }
}
await browser.close(); await server.close();
