/**
 * Test-only page (served by the Vite dev server that tests/browser/models-quant.test.ts starts): exposes
 * window.quantizedVersusFloat(provider, bits), which runs a tiny random Llama with MatMulNBits weights on
 * onnxruntime-web (WebGPU with CPU fallback disabled, or WASM) and the float32 graph on the dequantised weights,
 * and returns the largest difference of their next-token distributions.
 */
import { parseModelConfig } from '../../../src/engine/arch/config.ts';
import { seededNormal } from '../../../src/engine/arch/init.ts';
import { parameterTable } from '../../../src/engine/arch/params.ts';
import { createDecoder, nextTokenProbabilities } from '../../../src/eval/decoder.ts';
import { dequantizeBlockwise, quantizeBlockwise, type QuantBits } from '../../../src/models/block-quant.ts';
import { createQuantizedDecoder } from '../../../src/models/quantized-decoder.ts';
import { probeBackend } from '../../../src/runtime/backend.ts';
import { webRuntime } from '../../../src/runtime/ort-web.ts';

declare global {
  interface Window {
    quantizedVersusFloat: (
      provider: 'wasm' | 'webgpu',
      bits: QuantBits,
    ) => Promise<{ provider: string; maxDifference: number; quantized: number }>;
  }
}

const config = parseModelConfig({
  model_type: 'llama',
  vocab_size: 40,
  hidden_size: 32,
  intermediate_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 32,
  tie_word_embeddings: false,
});

window.quantizedVersusFloat = async (provider, bits) => {
  await probeBackend({ preferWasm: provider === 'wasm', wasmPaths: '/node_modules/onnxruntime-web/dist/' });
  const normal = seededNormal(5);
  const weights = new Map<string, Float32Array>(
    parameterTable(config).map((s) => [
      s.name,
      Float32Array.from(
        { length: s.shape.reduce((a, b) => a * b, 1) },
        () => (s.shape.length === 1 ? 1 : 0) + 0.3 * normal(),
      ),
    ]),
  );
  const dequantised = new Map(weights);
  for (const s of parameterTable(config)) {
    if (s.shape.length !== 2 || s.name === 'model.embed_tokens.weight') continue;
    const [N, K] = s.shape as [number, number];
    dequantised.set(
      s.name,
      dequantizeBlockwise(quantizeBlockwise(weights.get(s.name) as Float32Array, N, K, bits, 32)),
    );
  }
  const placement = provider === 'webgpu' ? 'gpu-buffer' : 'cpu';
  const session = { executionProviders: [provider], disableCpuFallback: provider === 'webgpu' } as const;
  const quantized = await createQuantizedDecoder(
    webRuntime,
    config,
    weights,
    placement,
    { bits, blockSize: 32 },
    session,
  );
  const reference = await createDecoder(webRuntime, config, dequantised, placement, session);
  try {
    const prompt = [3, 17, 5, 39, 0, 22];
    const p = await nextTokenProbabilities(quantized, prompt);
    const ref = await nextTokenProbabilities(reference, prompt);
    let maxDifference = 0;
    p.forEach((v, i) => (maxDifference = Math.max(maxDifference, Math.abs(v - (ref[i] as number)))));
    return {
      provider: quantized.session.executionProvider,
      maxDifference,
      quantized: quantized.quantization.quantized.length,
    };
  } finally {
    await quantized.dispose();
    await reference.dispose();
  }
};
