import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../src/engine/arch/config.ts';
import { chooseDecodeWeights } from '../../../src/models/weight-choice.ts';

const smollm2 = parseModelConfig({
  model_type: 'llama',
  vocab_size: 49152,
  hidden_size: 576,
  intermediate_size: 1536,
  num_hidden_layers: 30,
  num_attention_heads: 9,
  num_key_value_heads: 3,
  head_dim: 64,
  max_position_embeddings: 8192,
  tie_word_embeddings: true,
});
const MiB = 2 ** 20;

describe('chooseDecodeWeights', () => {
  it('WASM with room: float32 (lossless and the fastest on the CPU EP)', () => {
    expect(chooseDecodeWeights(smollm2, { backend: 'wasm' })).toEqual({
      kind: 'float32',
      bytes: 134515008 * 4,
    });
  });

  it('WebGPU: 4-bit with float zero points, about a third of the float32 bytes', () => {
    const choice = chooseDecodeWeights(smollm2, {
      backend: 'webgpu',
      maxBufferSize: 256 * MiB,
      maxStorageBufferBindingSize: 128 * MiB,
    });
    expect(choice.kind).toBe('quantized');
    if (choice.kind !== 'quantized') return;
    expect(choice.options).toEqual({ bits: 4, blockSize: 32, zeroPoints: 'float' });
    expect(choice.bytes / (134515008 * 4)).toBeGreaterThan(0.3);
    expect(choice.bytes / (134515008 * 4)).toBeLessThan(0.4);
  });

  it('a small WASM budget: quantised when that fits, else the reasons', () => {
    expect(chooseDecodeWeights(smollm2, { backend: 'wasm', memoryBudget: 300 * MiB }).kind).toBe('quantized');
    const none = chooseDecodeWeights(smollm2, { backend: 'wasm', memoryBudget: 100 * MiB });
    expect(none).toEqual({
      kind: 'too-large',
      problems: [expect.stringMatching(/at 4 bits, more than the 100 MiB/)],
    });
  });
});
