/** A tiny random Llama with the committed punchline tokenizer, as the files a model folder holds. */
import { readFileSync } from 'node:fs';
import { parseModelConfig } from '../../../src/engine/arch/config.ts';
import { initParameters } from '../../../src/engine/arch/init.ts';
import { parameterTable } from '../../../src/engine/arch/params.ts';
import { writeSafetensors } from '../../../src/formats/safetensors-write.ts';

const tokenizerDir = new URL('../../../public/models/punchline-tiny/', import.meta.url);

const toBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

export const tinyConfigJson = {
  model_type: 'llama',
  vocab_size: 12341,
  hidden_size: 16,
  intermediate_size: 24,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 64,
  tie_word_embeddings: true,
  eos_token_id: 0,
};

export function tinyModelFiles(readme?: string): Map<string, ArrayBuffer> {
  const config = parseModelConfig(tinyConfigJson);
  // std 1 (not the usual 0.02) so the random model prefers some tokens strongly and seeds visibly differ.
  const weights = initParameters(config, 7, 1);
  const safetensors = writeSafetensors(
    parameterTable(config).map((spec) => ({
      name: spec.name,
      shape: [...spec.shape],
      dtype: 'F32' as const,
      data: weights.get(spec.name) as Float32Array,
    })),
    { label: 'tiny-model' },
  );
  const files = new Map<string, ArrayBuffer>([
    ['config.json', toBuffer(new TextEncoder().encode(JSON.stringify(tinyConfigJson)))],
    ['model.safetensors', toBuffer(safetensors)],
    ['tokenizer.json', toBuffer(readFileSync(new URL('tokenizer.json', tokenizerDir)))],
    ['tokenizer_config.json', toBuffer(readFileSync(new URL('tokenizer_config.json', tokenizerDir)))],
  ]);
  if (readme !== undefined) files.set('README.md', toBuffer(new TextEncoder().encode(readme)));
  return files;
}
