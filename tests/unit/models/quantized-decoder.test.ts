import { describe, expect, it } from 'vitest';
import { parseModelConfig, type ModelConfig } from '../../../src/engine/arch/config.ts';
import { seededNormal } from '../../../src/engine/arch/init.ts';
import { parameterTable } from '../../../src/engine/arch/params.ts';
import { createDecoder, nextTokenProbabilities } from '../../../src/eval/decoder.ts';
import { dequantizeBlockwise, quantizeBlockwise } from '../../../src/models/block-quant.ts';
import { createQuantizedDecoder } from '../../../src/models/quantized-decoder.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';

const llama = (tied: boolean): ModelConfig =>
  parseModelConfig({
    model_type: 'llama',
    vocab_size: 40,
    hidden_size: 32,
    intermediate_size: 48,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    max_position_embeddings: 32,
    tie_word_embeddings: tied,
  });

function randomWeights(config: ModelConfig): Map<string, Float32Array> {
  const normal = seededNormal(5);
  return new Map(
    parameterTable(config).map((spec) => {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const gain = spec.shape.length === 1 ? 1 : 0;
      return [spec.name, Float32Array.from({ length: size }, () => gain + 0.3 * normal())];
    }),
  );
}

const PROMPT = [3, 17, 5, 39, 0, 22];

describe('createQuantizedDecoder (MatMulNBits on onnxruntime-node)', () => {
  it.each([
    [4, 16, 'uint8'],
    [8, 32, 'uint8'],
    [4, 32, 'float'],
  ] as const)(
    '%i-bit blocks of %i, %s zero points: the same distribution as float32 on the dequantised weights',
    async (bits, block, zeroPoints) => {
      const config = llama(false);
      const weights = randomWeights(config);
      const dequantised = new Map(weights);
      for (const spec of parameterTable(config)) {
        if (spec.shape.length !== 2 || spec.name === 'model.embed_tokens.weight') continue;
        const [N, K] = spec.shape as [number, number];
        dequantised.set(
          spec.name,
          dequantizeBlockwise(
            quantizeBlockwise(weights.get(spec.name) as Float32Array, N, K, bits, block, zeroPoints),
          ),
        );
      }
      const quantized = await createQuantizedDecoder(nodeRuntime, config, weights, 'cpu', {
        bits,
        blockSize: block,
        zeroPoints,
      });
      const reference = await createDecoder(nodeRuntime, config, dequantised, 'cpu');
      const exact = await createDecoder(nodeRuntime, config, weights, 'cpu');
      try {
        // 2 layers x 7 projections + the head; the embedding stays float32 for its Gather.
        expect(quantized.quantization.quantized).toHaveLength(15);
        expect(quantized.quantization.removedInputs).not.toContain('model.embed_tokens.weight');
        expect(Object.keys(quantized.weights)).not.toContain('model.layers.0.mlp.up_proj.weight');
        const p = await nextTokenProbabilities(quantized, PROMPT);
        const ref = await nextTokenProbabilities(reference, PROMPT);
        const full = await nextTokenProbabilities(exact, PROMPT);
        let worst = 0;
        let drift = 0;
        p.forEach((v, i) => {
          worst = Math.max(worst, Math.abs(v - (ref[i] as number)));
          drift = Math.max(drift, Math.abs(v - (full[i] as number)));
        });
        expect(worst).toBeLessThan(1e-5);
        // Quantisation itself moves the distribution (more at 4 bits), which is what the reference above isolates.
        expect(drift).toBeGreaterThan(worst);
      } finally {
        await Promise.all([quantized.dispose(), reference.dispose(), exact.dispose()]);
      }
    },
  );

  it('tied embeddings: by default the head stays a float32 Gemm on the table the Gather holds anyway', async () => {
    const config = llama(true);
    const decoder = await createQuantizedDecoder(nodeRuntime, config, randomWeights(config), 'cpu', {
      bits: 4,
      blockSize: 16,
    });
    try {
      expect(decoder.quantization.quantized).toHaveLength(14);
      expect(decoder.quantization.quantized).not.toContain('model.embed_tokens.weight');
    } finally {
      await decoder.dispose();
    }
    await expect(
      createQuantizedDecoder(nodeRuntime, config, randomWeights(config), 'cpu', {
        bits: 8,
        blockSize: 16,
        zeroPoints: 'float',
      }),
    ).rejects.toThrow(/float zero points run only with 4 bits/);
  });

  it('tied embeddings: the head can be quantised (8 bits here) while the Gather keeps the float32 table', async () => {
    const config = llama(true);
    const decoder = await createQuantizedDecoder(nodeRuntime, config, randomWeights(config), 'cpu', {
      bits: 4,
      blockSize: 16,
      head: 8,
    });
    try {
      expect(decoder.quantization.quantized).toContain('model.embed_tokens.weight');
      expect(Object.keys(decoder.weights)).toContain('model.embed_tokens.weight');
      // 14 projections at 4 bits + the 40x32 head at 8 bits, against their float32 bytes.
      expect(decoder.quantization.float32Bytes).toBe(
        2 * 4 * (2 * 32 * 32 + 2 * 16 * 32 + 3 * 48 * 32) + 4 * 40 * 32,
      );
      const probs = await nextTokenProbabilities(decoder, PROMPT);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    } finally {
      await decoder.dispose();
    }
  });
});
