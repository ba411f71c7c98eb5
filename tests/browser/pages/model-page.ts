/**
 * Test-only page (served by the Vite dev server that tests/browser/model-parity.test.ts starts): exposes
 * window.shippedModelNextToken(provider, prompts), which fetches public/models/punchline-tiny from this
 * origin, runs one decode step per prompt on onnxruntime-web and returns each next-token distribution.
 */
import { parseModelConfig } from '../../../src/engine/arch/config.ts';
import { loadWeights } from '../../../src/engine/arch/weights.ts';
import { createDecoder, nextTokenProbabilities } from '../../../src/eval/decoder.ts';
import { parseSafetensors } from '../../../src/formats/safetensors.ts';
import { probeBackend } from '../../../src/runtime/backend.ts';
import { webRuntime } from '../../../src/runtime/ort-web.ts';

export interface NextTokenResult {
  provider: string;
  probabilities: number[][];
}

declare global {
  interface Window {
    shippedModelNextToken: (provider: 'wasm' | 'webgpu', prompts: number[][]) => Promise<NextTokenResult>;
  }
}

async function fetchOk(path: string): Promise<Response> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response;
}

window.shippedModelNextToken = async (provider, prompts) => {
  // The dev server refuses module imports from public/ (where the app serves /ort/), so ORT's files come
  // from node_modules here.
  await probeBackend({ preferWasm: provider === 'wasm', wasmPaths: '/node_modules/onnxruntime-web/dist/' });
  const config = parseModelConfig(await (await fetchOk('/models/punchline-tiny/config.json')).json());
  const path = '/models/punchline-tiny/model.safetensors';
  const bytes = new Uint8Array(await (await fetchOk(path)).arrayBuffer());
  const weights = loadWeights(config, parseSafetensors(bytes, path));
  const decoder = await createDecoder(
    webRuntime,
    config,
    weights,
    provider === 'webgpu' ? 'gpu-buffer' : 'cpu',
    // On WebGPU every node must run on the GPU: a CPU fallback fails session creation.
    { executionProviders: [provider], disableCpuFallback: provider === 'webgpu' },
  );
  try {
    const probabilities: number[][] = [];
    for (const prompt of prompts)
      probabilities.push(Array.from(await nextTokenProbabilities(decoder, prompt)));
    return { provider: decoder.session.executionProvider, probabilities };
  } finally {
    await decoder.dispose();
  }
};
