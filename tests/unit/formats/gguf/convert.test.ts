import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '@huggingface/tokenizers';
import { parseModelConfig } from '../../../../src/engine/arch/config.ts';
import { convertLlamaGguf } from '../../../../src/formats/gguf/convert-llama.ts';
import { ggufToHfFolder } from '../../../../src/formats/gguf/hf-folder.ts';
import { unpermuteRows } from '../../../../src/formats/gguf/llama-names.ts';
import { parseGguf } from '../../../../src/formats/gguf/reader.ts';
import { tokenizerFromGguf } from '../../../../src/formats/gguf/tokenizer-json.ts';
import { parseSafetensors, readFloat32 } from '../../../../src/formats/safetensors.ts';
import { expectGgufError } from './expect-gguf-error.ts';
import { f32Bytes, writeGguf, type TestValue } from './gguf-writer.ts';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../../fixtures/gguf/${name}`, import.meta.url)));

// tiny-llama.gguf is written by make.py the way llama.cpp's converter writes it; the expected files hold what
// transformers (an independent GGUF loader) recovers from it.
const tiny = parseGguf(fixture('tiny-llama.gguf'), 'tiny-llama.gguf');
const expectedWeights = parseSafetensors(fixture('tiny-llama.expected.safetensors'), 'expected');
const expected = JSON.parse(new TextDecoder().decode(fixture('tiny-llama.expected.json'))) as {
  config: Record<string, unknown>;
  rope_theta: number;
  chat_template: string;
  token_ids: Record<string, number[]>;
};

describe('Llama GGUF → Hugging Face checkpoint', () => {
  const converted = convertLlamaGguf(tiny);

  it('rebuilds config.json as transformers does', () => {
    for (const [key, value] of Object.entries(expected.config)) {
      if (key === 'rms_norm_eps') expect(converted.configJson[key]).toBe(1e-5);
      else expect(converted.configJson[key], key).toEqual(value);
    }
    expect(converted.configJson.rope_theta).toBe(expected.rope_theta);
    expect(parseModelConfig(converted.configJson)).toEqual(converted.config);
  });

  it('recovers every weight exactly, Q/K un-permuted, under transformers names', () => {
    expect(converted.tensors.map((t) => t.name).sort()).toEqual(
      expectedWeights.tensors.map((t) => t.name).sort(),
    );
    for (const tensor of converted.tensors) {
      const reference = readFloat32(expectedWeights, tensor.name);
      expect(tensor.shape, tensor.name).toEqual(expectedWeights.byName.get(tensor.name)?.shape);
      expect(Array.from(tensor.data), tensor.name).toEqual(Array.from(reference));
    }
    expect(converted.sourceTypes).toEqual({ Q8_0: 1, F32: 18, F16: 2 });
  });

  it('un-permutes exactly what the converter permutes', () => {
    // The converter's permutation, written from its definition: reshape(heads, 2, D/2, cols).swapaxes(1, 2).
    const permute = (data: Float32Array, rows: number, cols: number, heads: number): Float32Array => {
      const out = new Float32Array(data.length);
      const half = rows / heads / 2;
      for (let h = 0; h < heads; h++)
        for (let p = 0; p < 2; p++)
          for (let i = 0; i < half; i++) {
            const from = (h * 2 * half + p * half + i) * cols;
            out.set(data.subarray(from, from + cols), (h * 2 * half + i * 2 + p) * cols);
          }
      return out;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        (heads, half, cols) => {
          const rows = heads * half * 2;
          const data = Float32Array.from({ length: rows * cols }, (_, i) => i);
          expect(Array.from(unpermuteRows(permute(data, rows, cols, heads), rows, cols, heads))).toEqual(
            Array.from(data),
          );
        },
      ),
    );
  });

  it('writes a folder whose files load back', () => {
    const folder = ggufToHfFolder(tiny, { dtype: 'F16', sourceName: 'tiny-llama.gguf' });
    expect(Object.keys(folder.files).sort()).toEqual([
      'README.md',
      'config.json',
      'model.safetensors',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    const model = parseSafetensors(
      folder.files['model.safetensors'] ?? new Uint8Array(),
      'model.safetensors',
    );
    expect(model.tensors.every((t) => t.dtype === 'F16')).toBe(true);
    const norm = readFloat32(model, 'model.norm.weight');
    const reference = readFloat32(expectedWeights, 'model.norm.weight');
    norm.forEach((v, i) => expect(Math.abs(v - (reference[i] ?? 0))).toBeLessThanOrEqual(1e-3));
    const card = new TextDecoder().decode(folder.files['README.md']);
    expect(card).toContain('| parameters | ');
    expect(card).toContain('| context length | 64 |');
    expect(folder.parameterCount).toBe(converted.tensors.reduce((s, t) => s + t.data.length, 0));
  });
});

describe('tied embeddings and unsupported files', () => {
  const llamaMetadata = (extra: Record<string, TestValue> = {}): Record<string, TestValue> => ({
    'general.architecture': { type: 'STRING', value: 'llama' },
    'llama.context_length': { type: 'UINT32', value: 16 },
    'llama.embedding_length': { type: 'UINT32', value: 4 },
    'llama.block_count': { type: 'UINT32', value: 0 + 1 },
    'llama.feed_forward_length': { type: 'UINT32', value: 8 },
    'llama.attention.head_count': { type: 'UINT32', value: 2 },
    'llama.vocab_size': { type: 'UINT32', value: 3 },
    ...extra,
  });
  const tensor = (name: string, dims: number[]) => ({
    name,
    dims,
    typeId: 0,
    data: f32Bytes(Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => i / 10)),
  });
  const tensors = [
    tensor('token_embd.weight', [4, 3]),
    tensor('output_norm.weight', [4]),
    tensor('blk.0.attn_norm.weight', [4]),
    tensor('blk.0.attn_q.weight', [4, 4]),
    tensor('blk.0.attn_k.weight', [4, 4]),
    tensor('blk.0.attn_v.weight', [4, 4]),
    tensor('blk.0.attn_output.weight', [4, 4]),
    tensor('blk.0.ffn_norm.weight', [4]),
    tensor('blk.0.ffn_gate.weight', [4, 8]),
    tensor('blk.0.ffn_up.weight', [4, 8]),
    tensor('blk.0.ffn_down.weight', [8, 4]),
  ];

  it('ties the head to the embedding when output.weight is absent', () => {
    const file = parseGguf(writeGguf({ metadata: llamaMetadata(), tensors }), 'tied.gguf');
    const converted = convertLlamaGguf(file);
    expect(converted.configJson.tie_word_embeddings).toBe(true);
    expect(converted.tensors.some((t) => t.name === 'lm_head.weight')).toBe(false);
    expect(converted.configJson.num_key_value_heads).toBe(2);
  });

  it('names the key or tensor that makes a file unconvertible', () => {
    const build = (meta: Record<string, TestValue>, list = tensors) =>
      parseGguf(writeGguf({ metadata: llamaMetadata(meta), tensors: list }), 'bad.gguf');
    expectGgufError(
      () => convertLlamaGguf(build({ 'general.architecture': { type: 'STRING', value: 'gpt2' } })),
      'general.architecture',
      /"gpt2" is not supported/,
    );
    expectGgufError(
      () => convertLlamaGguf(build({ 'llama.rope.dimension_count': { type: 'UINT32', value: 1 } })),
      'llama.rope.dimension_count',
      /partial rotary/,
    );
    expectGgufError(
      () => convertLlamaGguf(build({ 'llama.embedding_length': { type: 'STRING', value: '4' } })),
      'llama.embedding_length',
      /must be a finite number/,
    );
    expectGgufError(
      () => convertLlamaGguf(build({}, tensors.slice(1))),
      null,
      /missing tensor for "model.embed_tokens.weight"/,
    );
    expectGgufError(
      () => convertLlamaGguf(build({}, [...tensors, tensor('blk.0.attn_q.bias', [4])])),
      'tensor "blk.0.attn_q.bias"',
      /no Hugging Face Llama counterpart/,
    );
    expectGgufError(
      () => convertLlamaGguf(build({ 'llama.feed_forward_length': { type: 'UINT32', value: 6 } })),
      'tensor "blk.0.ffn_gate.weight"',
      /has shape \[8, 4\] but the metadata implies \[6, 4\]/,
    );
  });
});

describe('tokenizer rebuilt from GGUF metadata', () => {
  const rebuilt = tokenizerFromGguf(tiny);
  const tokenizer = new Tokenizer(rebuilt.tokenizerJson as never, rebuilt.tokenizerConfig as never);

  it.each(Object.entries(expected.token_ids))('encodes %j as transformers does', (text, ids) => {
    expect(tokenizer.encode(text, { add_special_tokens: false }).ids).toEqual(ids);
    expect(tokenizer.decode(ids, { skip_special_tokens: false })).toBe(text);
  });

  it('keeps the chat template and special tokens', () => {
    expect(rebuilt.tokenizerConfig.chat_template).toBe(expected.chat_template);
    expect(rebuilt.tokenizerConfig.bos_token).toBe('<|im_start|>');
    expect(rebuilt.tokenizerConfig.eos_token).toBe('<|im_end|>');
    expect(rebuilt.tokenizerConfig.pad_token).toBe('<|endoftext|>');
    expect(rebuilt.duplicateIds).toEqual([]);
  });

  it('follows llama.cpp for smollm (digits one by one) and refuses unknown vocabularies', () => {
    const withMeta = (key: string, value: string) => ({
      label: 'x.gguf',
      metadata: new Map([...tiny.metadata, [key, { type: 'STRING' as const, value }]]),
    });
    const smol = tokenizerFromGguf(withMeta('tokenizer.ggml.pre', 'smollm'));
    expect(JSON.stringify(smol.tokenizerJson.pre_tokenizer)).toContain('"individual_digits":true');
    const smolTokenizer = new Tokenizer(smol.tokenizerJson as never, smol.tokenizerConfig as never);
    expect(smolTokenizer.encode('12', { add_special_tokens: false }).tokens).toEqual(['1', '2']);
    expectGgufError(
      () => tokenizerFromGguf(withMeta('tokenizer.ggml.pre', 'llama-bpe')),
      'tokenizer.ggml.pre',
      /"llama-bpe" is not supported/,
    );
    expectGgufError(
      () => tokenizerFromGguf(withMeta('tokenizer.ggml.model', 'llama')),
      'tokenizer.ggml.model',
      /only byte-level BPE/,
    );
  });
});
