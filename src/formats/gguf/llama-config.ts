/**
 * Hugging Face config.json for a Llama-architecture GGUF, rebuilt from llama.cpp's metadata keys
 * (llama.context_length, llama.embedding_length, ...). Only what the engine implements is accepted;
 * anything that would change the computation silently is refused with the key that says so.
 */
import { GgufError } from './errors.ts';
import {
  optionalNumber,
  optionalPositiveInt,
  optionalString,
  requiredPositiveInt,
  requiredString,
  shortestFloat32,
  stringArray,
} from './metadata-access.ts';
import type { GgufFile } from './reader.ts';

export type HfConfigJson = Record<string, unknown>;

function vocabSize(file: GgufFile): number {
  const fromKey = optionalPositiveInt(file, 'llama.vocab_size');
  if (fromKey !== undefined) return fromKey;
  if (file.metadata.has('tokenizer.ggml.tokens')) return stringArray(file, 'tokenizer.ggml.tokens').length;
  const embedding = file.byName.get('token_embd.weight');
  if (embedding?.dims[1] === undefined) {
    throw new GgufError(
      file.label,
      'llama.vocab_size',
      'missing, and no tokenizer.ggml.tokens or token_embd.weight to infer it from',
    );
  }
  return embedding.dims[1];
}

function ropeScaling(file: GgufFile): Record<string, unknown> | null {
  const kind = optionalString(file, 'llama.rope.scaling.type');
  if (file.byName.has('rope_freqs.weight')) {
    throw new GgufError(
      file.label,
      'tensor "rope_freqs.weight"',
      'per-frequency RoPE factors (Llama 3.1 style) are not supported by this converter',
    );
  }
  if (kind === undefined || kind === 'none') return null;
  if (kind === 'linear') {
    const factor = optionalNumber(file, 'llama.rope.scaling.factor');
    if (factor === undefined || factor < 1) {
      throw new GgufError(
        file.label,
        'llama.rope.scaling.factor',
        `must be a number >= 1 for linear scaling, got ${factor}`,
      );
    }
    return { rope_type: 'linear', factor };
  }
  throw new GgufError(
    file.label,
    'llama.rope.scaling.type',
    `"${kind}" is not supported; expected "none" or "linear"`,
  );
}

function tokenId(file: GgufFile, key: string, vocab: number): number | null {
  const id = optionalNumber(file, key);
  if (id === undefined) return null;
  if (!Number.isInteger(id) || id < 0 || id >= vocab) {
    throw new GgufError(file.label, key, `must be a token id in [0, ${vocab}), got ${id}`);
  }
  return id;
}

export function llamaConfigFromGguf(file: GgufFile): HfConfigJson {
  const arch = requiredString(file, 'general.architecture');
  if (arch !== 'llama') {
    throw new GgufError(
      file.label,
      'general.architecture',
      `"${arch}" is not supported; only "llama" GGUF files convert`,
    );
  }
  const hidden = requiredPositiveInt(file, 'llama.embedding_length');
  const heads = requiredPositiveInt(file, 'llama.attention.head_count');
  const kvHeads = optionalPositiveInt(file, 'llama.attention.head_count_kv') ?? heads;
  const headDim = optionalPositiveInt(file, 'llama.attention.key_length') ?? hidden / heads;
  if (!Number.isInteger(headDim)) {
    throw new GgufError(
      file.label,
      'llama.attention.head_count',
      `${heads} does not divide embedding_length ${hidden}`,
    );
  }
  const valueLength = optionalPositiveInt(file, 'llama.attention.value_length');
  if (valueLength !== undefined && valueLength !== headDim) {
    throw new GgufError(
      file.label,
      'llama.attention.value_length',
      `${valueLength} differs from key_length ${headDim}`,
    );
  }
  const ropeDims = optionalPositiveInt(file, 'llama.rope.dimension_count');
  if (ropeDims !== undefined && ropeDims !== headDim) {
    throw new GgufError(
      file.label,
      'llama.rope.dimension_count',
      `${ropeDims} differs from the head size ${headDim}; partial rotary embeddings are not supported`,
    );
  }
  const vocab = vocabSize(file);
  const eos = tokenId(file, 'tokenizer.ggml.eos_token_id', vocab);
  const config: HfConfigJson = {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: vocab,
    hidden_size: hidden,
    intermediate_size: requiredPositiveInt(file, 'llama.feed_forward_length'),
    num_hidden_layers: requiredPositiveInt(file, 'llama.block_count'),
    num_attention_heads: heads,
    num_key_value_heads: kvHeads,
    head_dim: headDim,
    max_position_embeddings: requiredPositiveInt(file, 'llama.context_length'),
    rms_norm_eps: shortestFloat32(optionalNumber(file, 'llama.attention.layer_norm_rms_epsilon') ?? 1e-5),
    rope_theta: shortestFloat32(optionalNumber(file, 'llama.rope.freq_base') ?? 10000),
    rope_scaling: ropeScaling(file),
    hidden_act: 'silu',
    attention_bias: false,
    mlp_bias: false,
    tie_word_embeddings: !file.byName.has('output.weight'),
    bos_token_id: tokenId(file, 'tokenizer.ggml.bos_token_id', vocab),
    eos_token_id: eos,
    pad_token_id: tokenId(file, 'tokenizer.ggml.padding_token_id', vocab),
    torch_dtype: 'float32',
  };
  return config;
}
