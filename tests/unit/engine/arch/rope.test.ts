import { describe, expect, it } from 'vitest';
import { parseModelConfig, type LlamaConfig } from '../../../../src/engine/arch/config.ts';
import { ropeTables } from '../../../../src/engine/arch/rope.ts';

function config(ropeParameters: Record<string, unknown>): LlamaConfig {
  return parseModelConfig({
    model_type: 'llama',
    vocab_size: 10,
    hidden_size: 64,
    intermediate_size: 8,
    num_hidden_layers: 1,
    num_attention_heads: 4,
    max_position_embeddings: 300,
    rope_parameters: ropeParameters,
  }) as LlamaConfig;
}

/** Values printed by transformers 5.25 LlamaRotaryEmbedding (torch 2.13, float32) for the same configs. */
const TORCH = {
  default: {
    cos7: [0.753902, -0.599437, 0.764842, 0.9756, 0.997551, 0.999755, 0.999976, 0.999998],
    sin250: [-0.970528, -0.49438, -0.132352, 0.998663, 0.598472, 0.710754, 0.247404, 0.078975],
  },
  llama3: {
    cos7: [0.753902, 0.849468, 0.999459, 0.99998, 0.999999, 1.0, 1.0, 1.0],
    sin250: [-0.970528, 0.842118, 0.922762, 0.225928, 0.04418, 0.00857, 0.001662, 0.000322],
  },
  linear: {
    cos7: [-0.178246, 0.850743, 0.984727, 0.998469, 0.999847, 0.999985, 0.999998, 1.0],
    sin250: [-0.325796, 0.792367, -0.033179, 0.918855, 0.585097, 0.196358, 0.062459, 0.019763],
  },
};

const CONFIGS = {
  default: { rope_type: 'default', rope_theta: 10000 },
  llama3: {
    rope_type: 'llama3',
    rope_theta: 500000,
    factor: 8,
    low_freq_factor: 1,
    high_freq_factor: 4,
    original_max_position_embeddings: 64,
  },
  linear: { rope_type: 'linear', rope_theta: 10000, factor: 4 },
};

describe('ropeTables', () => {
  it.each(['default', 'llama3', 'linear'] as const)('matches transformers for %s scaling', (kind) => {
    const t = ropeTables(config(CONFIGS[kind]));
    const d = t.headDim;
    expect(d).toBe(16);
    const cos7 = Array.from(t.cos.subarray(7 * d, 7 * d + 8));
    const sin250 = Array.from(t.sin.subarray(250 * d, 250 * d + 8));
    cos7.forEach((v, i) => expect(v).toBeCloseTo(TORCH[kind].cos7[i] as number, 5));
    sin250.forEach((v, i) => expect(v).toBeCloseTo(TORCH[kind].sin250[i] as number, 5));
  });

  it('repeats each frequency in both halves (rotate_half layout) and starts at angle 0', () => {
    const t = ropeTables(config(CONFIGS.default), 4);
    expect(Array.from(t.cos.subarray(0, 16))).toEqual(new Array(16).fill(1));
    expect(Array.from(t.sin.subarray(0, 16))).toEqual(new Array(16).fill(0));
    expect(t.cos.subarray(3 * 16, 3 * 16 + 8)).toEqual(t.cos.subarray(3 * 16 + 8, 4 * 16));
  });
});
