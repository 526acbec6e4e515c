import { serveDist, simSeconds, launchBrowser } from './tests/e2e/harness.mjs';
const variant = process.argv[2] ?? 'a';
const server = await serveDist();
const browser = await launchBrowser();
const page = await browser.newPage();
page.on('console', m => console.log('console', m.type(), m.text().slice(0, 300)));
page.on('pageerror', e => console.log('pageerror', String(e).slice(0, 500)));
page.on('crash', () => console.log('CRASH'));
await page.goto(server.origin + '/');
await page.getByTestId('sync-node-analytics').waitFor();
await page.getByTestId('play').click();
if (variant === 'a') {
  await page.getByTestId('narration-next').click();
  await page.getByTestId('narration-next').click();
  await page.waitForTimeout(2000);
} else {
  while ((await simSeconds(page)) < 2) await page.waitForTimeout(50);
  await page.getByTestId('narration-next').click();
  await page.getByTestId('narration-next').click();
}
console.log('before kill: sim', await simSeconds(page));
await page.getByTestId('sync-node-analytics').click();
await page.getByTestId('action-kill').click();
await page.waitForTimeout(1500);
await page.getByTestId('sync-node-analytics').click();
await page.getByTestId('action-restore').click();
const t0 = Date.now();
for (let i = 0; i < 40; i++) {
  await page.waitForTimeout(1000);
  try {
    const s = await simSeconds(page);
    const step = await page.getByTestId('narration-step').getAttribute('data-step').catch(() => '?');
    console.log(((Date.now()-t0)/1000).toFixed(1), 'sim', s, 'step', step, await page.getByTestId('play').getAttribute('aria-pressed'));
  } catch (e) { console.log('error', String(e).slice(0, 200)); break; }
}
await browser.close(); await server.close();
