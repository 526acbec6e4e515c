import { startApp, stopApp, openPage } from './tests/e2e/harness.mjs';
const app = await startApp();
const context = await app.browser.newContext({ viewport: { width: Number(process.argv[2] ?? 1400), height: 900 } });
const page = await context.newPage();
await page.route('**/*.wasm', () => {}); // never answers: the still picture stays
await page.goto(app.server.app + '/?lang=ja');
await page.waitForTimeout(800);
await page.screenshot({ path: process.argv[3] ?? '/tmp/still.png' });
await context.close();
await stopApp(app);
