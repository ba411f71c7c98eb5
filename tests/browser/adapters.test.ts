/**
 * Adapters library in the browser (WASM), two ways to get an adapter:
 * - imported: a zip PEFT itself saved (tests/fixtures/peft/punchline-tiny-lora.zip);
 * - trained: a few updates in the Train area on tests/fixtures/train/labeled-jokes.csv.
 * Then: generate A (base) and B (adapter) with one seed → export the adapter as a PEFT zip → a fresh browser
 * profile (empty IndexedDB) → import the exported zip → the same generation with the same seed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, inject, test } from 'vitest';
import {
  adapterRows,
  compareBaseWithAdapter,
  exportAdapterZip,
  importZip,
  showAdapters,
} from './adapters-page.ts';
import { waitForModel } from './generate-page.ts';
import { openApp, type AppSession } from './harness.ts';

const baseUrl = inject('baseUrl');
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

async function openFresh(): Promise<Page> {
  const session = await openApp(baseUrl, { webgpu: false });
  sessions.push(session);
  await waitForModel(session.page);
  return session.page;
}

async function trainAdapter(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Data', exact: true }).click();
  await page.getByLabel('Choose a file').setInputFiles('tests/fixtures/train/labeled-jokes.csv');
  await expect.poll(() => page.getByTestId('count-accepted').textContent(), { timeout: 60_000 }).toBe('34');
  await page.getByRole('button', { name: 'Train & Adapters', exact: true }).click();
  const select = page.getByLabel('Dataset version');
  await expect
    .poll(() => select.locator('option').allTextContents(), { timeout: 30_000 })
    .toContainEqual(expect.stringContaining('labeled-jokes.csv'));
  const options = await select.locator('option').allTextContents();
  await select.selectOption({ index: options.findIndex((o) => o.includes('labeled-jokes.csv')) });
  const fields = {
    steps: 4,
    batchSize: 2,
    maxSeqLength: 16,
    evalEvery: 4,
    checkpointEvery: 4,
    warmupSteps: 1,
  };
  for (const [name, value] of Object.entries(fields))
    await page.locator(`input[name="${name}"]`).fill(String(value));
  await page.locator('input[name="learningRate"]').fill('0.02');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect
    .poll(() => page.getByTestId('train-phase').textContent(), { timeout: 170_000 })
    .toBe('finished');
}

/** Generate with the adapter, export it, import it into an empty profile, generate again: the same text. */
async function roundTrip(page: Page): Promise<void> {
  const [base, adapted] = await compareBaseWithAdapter(page);
  expect(adapted.every((t) => t.startsWith('Why did the cat') || t.startsWith('My boss'))).toBe(true);
  expect(adapted).not.toEqual(base);
  downloads = await mkdtemp(join(tmpdir(), 'punchline-adapters-'));
  const exported = await exportAdapterZip(page, downloads);

  const fresh = await openFresh();
  await showAdapters(fresh);
  expect(await adapterRows(fresh).count()).toBe(0);
  await importZip(fresh, exported);
  expect(await compareBaseWithAdapter(fresh)).toEqual([base, adapted]);
}

describe('Adapters library on WASM', () => {
  test('imported PEFT zip: generate with a seed → export → empty IndexedDB → import → the same generation', async () => {
    const page = await openFresh();
    await showAdapters(page);
    await importZip(page, 'tests/fixtures/peft/punchline-tiny-lora.zip');
    expect(await page.getByLabel('Adapter details').textContent()).toMatch(
      /CAUSAL_LM · r=4, alpha=8 · 36 tensors/,
    );
    await roundTrip(page);
  });

  test('trained adapter: train → export → empty IndexedDB → import → the same generation', async () => {
    const page = await openFresh();
    await trainAdapter(page);
    await expect.poll(() => adapterRows(page).count(), { timeout: 30_000 }).toBe(1);
    await adapterRows(page).getByRole('button').first().click();
    const details = page.getByLabel('Adapter details');
    await expect.poll(() => details.textContent()).toMatch(/dataset version/);
    expect(await details.textContent()).toMatch(/validationLossAfter/);
    await roundTrip(page);
    expect(await sessions[1]!.page.getByLabel('Adapter details').textContent()).toMatch(
      /validationLossAfter/,
    );
  });
});
