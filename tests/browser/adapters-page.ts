/** Steps the adapters browser tests share: open the library, import a zip, compare base and adapter, export. */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export async function showAdapters(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Areas' })
    .getByRole('button', { name: 'Train & Adapters' })
    .click();
  await expect.poll(() => page.getByLabel('Base model').inputValue()).toBe('punchline-tiny');
}

export const adapterRows = (page: Page) => page.locator('tr[data-adapter-id]');

export async function importZip(page: Page, path: string): Promise<void> {
  await page.getByLabel('Import adapter files').setInputFiles(path);
  await expect.poll(() => adapterRows(page).count(), { timeout: 30_000 }).toBe(1);
  await expect.poll(() => page.getByLabel('Adapter details').isVisible()).toBe(true);
}

/** Base model as A, the one stored adapter as B, fixed prompts and seed; returns [A texts, B texts]. */
export async function compareBaseWithAdapter(page: Page): Promise<[string[], string[]]> {
  const id = await adapterRows(page).getAttribute('data-adapter-id');
  await page.getByLabel('Adapter B').selectOption(id ?? '');
  await page.getByLabel('Compare prompts').fill('Why did the cat\nMy boss');
  await page.getByLabel('Compare seed').fill('11');
  await page.getByLabel('Compare tokens').fill('12');
  await page.getByRole('button', { name: 'Generate A and B' }).click();
  const cells = (side: string) =>
    page.locator(`.adapters-compare-result td[data-side="${side}"]`).allTextContents();
  await expect.poll(async () => (await cells('b')).length, { timeout: 120_000 }).toBe(2);
  return [await cells('a'), await cells('b')];
}

/** Clicks "Export PEFT zip" on the one adapter and saves the download into `folder`; returns its path. */
export async function exportAdapterZip(page: Page, folder: string): Promise<string> {
  const download = page.waitForEvent('download');
  await adapterRows(page).getByRole('button', { name: 'Export PEFT zip' }).click();
  const file = await download;
  const path = join(folder, file.suggestedFilename());
  await file.saveAs(path);
  return path;
}
