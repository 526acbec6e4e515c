import { serveDist, simSeconds, launchBrowser } from './tests/e2e/harness.mjs';
const [w, h] = (process.argv[2] ?? '1280x720').split('x').map(Number);
const server = await serveDist();
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: w, height: h } });
page.on('crash', () => console.log('CRASH'));
await page.goto(server.origin + '/');
await page.getByTestId('sync-node-analytics').waitFor();
await page.getByTestId('play').click();
while ((await simSeconds(page)) < 2) await page.waitForTimeout(50);
await page.getByTestId('narration-next').click();
await page.getByTestId('narration-next').click();
await page.getByTestId('sync-node-analytics').click();
await page.getByTestId('action-kill').click();
await page.waitForTimeout(1500);
await page.getByTestId('sync-node-analytics').click();
await page.getByTestId('action-restore').click();
for (let i = 0; i < 30; i++) {
  await page.waitForTimeout(1000);
  try {
    const info = await page.evaluate(() => [...document.querySelectorAll('canvas')].map(c => `${c.width}x${c.height}`).join(' ') + ' doc ' + document.documentElement.scrollHeight + ' nodes ' + document.getElementsByTagName('*').length);
    console.log(i, await simSeconds(page), info);
  } catch (e) { console.log('error', String(e).slice(0, 200)); break; }
}
await browser.close(); await server.close();
