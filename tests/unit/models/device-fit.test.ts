import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../src/engine/arch/config.ts';
import { planWeights } from '../../../src/models/device-fit.ts';

// SmolLM2-135M's shapes (config.json as the GGUF import writes it).
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
const EMBEDDING = 49152 * 576 * 4;

describe('planWeights', () => {
  it('SmolLM2 float32 fits WebGPU default limits (128 MiB bindings) with the 108 MiB embedding the largest', () => {
    const plan = planWeights(smollm2, {
      backend: 'webgpu',
      maxBufferSize: 256 * 2 ** 20,
      maxStorageBufferBindingSize: 128 * 2 ** 20,
    });
    expect(plan.problems).toEqual([]);
    expect(plan.largest).toEqual({ name: 'model.embed_tokens.weight', bytes: EMBEDDING });
    expect(plan.totalBytes).toBe(134515008 * 4);
  });

  it('names the tensor and the limit when a binding is too small', () => {
    const plan = planWeights(smollm2, {
      backend: 'webgpu',
      maxBufferSize: 256 * 2 ** 20,
      maxStorageBufferBindingSize: 64 * 2 ** 20,
    });
    expect(plan.problems).toEqual([
      'model.embed_tokens.weight [49152, 576] needs 108 MiB in one GPU buffer, but this GPU binds at most 64 MiB ' +
        '(maxStorageBufferBindingSize / maxBufferSize); use the WASM backend or a smaller model.',
    ]);
  });

  it('4-bit projections (blocks of 32: 4.5 bits + a zero point per weight) keep the embedding float32', () => {
    const plan = planWeights(smollm2, { backend: 'wasm' }, { bits: 4, blockSize: 32 });
    const projections = 30 * (2 * 576 * 576 + 2 * 192 * 576 + 3 * 1536 * 576);
    const norms = (2 * 30 + 1) * 576 * 4;
    const blocks = projections / 32;
    expect(plan.totalBytes).toBe(EMBEDDING + norms + projections / 2 + 4 * blocks + blocks / 2);
    expect(plan.problems).toEqual([]);
  });

  it('refuses a model larger than the WASM heap, suggesting 4-bit weights', () => {
    const plan = planWeights(smollm2, { backend: 'wasm', memoryBudget: 256 * 2 ** 20 });
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0]).toMatch(
      /need 513 MiB as float32, more than the 256 MiB .* load it with 4-bit weights/,
    );
  });
});
