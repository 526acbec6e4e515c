// A small system built in the page's editor from blank, as a user would: shared by the end-to-end tests.
import assert from 'node:assert/strict';

/** Adds a callee under service `parent` and names it by keyboard; returns the new service's index. */
export async function addCallee(page, parent, name) {
  const index = await page.locator('[data-testid^=ed-service-]').count();
  await page.getByTestId(`ed-add-under-${parent}`).click();
  // The caret lands in the new service's name, the next thing to type.
  await page.waitForFunction((id) => document.activeElement?.id === id, `ed-s${index}-name`);
  await page.keyboard.press('Control+a');
  await page.keyboard.type(name);
  return index;
}

/** shop → orders → billing, shop → stock → supplier, shop → mailer; kinds buy (all) and browse (no mailer). */
export async function buildShop(page) {
  await page.getByTestId('edit-architecture').click();
  await page.getByTestId('ed-blank').click();
  await page.getByTestId('ed-s0-name').fill('shop');
  const orders = await addCallee(page, 0, 'orders');
  await addCallee(page, orders, 'billing');
  const stock = await addCallee(page, 0, 'stock');
  await addCallee(page, stock, 'supplier');
  const mailer = await addCallee(page, 0, 'mailer');
  await page.getByTestId('ed-add-kind').click();
  await page.getByTestId('ed-add-kind').click();
  await page.getByTestId('ed-k0-name').fill('buy');
  await page.getByTestId('ed-k1-name').fill('browse');
  await page.getByTestId(`ed-k1-touch-${mailer}`).uncheck();
  assert.equal(await page.getByTestId('ed-state').textContent(), 'Not applied yet: the system shown keeps running.');
  await page.getByTestId('ed-apply').click();
  await page.getByTestId('sync-node-billing').waitFor();
  assert.equal(await page.getByTestId('ed-state').textContent(), 'The draft is the system that runs.');
  assert.equal(await page.getByTestId('ed-status').textContent(), 'Restarted from t = 0 with the edited system.');
}
