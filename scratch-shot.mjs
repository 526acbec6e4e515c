import { startApp, stopApp, openPage } from './tests/e2e/harness.mjs';
const app = await startApp();
const url = process.argv[2] ?? '/?lang=en';
const { page, context } = await openPage(app.browser, app.server.app + url, { viewport: { width: Number(process.argv[4] ?? 1400), height: 900 } });
await page.waitForTimeout(Number(process.argv[5] ?? 1500));
await page.screenshot({ path: process.argv[3] ?? '/tmp/shot.png' });
await context.close();
await stopApp(app);
