/**
 * A tiny random Llama folder (the tiny-chat tokenizer, float32 / float16 / bfloat16 weights), unsharded or
 * split into shards with a model.safetensors.index.json the way transformers save_pretrained writes them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelConfig } from '../../../src/engine/arch/config.ts';
import { initParameters } from '../../../src/engine/arch/init.ts';
import { parameterTable } from '../../../src/engine/arch/params.ts';
import { f32ArrayToBf16, f32ArrayToF16 } from '../../../src/formats/dtype.ts';
import { SHARD_INDEX_FILE } from '../../../src/formats/safetensors-shards.ts';
import { writeSafetensors, type SafetensorsTensorInput } from '../../../src/formats/safetensors-write.ts';

const tokenizerDir = join(import.meta.dirname, '../../fixtures/models/tiny-chat');
const encode = (text: string) => new TextEncoder().encode(text);

export const tinyLlamaConfig = {
  model_type: 'llama',
  vocab_size: 263,
  hidden_size: 16,
  intermediate_size: 24,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 64,
  tie_word_embeddings: false,
};

/** Norm gains as BF16, attention projections as F16, the rest F32: mixed element sizes test the layout. */
export function tinyLlamaTensors(seed = 3): SafetensorsTensorInput[] {
  const config = parseModelConfig(tinyLlamaConfig);
  const weights = initParameters(config, seed);
  return parameterTable(config).map(({ name, shape }) => {
    const data = weights.get(name) as Float32Array;
    if (name.endsWith('norm.weight'))
      return { name, shape: [...shape], dtype: 'BF16', data: f32ArrayToBf16(data) };
    if (name.includes('self_attn'))
      return { name, shape: [...shape], dtype: 'F16', data: f32ArrayToF16(data) };
    return { name, shape: [...shape], dtype: 'F32', data };
  });
}

/** config.json and the tokenizer files, without weights. */
export function folderWithoutWeights(): Map<string, Uint8Array> {
  return new Map([
    ['config.json', encode(JSON.stringify(tinyLlamaConfig))],
    ['tokenizer.json', new Uint8Array(readFileSync(join(tokenizerDir, 'tokenizer.json')))],
    ['tokenizer_config.json', new Uint8Array(readFileSync(join(tokenizerDir, 'tokenizer_config.json')))],
  ]);
}

export const shardName = (i: number, count: number) =>
  `model-${String(i + 1).padStart(5, '0')}-of-${String(count).padStart(5, '0')}.safetensors`;

/** The shard files and their index; `shardOf(i)` places tensor i in shard 0..count-1. */
export function shardFiles(
  tensors: readonly SafetensorsTensorInput[],
  count: number,
  shardOf: (i: number) => number,
): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const weightMap: Record<string, string> = {};
  for (let s = 0; s < count; s++) {
    const held = tensors.filter((_, i) => shardOf(i) === s);
    files.set(shardName(s, count), writeSafetensors(held, { metadata: { format: 'pt' } }));
    for (const t of held) weightMap[t.name] = shardName(s, count);
  }
  const totalSize = tensors.reduce((sum, t) => sum + t.data.byteLength, 0);
  files.set(
    SHARD_INDEX_FILE,
    encode(JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap }, null, 2)),
  );
  return files;
}

export function unshardedFolder(tensors: readonly SafetensorsTensorInput[]): Map<string, Uint8Array> {
  const files = folderWithoutWeights();
  files.set('model.safetensors', writeSafetensors(tensors, { metadata: { format: 'pt' } }));
  return files;
}

/** Tensors dealt round-robin over three shards. */
export function threeShardFolder(tensors: readonly SafetensorsTensorInput[]): Map<string, Uint8Array> {
  const files = folderWithoutWeights();
  for (const [name, bytes] of shardFiles(tensors, 3, (i) => i % 3)) files.set(name, bytes);
  return files;
}

export const asEntries = (files: ReadonlyMap<string, Uint8Array>, folder: string) =>
  [...files].map(([name, bytes]) => ({ path: `${folder}/${name}`, bytes }));
