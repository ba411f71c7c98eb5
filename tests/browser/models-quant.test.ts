/**
 * MatMulNBits (4- and 8-bit weights kept quantised) runs natively in onnxruntime-web: on WebGPU with CPU fallback
 * disabled (a node placed on the CPU would fail session creation) and on WASM, and gives the float32 graph's
 * next-token distribution on the dequantised weights. A tiny random Llama: SwiftShader is slow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSession } from './harness.ts';
import { openTestPage, type TestPage } from './test-page.ts';

let page: TestPage | undefined;
let app: AppSession;

describe('quantised decoding in the browser', () => {
  beforeAll(async () => {
    page = await openTestPage('/tests/browser/pages/models-quant-page.html', 'quantizedVersusFloat', {
      webgpu: true,
    });
    app = page.app;
  });

  afterAll(async () => {
    await page?.close();
  });

  it.each([
    ['wasm', 4],
    ['wasm', 8],
    ['webgpu', 4],
    ['webgpu', 8],
  ] as const)(
    '%s, %i-bit: same distribution as float32 on the dequantised weights',
    async (provider, bits) => {
      const result = await app.page.evaluate(([p, b]) => window.quantizedVersusFloat(p, b), [
        provider,
        bits,
      ] as const);
      console.log(`${provider} ${bits}-bit: max |dp| ${result.maxDifference.toExponential(2)}`);
      expect(result.provider).toBe(provider);
      expect(result.quantized).toBe(15);
      expect(result.maxDifference).toBeLessThan(1e-4);
      expect(app.consoleErrors).toEqual([]);
    },
    180_000,
  );
});
