import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../../src/engine/arch/config.ts';
import {
  CheckpointError,
  resolveCheckpoint,
  type TensorHeader,
} from '../../../../src/engine/arch/checkpoint.ts';
import { loraTable } from '../../../../src/engine/arch/lora.ts';
import { headName, parameterCount, parameterTable } from '../../../../src/engine/arch/params.ts';

const gpt2 = parseModelConfig({
  model_type: 'gpt2',
  vocab_size: 50,
  n_embd: 16,
  n_layer: 2,
  n_head: 2,
  n_positions: 32,
});
const smollm2 = parseModelConfig({
  model_type: 'llama',
  vocab_size: 49152,
  hidden_size: 576,
  intermediate_size: 1536,
  num_hidden_layers: 30,
  num_attention_heads: 9,
  num_key_value_heads: 3,
  max_position_embeddings: 8192,
  tie_word_embeddings: true,
});

function headersOf(table: { name: string; shape: readonly number[] }[], rename = (n: string) => n) {
  return new Map<string, TensorHeader>(table.map((s) => [rename(s.name), { dtype: 'F32', shape: s.shape }]));
}

describe('parameter tables', () => {
  it('counts SmolLM2-135M exactly (134,515,008 parameters, tied head)', () => {
    expect(parameterCount(smollm2)).toBe(134_515_008);
    expect(headName(smollm2)).toBe('model.embed_tokens.weight');
    expect(parameterTable(smollm2).some((s) => s.name === 'lm_head.weight')).toBe(false);
  });

  it('names GPT-2 tensors as GPT2LMHeadModel writes them, Conv1D weights [in, out]', () => {
    const table = parameterTable(gpt2);
    const byName = new Map(table.map((s) => [s.name, s.shape]));
    expect(byName.get('transformer.wte.weight')).toEqual([50, 16]);
    expect(byName.get('transformer.h.1.attn.c_attn.weight')).toEqual([16, 48]);
    expect(byName.get('transformer.h.1.mlp.c_proj.weight')).toEqual([64, 16]);
    expect(byName.get('transformer.ln_f.bias')).toEqual([16]);
    expect(table).toHaveLength(2 + 2 * 12 + 2);
  });

  it('names Llama GQA projections [out, in]', () => {
    const llama = { ...smollm2, numLayers: 1 };
    const byName = new Map(parameterTable(llama).map((s) => [s.name, s.shape]));
    expect(byName.get('model.layers.0.self_attn.q_proj.weight')).toEqual([576, 576]);
    expect(byName.get('model.layers.0.self_attn.k_proj.weight')).toEqual([192, 576]);
    expect(byName.get('model.layers.0.mlp.down_proj.weight')).toEqual([576, 1536]);
  });
});

describe('resolveCheckpoint', () => {
  it('accepts GPT-2 tensors with or without the transformer. prefix and lists ignored extras', () => {
    const headers = headersOf(parameterTable(gpt2), (n) => n.replace('transformer.', ''));
    headers.set('h.0.attn.bias', { dtype: 'F32', shape: [1, 1, 32, 32] });
    const resolved = resolveCheckpoint(gpt2, headers);
    expect(resolved.fileNames.get('transformer.h.0.ln_1.weight')).toBe('h.0.ln_1.weight');
    expect(resolved.ignored).toEqual(['h.0.attn.bias']);
  });

  it('rejects a missing tensor, naming it and its shape', () => {
    const headers = headersOf(parameterTable(gpt2));
    headers.delete('transformer.h.1.mlp.c_fc.bias');
    expect(() => resolveCheckpoint(gpt2, headers, 'm.safetensors')).toThrow(
      'm.safetensors: missing tensor "transformer.h.1.mlp.c_fc.bias" with shape [64]',
    );
  });

  it('rejects a missing lm_head when the config says the head is untied', () => {
    const untied = { ...gpt2, tieWordEmbeddings: false };
    const headers = headersOf(parameterTable(gpt2));
    expect(() => resolveCheckpoint(untied, headers)).toThrow(/"lm_head.weight".*tie_word_embeddings = false/);
  });

  it('rejects a misshaped tensor, e.g. a Linear [out, in] where Conv1D [in, out] is expected', () => {
    const headers = headersOf(parameterTable(gpt2));
    headers.set('transformer.h.0.attn.c_attn.weight', { dtype: 'F32', shape: [48, 16] });
    expect(() => resolveCheckpoint(gpt2, headers)).toThrow(/has shape \[48, 16\], expected \[16, 48\]/);
  });

  it('rejects unsupported dtypes, naming the tensor', () => {
    const headers = headersOf(parameterTable(gpt2));
    headers.set('transformer.wpe.weight', { dtype: 'I8', shape: [32, 16] });
    let caught: unknown;
    try {
      resolveCheckpoint(gpt2, headers);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CheckpointError);
    expect((caught as CheckpointError).tensor).toBe('transformer.wpe.weight');
    expect((caught as Error).message).toMatch(/dtype I8, expected one of F32, F16, BF16/);
  });
});

describe('loraTable', () => {
  it('uses PEFT suffix matching: "c_proj" hits attention and MLP, "mlp.c_proj" only the MLP', () => {
    const both = loraTable(gpt2, { rank: 4, alpha: 8, targets: ['c_proj'] });
    expect(both.map((l) => l.kind)).toEqual(['attn.c_proj', 'mlp.c_proj', 'attn.c_proj', 'mlp.c_proj']);
    const mlp = loraTable(gpt2, { rank: 4, alpha: 8, targets: ['mlp.c_proj'] });
    expect(mlp.map((l) => l.module)).toEqual(['transformer.h.0.mlp.c_proj', 'transformer.h.1.mlp.c_proj']);
    expect(mlp[0]).toMatchObject({
      aName: 'base_model.model.transformer.h.0.mlp.c_proj.lora_A.weight',
      aShape: [4, 64],
      bShape: [16, 4],
    });
  });

  it('accepts short Llama names and gives GQA shapes', () => {
    const specs = loraTable({ ...smollm2, numLayers: 1 }, { rank: 8, alpha: 16, targets: ['q', 'v_proj'] });
    expect(specs.map((s) => [s.aName, s.aShape, s.bShape])).toEqual([
      ['base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight', [8, 576], [576, 8]],
      ['base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight', [8, 576], [192, 8]],
    ]);
  });

  it('rejects targets that match nothing and bad ranks', () => {
    expect(() => loraTable(gpt2, { rank: 4, alpha: 8, targets: ['q_proj'] })).toThrow(
      /"q_proj" matches no gpt2 linear layer; expected one of c_attn, attn.c_proj, c_fc, mlp.c_proj/,
    );
    expect(() => loraTable(gpt2, { rank: 0, alpha: 8, targets: ['c_attn'] })).toThrow(
      /rank r must be a positive/,
    );
  });
});
