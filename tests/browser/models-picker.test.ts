/**
 * The model picker in the built app: a GGUF file is converted in the models worker, stored in IndexedDB and
 * listed with its size and card; a folder of the converted files from the same model is recognised as the same
 * weights; a broken folder gives an error naming the missing file; Delete removes the stored model.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { importGguf } from '../../src/worker/models/model-sources.ts';
import { appSessions } from './app-sessions.ts';

const baseUrl = inject('baseUrl');
const GGUF = 'tests/fixtures/gguf/tiny-llama.gguf';
const openSession = appSessions(baseUrl);

describe('model picker', () => {
  test('imports a GGUF and a folder, refuses a broken folder, deletes', async () => {
    const session = await openSession({ webgpu: false });
    const { page } = session;
    await page.getByTestId('model-picker').locator('summary').click();

    await page.getByTestId('open-gguf').setInputFiles(GGUF);
    const item = page.getByTestId('model-list').locator('li[data-model-id]');
    await expect.poll(() => item.count(), { timeout: 60_000 }).toBe(1);
    expect(await item.textContent()).toMatch(/^tiny-llama: \d+\.\d KB, from tiny-llama\.gguf/);
    expect(await page.getByTestId('imported-card').textContent()).toMatch(
      /llama: 2 layers, hidden size 32, 64-token context, vocabulary 316.*instruct \(has a chat template\)/,
    );

    // The same model as a folder (the files the GGUF converts to): same weights, so still one stored model.
    const root = mkdtempSync(join(tmpdir(), 'picker-'));
    const converted = importGguf(new Uint8Array(readFileSync(GGUF)), 'tiny-llama.gguf', () => undefined);
    for (const folder of ['tiny', 'broken']) {
      mkdirSync(join(root, folder));
      for (const [name, bytes] of converted.files)
        if (folder === 'tiny' || name !== 'tokenizer.json') writeFileSync(join(root, folder, name), bytes);
    }
    await page.getByTestId('open-folder').setInputFiles(join(root, 'tiny'));
    await expect
      .poll(() => page.getByTestId('imported-card').textContent(), { timeout: 60_000 })
      .toMatch(/^Importedtiny/);
    expect(await item.count()).toBe(1);

    await page.getByTestId('open-folder').setInputFiles(join(root, 'broken'));
    await expect
      .poll(() => page.getByTestId('models-error').textContent(), { timeout: 60_000 })
      .toMatch(/^broken: missing tokenizer.json/);

    await item.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => item.count(), { timeout: 30_000 }).toBe(0);
  });
});
