/**
 * SmolLM2-135M-Instruct (public/models/smollm2-135m-instruct, git-ignored; `npm run models:smollm2` creates it)
 * in headless Chromium on onnxruntime-web WASM: "Tell me a joke about cats." with the chat template and greedy
 * decoding gives the same first 20 tokens as PyTorch + transformers (tests/fixtures/models/smollm2-greedy.json),
 * with float32 weights and with 4-bit MatMulNBits weights (float zero points: the GGUF's Q4_1 blocks).
 * Skipped when the model folder is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSession } from './harness.ts';
import { openTestPage, type TestPage } from './test-page.ts';

const MODEL_DIR = 'public/models/smollm2-135m-instruct';
const present = existsSync(`${MODEL_DIR}/model.safetensors`);
if (!present)
  console.warn(`skipping the SmolLM2 browser test: ${MODEL_DIR} is absent (npm run models:smollm2)`);

const reference = JSON.parse(readFileSync('tests/fixtures/models/smollm2-greedy.json', 'utf8')) as {
  prompt: string;
  promptIds: number[];
  ids: number[];
  text: string;
};

let page: TestPage | undefined;
let app: AppSession;

describe.skipIf(!present)('SmolLM2 in the browser (WASM) answers as transformers does', () => {
  beforeAll(async () => {
    page = await openTestPage('/tests/browser/pages/models-smollm2-page.html', 'smollm2GreedyChat', {
      webgpu: false,
    });
    app = page.app;
  });

  afterAll(async () => {
    await page?.close();
  });

  it.each(['float32', '4-bit'] as const)(
    '%s weights: the same prompt ids and first 20 greedy tokens',
    async (weights) => {
      const answer = await app.page.evaluate(([prompt, n, w]) => window.smollm2GreedyChat(prompt, n, w), [
        reference.prompt,
        reference.ids.length,
        weights,
      ] as const);
      console.log(
        `wasm ${weights}: load ${(answer.loadMs / 1000).toFixed(1)} s, ${answer.decodeTokensPerSecond?.toFixed(1)} tokens/s: ${JSON.stringify(answer.text)}`,
      );
      expect(answer.provider).toBe('wasm');
      expect(answer.promptIds).toEqual(reference.promptIds);
      expect(answer.ids).toEqual(reference.ids);
      expect(answer.text).toBe(reference.text);
      expect(app.consoleErrors).toEqual([]);
    },
    600_000,
  );
});
