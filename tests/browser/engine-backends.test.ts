/**
 * The same engine graphs give the same numbers on onnxruntime-node (CPU), onnxruntime-web WASM and
 * onnxruntime-web WebGPU (SwiftShader), with CPU fallback disabled on WebGPU so that every node of the
 * decode graph and of the LoRA train-step graph is shown to run on the GPU.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRuntime } from '../../src/runtime/ort-node.ts';
import { runEngineCases, type CaseOutputs } from './engine-cases.ts';
import type { AppSession } from './harness.ts';
import { openTestPage, type TestPage } from './test-page.ts';

let page: TestPage | undefined;
let app: AppSession;
let reference: CaseOutputs;

beforeAll(async () => {
  page = await openTestPage('/tests/browser/engine-page.html', 'runEngineCases', { webgpu: true });
  app = page.app;
  reference = (await runEngineCases(nodeRuntime, { executionProviders: ['cpu'] })).outputs;
});

afterAll(async () => {
  await page?.close();
});

/** max |ours - reference| / max |reference| over one output. */
function relativeError(ours: readonly number[], ref: readonly number[]): number {
  expect(ours).toHaveLength(ref.length);
  let diff = 0;
  let scale = 0;
  ref.forEach((r, i) => {
    diff = Math.max(diff, Math.abs((ours[i] as number) - r));
    scale = Math.max(scale, Math.abs(r));
  });
  return diff / scale;
}

describe.each([
  ['wasm', 1e-5],
  ['webgpu', 1e-4],
] as const)('engine graphs on onnxruntime-web %s', (provider, tolerance) => {
  it(`match onnxruntime-node within ${tolerance} (decode with cache, LoRA train step; GPT-2 and Llama)`, async () => {
    const { outputs, providers } = await app.page.evaluate((p) => window.runEngineCases(p), provider);
    expect(providers).toEqual(new Array<string>(6).fill(provider));
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(reference).sort());
    const errors = Object.entries(reference).map(
      ([name, ref]) => [name, relativeError(outputs[name] ?? [], ref)] as const,
    );
    const worst = errors.reduce((a, b) => (b[1] > a[1] ? b : a));
    console.log(
      `${provider}: ${errors.length} outputs, worst relative error ${worst[1].toExponential(2)} (${worst[0]})`,
    );
    expect(worst[1]).toBeLessThan(tolerance);
    expect(app.consoleErrors).toEqual([]);
  });
});

it('refuses on WebGPU a graph with a CPU-only node when CPU fallback is disabled (the control)', async () => {
  const message = await app.page.evaluate(() => window.cpuOnlyGraphErrorOnWebGpu());
  expect(message).toMatch(
    /assigned to the default CPU EP, but fallback to CPU EP has been explicitly disabled/,
  );
});
