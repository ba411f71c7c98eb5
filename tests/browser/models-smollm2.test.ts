/**
 * SmolLM2-135M-Instruct (public/models/smollm2-135m-instruct, git-ignored; `npm run models:smollm2` creates it)
 * in headless Chromium on onnxruntime-web WASM, with the weights loaded once for the page:
 *  - loading raises the renderer's peak resident memory by at most twice the weight bytes over what it held before;
 *  - "Tell me a joke about cats." with the chat template and greedy decoding gives the same first 20 tokens as
 *    PyTorch + transformers (tests/fixtures/models/smollm2-greedy.json), with float32 weights and with 4-bit
 *    MatMulNBits weights (float zero points: the GGUF's Q4_1 blocks);
 *  - LoRA AdamW steps on two chat-formatted jokes lower the loss, step by step as onnxruntime-node does
 *    (tests/fixtures/models/smollm2-lora-node.json, written by tools/models-lora-steps.ts; its `command` field).
 * Skipped when the model folder is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSession } from './harness.ts';
import type { LoadReport, LoraStepSettings } from './pages/models-smollm2-page.ts';
import { rendererMemory, type RendererMemory } from './renderer-memory.ts';
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
const nodeLora = JSON.parse(
  readFileSync('tests/fixtures/models/smollm2-lora-node.json', 'utf8'),
) as LoraStepSettings & { losses: number[] };

const MiB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

let page: TestPage | undefined;
let app: AppSession;
let loadReport: LoadReport;
let beforeLoad: RendererMemory | null;
let afterLoad: RendererMemory | null;

describe.skipIf(!present)('SmolLM2 in the browser (WASM)', () => {
  beforeAll(async () => {
    page = await openTestPage('/tests/browser/pages/models-smollm2-page.html', 'smollm2Load', {
      webgpu: false,
    });
    app = page.app;
    beforeLoad = await rendererMemory(app.context);
    loadReport = await app.page.evaluate(() => window.smollm2Load());
    afterLoad = await rendererMemory(app.context);
    console.log(
      `wasm load ${(loadReport.loadMs / 1000).toFixed(1)} s (${loadReport.wasmThreads} threads), weights ${MiB(loadReport.weightBytes)}, renderer ${beforeLoad ? MiB(beforeLoad.rssBytes) : 'n/a'} before loading, peak ${afterLoad ? MiB(afterLoad.peakBytes) : 'n/a'} while loading`,
    );
  }, 600_000);

  afterAll(async () => {
    if (page) {
      const end = await rendererMemory(app.context);
      if (end) console.log(`renderer at the end: ${MiB(end.rssBytes)} resident, peak ${MiB(end.peakBytes)}`);
    }
    await page?.close();
  });

  it('loads the weights once: loading raises the renderer peak by at most twice the weight bytes', () => {
    expect(loadReport.provider).toBe('wasm');
    // The float32 model is 134.5M parameters; the page holds exactly that many bytes of weights.
    expect(loadReport.weightBytes).toBe(134_515_008 * 4);
    if (beforeLoad === null || afterLoad === null)
      throw new Error('no renderer memory figures: /proc or CDP SystemInfo unavailable');
    // The page, Chromium's own renderer memory and the ORT WASM module are resident before any weight is read.
    expect(afterLoad.peakBytes - beforeLoad.rssBytes).toBeLessThanOrEqual(2 * loadReport.weightBytes);
  });

  it.each(['float32', '4-bit'] as const)(
    '%s weights: the same prompt ids and first 20 greedy tokens as transformers',
    async (weights) => {
      const answer = await app.page.evaluate(([prompt, n, w]) => window.smollm2GreedyChat(prompt, n, w), [
        reference.prompt,
        reference.ids.length,
        weights,
      ] as const);
      console.log(
        `wasm ${weights}: ${answer.decodeTokensPerSecond?.toFixed(1)} tokens/s: ${JSON.stringify(answer.text)}`,
      );
      expect(answer.provider).toBe('wasm');
      expect(answer.promptIds).toEqual(reference.promptIds);
      expect(answer.ids).toEqual(reference.ids);
      expect(answer.text).toBe(reference.text);
      expect(app.consoleErrors).toEqual([]);
    },
    600_000,
  );

  it('LoRA (r8, q/k/v/o): AdamW steps lower the loss, as onnxruntime-node does step by step', async () => {
    const { losses: nodeLosses, ...settings } = nodeLora;
    const result = await app.page.evaluate((s) => window.smollm2LoraSteps(s), settings);
    const tokensPerSecond = (result.batch * result.seq * 1000) / Math.min(...result.stepMs);
    console.log(
      `wasm LoRA ${result.batch}x${result.seq} (${result.targets} targets): losses ${result.losses.map((l) => l.toFixed(4)).join(' ')}; node ${nodeLosses.map((l) => l.toFixed(4)).join(' ')}; ${tokensPerSecond.toFixed(1)} tokens/s`,
    );
    expect(result.executionProvider).toBe('wasm');
    expect(result.losses).toHaveLength(settings.steps);
    expect(result.losses.at(-1)).toBeLessThan(0.5 * (result.losses[0] as number));
    // Step 1 runs the unchanged base model (lora_B = 0); later steps follow AdamW's path, which magnifies
    // kernel-level float differences between MLAS on x86 and WASM SIMD a little with each update.
    result.losses.forEach((loss, i) => {
      expect(Math.abs(loss - (nodeLosses[i] as number))).toBeLessThan(i === 0 ? 1e-4 : 2e-3);
    });
    expect(app.consoleErrors).toEqual([]);
  }, 900_000);
});
