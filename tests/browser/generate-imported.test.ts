/**
 * Generating with an imported model in the built app, on WASM: a model folder is imported through the Models
 * picker (models worker → IndexedDB), chosen in the Generate area, prompted through its chat template, and
 * its candidates stop at its own EOS. The folder is the tiny GGUF Llama as the picker converts it, with weights
 * that write 冷笑话 after the chat prompt (tests/unit/generate/imported-tiny-model.ts), so the text is known.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { createImportedTokenizer } from '../../src/models/imported-tokenizer.ts';
import { importedTinyFiles, withConfig, writingSequence } from '../unit/generate/imported-tiny-model.ts';
import {
  continuations,
  fillSettings,
  generateWithEnter,
  recordSnapshots,
  snapshots,
  waitForModel,
  waitForRunEnd,
} from './generate-page.ts';
import { appSessions } from './app-sessions.ts';

const baseUrl = inject('baseUrl');
const openSession = appSessions(baseUrl);

const JOKE = '冷笑话';

/** The model folder on disk: its chat prompts end in "<|im_start|>assistant\n", after which it writes JOKE. */
function jokerFolder(): string {
  const files = withConfig(importedTinyFiles(), { max_position_embeddings: 256 });
  const json = (name: string) => JSON.parse(new TextDecoder().decode(files.get(name))) as unknown;
  const tokenizer = createImportedTokenizer(json('tokenizer.json'), json('tokenizer_config.json'));
  const newline = tokenizer.encode('\n');
  expect(newline).toHaveLength(1);
  const sequence = [...newline, ...tokenizer.encode(JOKE), ...tokenizer.eosTokenIds];
  const folder = join(mkdtempSync(join(tmpdir(), 'generate-imported-')), 'tiny-joker');
  mkdirSync(folder);
  for (const [name, bytes] of writingSequence(files, sequence))
    writeFileSync(join(folder, name), new Uint8Array(bytes));
  return folder;
}

describe('Generate with an imported model on WASM', () => {
  test('imports a folder, chooses it, and writes through its chat template until its EOS', async () => {
    const session = await openSession({ webgpu: false });
    const { page } = session;
    await waitForModel(page);

    await page.getByTestId('model-picker').locator('summary').click();
    await page.getByTestId('open-folder').setInputFiles(jokerFolder());
    const choice = page.getByTestId('generate-model');
    await expect
      .poll(() => choice.locator('option').allTextContents(), { timeout: 60_000 })
      .toEqual(['punchline-tiny (embedded)', 'tiny-joker']);
    await choice.selectOption({ label: 'tiny-joker' });
    await waitForModel(page);
    expect(await page.getByTestId('model-status').textContent()).toMatch(/^tiny-joker: .*running on WASM/);
    expect(await page.getByTestId('model-prompting').getAttribute('data-kind')).toBe('chat-template');
    expect(await page.getByTestId('control-code').isDisabled()).toBe(true);

    await fillSettings(page, { prompt: '猫', maxNewTokens: 20, candidates: 2, seed: 5 });
    await recordSnapshots(page);
    await generateWithEnter(page);
    expect(await waitForRunEnd(page)).toBe('finished');
    expect(await continuations(page)).toEqual([JOKE, JOKE]);
    // An answer, not a continuation: the card shows no opening.
    expect(await page.getByTestId('candidate-text').allTextContents()).toEqual([JOKE, JOKE]);
    expect(await page.getByTestId('candidate').first().getAttribute('data-tokens')).toBe('9');
    for (const { texts } of await snapshots(page))
      for (const text of texts) expect(JOKE.startsWith(text)).toBe(true);

    // Back to the embedded model: its control codes apply again.
    await choice.selectOption({ label: 'punchline-tiny (embedded)' });
    await waitForModel(page);
    expect(await page.getByTestId('model-prompting').getAttribute('data-kind')).toBe('control-codes');
    expect(await page.getByTestId('control-code').isDisabled()).toBe(false);
  });
});
