/**
 * The shipped model (public/models/punchline-tiny) gives the same next-token distribution in Node
 * (onnxruntime-node) and in the browser (onnxruntime-web on WASM, and on WebGPU through SwiftShader with
 * CPU fallback disabled), for English and Chinese prompts: one decode step per prompt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDecoder, nextTokenProbabilities } from '../../src/eval/decoder.ts';
import { nodeRuntime } from '../../src/runtime/ort-node.ts';
import { loadTokenizerFromDirectory } from '../../src/tokenizer/load-node.ts';
import { loadModelFolder } from '../../tools/engine-io.ts';
import type { AppSession } from './harness.ts';
import { openTestPage, type TestPage } from './test-page.ts';

const MODEL_DIR = 'public/models/punchline-tiny';

const PROMPTS = [
  '<|en|><|funny|>',
  '<|en|><|funny|>Why did the chicken cross the road?',
  '<|zh|><|funny|>',
  '<|zh|><|funny|>为什么程序员总是分不清万圣节和圣诞节？',
];

let page: TestPage | undefined;
let app: AppSession;
let promptIds: number[][];
let reference: Float64Array[];

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

describe('shipped model: Node and browser agree on the next token', () => {
  beforeAll(async () => {
    const tokenizer = loadTokenizerFromDirectory(MODEL_DIR);
    promptIds = PROMPTS.map((p) => tokenizer.encode(p));
    const { config, weights } = loadModelFolder(MODEL_DIR);
    const decoder = await createDecoder(nodeRuntime, config, weights, 'cpu');
    reference = [];
    for (const ids of promptIds) reference.push(await nextTokenProbabilities(decoder, ids));
    await decoder.dispose();

    page = await openTestPage('/tests/browser/pages/model-page.html', 'shippedModelNextToken', {
      webgpu: true,
    });
    app = page.app;
  });

  afterAll(async () => {
    await page?.close();
  });

  it('the prompts hold the language tag, the control code and Chinese characters as whole tokens', () => {
    for (const ids of promptIds) expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(promptIds[0]).toHaveLength(2);
    // A Chinese prompt of 22 characters is fewer tokens than its 66 UTF-8 bytes.
    expect((promptIds[3] as number[]).length).toBeLessThan(2 + 40);
  });

  it.each(['wasm', 'webgpu'] as const)(
    'onnxruntime-web %s: max |p_browser - p_node| <= 1e-4 and the same argmax for every prompt',
    async (provider) => {
      const result = await app.page.evaluate(([p, ids]) => window.shippedModelNextToken(p, ids), [
        provider,
        promptIds,
      ] as const);
      expect(result.provider).toBe(provider);
      expect(result.probabilities).toHaveLength(PROMPTS.length);
      result.probabilities.forEach((probs, i) => {
        const ref = reference[i] as Float64Array;
        expect(probs).toHaveLength(ref.length);
        let worst = 0;
        probs.forEach((p, j) => (worst = Math.max(worst, Math.abs(p - (ref[j] as number)))));
        console.log(
          `${provider} prompt ${i}: max |dp| ${worst.toExponential(2)}, argmax ${argmax(probs)} (p ${Math.max(...probs).toFixed(4)})`,
        );
        expect(worst).toBeLessThanOrEqual(1e-4);
        expect(argmax(probs)).toBe(argmax(ref));
      });
      expect(app.consoleErrors).toEqual([]);
    },
    180_000,
  );
});
