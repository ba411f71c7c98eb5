/**
 * Adapters library in the browser (WASM): import a PEFT adapter (a zip PEFT itself saved, tests/fixtures/peft/
 * punchline-tiny-lora.zip) → generate A (base) and B (adapter) with one seed → export the adapter as a PEFT zip →
 * a fresh browser profile (empty IndexedDB) → import the exported zip → the same generation with the same seed.
 * The trainer's UI was not wired when this was written, so the adapter comes from the fixture, not from training.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { waitForModel } from './generate-page.ts';
import { openApp, type AppSession } from './harness.ts';

const baseUrl = inject('baseUrl');
const FIXTURE = 'tests/fixtures/peft/punchline-tiny-lora.zip';
let sessions: AppSession[] = [];
let downloads: string | null = null;

afterEach(async () => {
  const finished = sessions;
  sessions = [];
  for (const session of finished) {
    await session.close();
    expect(session.consoleErrors).toEqual([]);
  }
  if (downloads) await rm(downloads, { recursive: true, force: true });
  downloads = null;
});

async function openAdapters(): Promise<Page> {
  const session = await openApp(baseUrl, { webgpu: false });
  sessions.push(session);
  const { page } = session;
  await waitForModel(page);
  await page
    .getByRole('navigation', { name: 'Areas' })
    .getByRole('button', { name: 'Train & Adapters' })
    .click();
  await expect.poll(() => page.getByLabel('Base model').inputValue()).toBe('punchline-tiny');
  return page;
}

async function importZip(page: Page, path: string): Promise<void> {
  await page.getByLabel('Import adapter files').setInputFiles(path);
  await expect.poll(() => page.locator('tr[data-adapter-id]').count(), { timeout: 30_000 }).toBe(1);
  await expect.poll(() => page.getByLabel('Adapter details').isVisible()).toBe(true);
}

/** Base model as A, the one stored adapter as B; returns [A texts, B texts]. */
async function compare(page: Page): Promise<[string[], string[]]> {
  const id = await page.locator('tr[data-adapter-id]').getAttribute('data-adapter-id');
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

describe('Adapters library on WASM', () => {
  test('import → generate with a seed → export → empty IndexedDB → import → the same generation', async () => {
    const first = await openAdapters();
    await importZip(first, FIXTURE);
    expect(await first.getByLabel('Adapter details').textContent()).toMatch(
      /CAUSAL_LM · r=4, alpha=8 · 36 tensors/,
    );
    const [base, adapted] = await compare(first);
    expect(adapted.every((t) => t.startsWith('Why did the cat') || t.startsWith('My boss'))).toBe(true);
    expect(adapted).not.toEqual(base);

    downloads = await mkdtemp(join(tmpdir(), 'punchline-adapters-'));
    const download = first.waitForEvent('download');
    await first.locator('tr[data-adapter-id]').getByRole('button', { name: 'Export PEFT zip' }).click();
    const exported = join(downloads, (await download).suggestedFilename());
    await (await download).saveAs(exported);
    expect(exported).toMatch(/punchline-tiny-lora\.zip$/);

    const second = await openAdapters();
    expect(await second.locator('tr[data-adapter-id]').count()).toBe(0);
    await importZip(second, exported);
    const [baseAgain, adaptedAgain] = await compare(second);
    expect(baseAgain).toEqual(base);
    expect(adaptedAgain).toEqual(adapted);
  });
});
