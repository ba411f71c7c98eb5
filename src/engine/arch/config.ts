/**
 * Model configuration parsed from a Hugging Face config.json.
 *
 * Both architectures are normalised to one shape (hidden size, heads, kv heads, head dim, ...), so
 * the parameter tables and graph builders never look at raw JSON field names.
 */

export type Architecture = 'gpt2' | 'llama';

/** RoPE frequency scaling; only kinds that are a pure function of the frequency table are supported. */
export type RopeScaling =
  | { kind: 'default' }
  | { kind: 'linear'; factor: number }
  | {
      kind: 'llama3';
      factor: number;
      lowFreqFactor: number;
      highFreqFactor: number;
      originalMaxPositions: number;
    };

interface CommonConfig {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  intermediateSize: number;
  maxPositions: number;
  tieWordEmbeddings: boolean;
  bosTokenId: number | null;
  eosTokenIds: number[];
}

export interface Gpt2Config extends CommonConfig {
  arch: 'gpt2';
  layerNormEps: number;
}

export interface LlamaConfig extends CommonConfig {
  arch: 'llama';
  rmsNormEps: number;
  ropeTheta: number;
  ropeScaling: RopeScaling;
}

export type ModelConfig = Gpt2Config | LlamaConfig;

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`config.json: ${message}`);
    this.name = 'ConfigError';
  }
}

type Json = Record<string, unknown>;

function fail(field: string, expected: string, got: unknown): never {
  throw new ConfigError(field, `field "${field}" must be ${expected}, got ${JSON.stringify(got)}`);
}

/** `prefix` names the enclosing object for nested fields, e.g. "rope_scaling.". */
function positiveInt(json: Json, field: string, fallback?: number, prefix = ''): number {
  const name = prefix + field;
  const value = json[field] ?? fallback;
  if (value === undefined) throw new ConfigError(name, `missing required field "${name}"`);
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    fail(name, 'a positive integer', value);
  }
  return value;
}

function positiveNumber(json: Json, field: string, fallback?: number, prefix = ''): number {
  const name = prefix + field;
  const value = json[field] ?? fallback;
  if (value === undefined) throw new ConfigError(name, `missing required field "${name}"`);
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(name, 'a positive finite number', value);
  }
  return value;
}

function boolean(json: Json, field: string, fallback: boolean): boolean {
  const value = json[field] ?? fallback;
  if (typeof value !== 'boolean') fail(field, 'true or false', value);
  return value;
}

function tokenId(json: Json, field: string, vocabSize: number): number | null {
  const value = json[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= vocabSize) {
    fail(field, `null or an integer in [0, ${vocabSize})`, value);
  }
  return value;
}

function tokenIds(json: Json, field: string, vocabSize: number): number[] {
  const value = json[field];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  return list.map((id) => {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocabSize) {
      fail(field, `null, an integer or a list of integers in [0, ${vocabSize})`, value);
    }
    return id;
  });
}

/** Fields that change the computation in ways this engine does not implement. */
function rejectUnless(json: Json, field: string, allowed: unknown[], what: string): void {
  const value = json[field];
  if (value === undefined || value === null) return;
  if (!allowed.includes(value)) {
    throw new ConfigError(
      field,
      `field "${field}" = ${JSON.stringify(value)} is not supported (${what}); expected ${allowed
        .map((a) => JSON.stringify(a))
        .join(' or ')}`,
    );
  }
}

function parseGpt2(json: Json): Gpt2Config {
  const vocabSize = positiveInt(json, 'vocab_size');
  const hiddenSize = positiveInt(json, 'n_embd');
  const numHeads = positiveInt(json, 'n_head');
  if (hiddenSize % numHeads !== 0) {
    fail('n_head', `a divisor of n_embd (${hiddenSize})`, numHeads);
  }
  rejectUnless(json, 'activation_function', ['gelu_new'], 'GPT-2 uses the tanh GELU "gelu_new"');
  rejectUnless(json, 'scale_attn_by_inverse_layer_idx', [false], 'per-layer attention scaling');
  rejectUnless(json, 'scale_attn_weights', [true], 'attention scores are scaled by 1/sqrt(head_dim)');
  rejectUnless(json, 'add_cross_attention', [false], 'encoder-decoder cross attention');
  return {
    arch: 'gpt2',
    vocabSize,
    hiddenSize,
    numLayers: positiveInt(json, 'n_layer'),
    numHeads,
    numKvHeads: numHeads,
    headDim: hiddenSize / numHeads,
    intermediateSize: positiveInt(json, 'n_inner', 4 * hiddenSize),
    maxPositions: positiveInt(json, 'n_positions'),
    tieWordEmbeddings: boolean(json, 'tie_word_embeddings', true),
    bosTokenId: tokenId(json, 'bos_token_id', vocabSize),
    eosTokenIds: tokenIds(json, 'eos_token_id', vocabSize),
    layerNormEps: positiveNumber(json, 'layer_norm_epsilon', 1e-5),
  };
}

function parseRopeScaling(raw: unknown, field: string, maxPositions: number): RopeScaling {
  if (raw === undefined || raw === null) return { kind: 'default' };
  if (typeof raw !== 'object' || Array.isArray(raw)) fail(field, 'an object or null', raw);
  const scaling = raw as Json;
  const kind = scaling['rope_type'] ?? scaling['type'] ?? 'default';
  const sub = (name: string): string => `${field}.${name}`;
  const factor = (): number => {
    const value = scaling['factor'];
    if (typeof value !== 'number' || !(value >= 1)) fail(sub('factor'), 'a number >= 1', value);
    return value;
  };
  switch (kind) {
    case 'default':
      return { kind: 'default' };
    case 'linear':
      return { kind: 'linear', factor: factor() };
    case 'llama3': {
      const prefix = `${field}.`;
      const lowFreqFactor = positiveNumber(scaling, 'low_freq_factor', undefined, prefix);
      const highFreqFactor = positiveNumber(scaling, 'high_freq_factor', undefined, prefix);
      if (highFreqFactor <= lowFreqFactor) {
        fail(sub('high_freq_factor'), `greater than low_freq_factor (${lowFreqFactor})`, highFreqFactor);
      }
      return {
        kind: 'llama3',
        factor: factor(),
        lowFreqFactor,
        highFreqFactor,
        originalMaxPositions: positiveInt(scaling, 'original_max_position_embeddings', maxPositions, prefix),
      };
    }
    default:
      throw new ConfigError(
        sub('rope_type'),
        `${sub('rope_type')} = ${JSON.stringify(kind)} is not supported; expected "default", "linear" or "llama3"`,
      );
  }
}

function parseLlama(json: Json): LlamaConfig {
  const vocabSize = positiveInt(json, 'vocab_size');
  const hiddenSize = positiveInt(json, 'hidden_size');
  const numHeads = positiveInt(json, 'num_attention_heads');
  const numKvHeads = positiveInt(json, 'num_key_value_heads', numHeads);
  if (numHeads % numKvHeads !== 0) {
    fail('num_key_value_heads', `a divisor of num_attention_heads (${numHeads})`, numKvHeads);
  }
  if (json['head_dim'] === undefined && hiddenSize % numHeads !== 0) {
    fail('num_attention_heads', `a divisor of hidden_size (${hiddenSize}) when head_dim is absent`, numHeads);
  }
  const headDim = positiveInt(json, 'head_dim', hiddenSize / numHeads);
  if (headDim % 2 !== 0) fail('head_dim', 'an even number (RoPE rotates pairs)', headDim);
  rejectUnless(json, 'hidden_act', ['silu'], 'Llama MLP uses SiLU');
  rejectUnless(json, 'attention_bias', [false], 'biases on q/k/v/o projections');
  rejectUnless(json, 'mlp_bias', [false], 'biases on MLP projections');
  const maxPositions = positiveInt(json, 'max_position_embeddings');
  // transformers >= 5 nests rope_theta and the scaling in rope_parameters; older files keep them flat.
  const params = json['rope_parameters'];
  let ropeTheta: number;
  let ropeScaling: RopeScaling;
  if (params !== undefined && params !== null) {
    if (typeof params !== 'object' || Array.isArray(params)) {
      fail('rope_parameters', 'an object', params);
    }
    const nested = params as Json;
    ropeTheta = positiveNumber(nested, 'rope_theta', (json['rope_theta'] as number | undefined) ?? 10000);
    ropeScaling = parseRopeScaling(nested, 'rope_parameters', maxPositions);
  } else {
    ropeTheta = positiveNumber(json, 'rope_theta', 10000);
    ropeScaling = parseRopeScaling(json['rope_scaling'], 'rope_scaling', maxPositions);
  }
  return {
    arch: 'llama',
    vocabSize,
    hiddenSize,
    numLayers: positiveInt(json, 'num_hidden_layers'),
    numHeads,
    numKvHeads,
    headDim,
    intermediateSize: positiveInt(json, 'intermediate_size'),
    maxPositions,
    tieWordEmbeddings: boolean(json, 'tie_word_embeddings', false),
    bosTokenId: tokenId(json, 'bos_token_id', vocabSize),
    eosTokenIds: tokenIds(json, 'eos_token_id', vocabSize),
    rmsNormEps: positiveNumber(json, 'rms_norm_eps', 1e-6),
    ropeTheta,
    ropeScaling,
  };
}

/** Parses an already-decoded config.json object. */
export function parseModelConfig(json: unknown): ModelConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError('', 'expected a JSON object at the top level');
  }
  const obj = json as Json;
  const modelType = obj['model_type'];
  if (modelType === undefined) {
    throw new ConfigError('model_type', 'missing required field "model_type" (expected "gpt2" or "llama")');
  }
  switch (modelType) {
    case 'gpt2':
      return parseGpt2(obj);
    case 'llama':
      return parseLlama(obj);
    default:
      throw new ConfigError(
        'model_type',
        `unknown architecture model_type = ${JSON.stringify(modelType)}; expected "gpt2" or "llama"`,
      );
  }
}

/** Parses config.json text; JSON syntax errors are reported with the file name. */
export function parseModelConfigText(text: string): ModelConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('', `not valid JSON (${(error as Error).message})`);
  }
  return parseModelConfig(json);
}

/** Number of query heads sharing one key/value head. */
export function groupSize(config: ModelConfig): number {
  return config.numHeads / config.numKvHeads;
}
