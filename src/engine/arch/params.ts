/**
 * Parameter tables as data: every tensor of a model, named exactly as transformers writes it into
 * model.safetensors, with its shape. One table drives loading and validation, LoRA injection,
 * storage layout and PEFT export.
 */
import type { ModelConfig } from './config.ts';

/** Linear-layer kinds that LoRA can target, named as PEFT's target_modules name them. */
export type LlamaLinearKind =
  'q_proj' | 'k_proj' | 'v_proj' | 'o_proj' | 'gate_proj' | 'up_proj' | 'down_proj';
export type Gpt2LinearKind = 'c_attn' | 'attn.c_proj' | 'c_fc' | 'mlp.c_proj';
export type LinearKind = LlamaLinearKind | Gpt2LinearKind;

export interface LinearInfo {
  /** Module path as PEFT addresses it, e.g. "model.layers.0.self_attn.q_proj". */
  module: string;
  kind: LinearKind;
  inFeatures: number;
  outFeatures: number;
  /** nn.Linear stores [out, in]; GPT-2's Conv1D stores [in, out]. */
  layout: 'out_in' | 'in_out';
}

export interface ParamSpec {
  name: string;
  shape: readonly number[];
  /** Transformer block index, or null for embeddings, final norm and head. */
  layer: number | null;
  linear?: LinearInfo;
}

export const GPT2_PREFIX = 'transformer.';

function linear(
  module: string,
  kind: LinearKind,
  inFeatures: number,
  outFeatures: number,
  layout: LinearInfo['layout'],
  layer: number,
): ParamSpec {
  const shape = layout === 'out_in' ? [outFeatures, inFeatures] : [inFeatures, outFeatures];
  return {
    name: `${module}.weight`,
    shape,
    layer,
    linear: { module, kind, inFeatures, outFeatures, layout },
  };
}

function gpt2Table(config: ModelConfig): ParamSpec[] {
  const C = config.hiddenSize;
  const F = config.intermediateSize;
  const p = GPT2_PREFIX;
  const table: ParamSpec[] = [
    { name: `${p}wte.weight`, shape: [config.vocabSize, C], layer: null },
    { name: `${p}wpe.weight`, shape: [config.maxPositions, C], layer: null },
  ];
  for (let i = 0; i < config.numLayers; i++) {
    const h = `${p}h.${i}`;
    table.push(
      { name: `${h}.ln_1.weight`, shape: [C], layer: i },
      { name: `${h}.ln_1.bias`, shape: [C], layer: i },
      linear(`${h}.attn.c_attn`, 'c_attn', C, 3 * C, 'in_out', i),
      { name: `${h}.attn.c_attn.bias`, shape: [3 * C], layer: i },
      linear(`${h}.attn.c_proj`, 'attn.c_proj', C, C, 'in_out', i),
      { name: `${h}.attn.c_proj.bias`, shape: [C], layer: i },
      { name: `${h}.ln_2.weight`, shape: [C], layer: i },
      { name: `${h}.ln_2.bias`, shape: [C], layer: i },
      linear(`${h}.mlp.c_fc`, 'c_fc', C, F, 'in_out', i),
      { name: `${h}.mlp.c_fc.bias`, shape: [F], layer: i },
      linear(`${h}.mlp.c_proj`, 'mlp.c_proj', F, C, 'in_out', i),
      { name: `${h}.mlp.c_proj.bias`, shape: [C], layer: i },
    );
  }
  table.push(
    { name: `${p}ln_f.weight`, shape: [C], layer: null },
    { name: `${p}ln_f.bias`, shape: [C], layer: null },
  );
  if (!config.tieWordEmbeddings)
    table.push({ name: 'lm_head.weight', shape: [config.vocabSize, C], layer: null });
  return table;
}

function llamaTable(config: ModelConfig): ParamSpec[] {
  const C = config.hiddenSize;
  const F = config.intermediateSize;
  const qDim = config.numHeads * config.headDim;
  const kvDim = config.numKvHeads * config.headDim;
  const table: ParamSpec[] = [
    { name: 'model.embed_tokens.weight', shape: [config.vocabSize, C], layer: null },
  ];
  for (let i = 0; i < config.numLayers; i++) {
    const l = `model.layers.${i}`;
    table.push(
      { name: `${l}.input_layernorm.weight`, shape: [C], layer: i },
      linear(`${l}.self_attn.q_proj`, 'q_proj', C, qDim, 'out_in', i),
      linear(`${l}.self_attn.k_proj`, 'k_proj', C, kvDim, 'out_in', i),
      linear(`${l}.self_attn.v_proj`, 'v_proj', C, kvDim, 'out_in', i),
      linear(`${l}.self_attn.o_proj`, 'o_proj', qDim, C, 'out_in', i),
      { name: `${l}.post_attention_layernorm.weight`, shape: [C], layer: i },
      linear(`${l}.mlp.gate_proj`, 'gate_proj', C, F, 'out_in', i),
      linear(`${l}.mlp.up_proj`, 'up_proj', C, F, 'out_in', i),
      linear(`${l}.mlp.down_proj`, 'down_proj', F, C, 'out_in', i),
    );
  }
  table.push({ name: 'model.norm.weight', shape: [C], layer: null });
  if (!config.tieWordEmbeddings)
    table.push({ name: 'lm_head.weight', shape: [config.vocabSize, C], layer: null });
  return table;
}

/** Every trainable tensor of the model, in a stable order (embeddings, blocks, final norm, head). */
export function parameterTable(config: ModelConfig): ParamSpec[] {
  return config.arch === 'gpt2' ? gpt2Table(config) : llamaTable(config);
}

export function parameterCount(config: ModelConfig): number {
  return parameterTable(config).reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1), 0);
}

/** Name of the token embedding, which a tied head reuses. */
export function embeddingName(config: ModelConfig): string {
  return config.arch === 'gpt2' ? `${GPT2_PREFIX}wte.weight` : 'model.embed_tokens.weight';
}

/** Name of the output projection [vocab, hidden]: lm_head.weight, or the embedding when tied. */
export function headName(config: ModelConfig): string {
  return config.tieWordEmbeddings ? embeddingName(config) : 'lm_head.weight';
}

/** Looks up one entry by name; throws if the table has no such tensor. */
export function paramSpec(table: readonly ParamSpec[], name: string): ParamSpec {
  const spec = table.find((s) => s.name === name);
  if (!spec) throw new Error(`parameter table has no tensor named "${name}"`);
  return spec;
}
