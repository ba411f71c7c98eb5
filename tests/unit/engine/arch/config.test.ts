import { describe, expect, it } from 'vitest';
import { ConfigError, parseModelConfig, parseModelConfigText } from '../../../../src/engine/arch/config.ts';

const gpt2 = {
  model_type: 'gpt2',
  vocab_size: 50,
  n_embd: 16,
  n_layer: 2,
  n_head: 2,
  n_positions: 32,
  activation_function: 'gelu_new',
  layer_norm_epsilon: 1e-5,
  bos_token_id: 0,
  eos_token_id: 0,
};

const llama = {
  model_type: 'llama',
  vocab_size: 64,
  hidden_size: 16,
  intermediate_size: 40,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  max_position_embeddings: 128,
  hidden_act: 'silu',
  tie_word_embeddings: true,
  bos_token_id: 1,
  eos_token_id: [2, 3],
};

function errorOf(json: unknown): ConfigError {
  try {
    parseModelConfig(json);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected parseModelConfig to throw');
}

describe('parseModelConfig', () => {
  it('normalises a GPT-2 config', () => {
    const c = parseModelConfig(gpt2);
    expect(c).toMatchObject({
      arch: 'gpt2',
      hiddenSize: 16,
      numHeads: 2,
      numKvHeads: 2,
      headDim: 8,
      intermediateSize: 64,
      maxPositions: 32,
      tieWordEmbeddings: true,
      eosTokenIds: [0],
    });
  });

  it('normalises a Llama config with GQA, tied head and several eos ids', () => {
    const c = parseModelConfig(llama);
    expect(c).toMatchObject({ arch: 'llama', numHeads: 4, numKvHeads: 2, headDim: 4, ropeTheta: 10000 });
    expect(c.eosTokenIds).toEqual([2, 3]);
    expect(c.tieWordEmbeddings).toBe(true);
  });

  it('reads rope_theta and scaling from the transformers 5 rope_parameters object', () => {
    const c = parseModelConfig({
      ...llama,
      rope_parameters: {
        rope_type: 'llama3',
        rope_theta: 500000,
        factor: 32,
        low_freq_factor: 1,
        high_freq_factor: 4,
        original_max_position_embeddings: 8192,
      },
    });
    expect(c.arch === 'llama' && c.ropeTheta).toBe(500000);
    expect(c.arch === 'llama' && c.ropeScaling).toEqual({
      kind: 'llama3',
      factor: 32,
      lowFreqFactor: 1,
      highFreqFactor: 4,
      originalMaxPositions: 8192,
    });
  });

  it('reads the flat rope_theta / rope_scaling of older config files', () => {
    const c = parseModelConfig({ ...llama, rope_theta: 100000, rope_scaling: { type: 'linear', factor: 2 } });
    expect(c.arch === 'llama' && c.ropeTheta).toBe(100000);
    expect(c.arch === 'llama' && c.ropeScaling).toEqual({ kind: 'linear', factor: 2 });
  });

  it('uses an explicit head_dim that differs from hidden/heads', () => {
    const c = parseModelConfig({ ...llama, head_dim: 8 });
    expect(c.headDim).toBe(8);
  });

  it.each([
    [{ ...gpt2, model_type: 'mamba' }, 'model_type', /unknown architecture.*"mamba".*"gpt2" or "llama"/],
    [{ ...gpt2, model_type: undefined }, 'model_type', /missing required field "model_type"/],
    [{ ...gpt2, n_head: 3 }, 'n_head', /divisor of n_embd \(16\), got 3/],
    [{ ...gpt2, n_embd: 0 }, 'n_embd', /positive integer, got 0/],
    [{ ...gpt2, n_layer: 1.5 }, 'n_layer', /positive integer, got 1.5/],
    [{ ...gpt2, vocab_size: undefined }, 'vocab_size', /missing required field "vocab_size"/],
    [{ ...gpt2, activation_function: 'relu' }, 'activation_function', /"relu" is not supported/],
    [{ ...gpt2, eos_token_id: 50 }, 'eos_token_id', /\[0, 50\)/],
    [{ ...llama, num_key_value_heads: 3 }, 'num_key_value_heads', /divisor of num_attention_heads \(4\)/],
    [{ ...llama, rms_norm_eps: -1 }, 'rms_norm_eps', /positive finite number, got -1/],
    [{ ...llama, hidden_act: 'gelu' }, 'hidden_act', /not supported/],
    [{ ...llama, attention_bias: true }, 'attention_bias', /not supported/],
    [{ ...llama, head_dim: 5 }, 'head_dim', /even number/],
    [{ ...llama, tie_word_embeddings: 'yes' }, 'tie_word_embeddings', /true or false/],
    [
      { ...llama, rope_scaling: { rope_type: 'yarn', factor: 4 } },
      'rope_scaling.rope_type',
      /"yarn" is not supported/,
    ],
    [{ ...llama, rope_scaling: { rope_type: 'linear', factor: 0.5 } }, 'rope_scaling.factor', /number >= 1/],
    [
      { ...llama, rope_scaling: { rope_type: 'llama3', factor: 8, high_freq_factor: 4 } },
      'rope_scaling.low_freq_factor',
      /missing required field "rope_scaling.low_freq_factor"/,
    ],
  ])('rejects bad input %#, naming the field', (json, field, message) => {
    const error = errorOf(json);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('rejects text that is not JSON or not an object', () => {
    expect(() => parseModelConfigText('{"model_type": ')).toThrow(/config.json: not valid JSON/);
    expect(() => parseModelConfig([1, 2])).toThrow(/JSON object/);
  });
});
