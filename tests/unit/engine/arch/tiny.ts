/** Tiny random models and helpers for the engine's architecture tests. */
import { parseModelConfig, type ModelConfig } from '../../../../src/engine/arch/config.ts';
import { seededNormal } from '../../../../src/engine/arch/init.ts';
import { parameterTable } from '../../../../src/engine/arch/params.ts';
import { evaluate } from '../../../../src/engine/interpreter/evaluate.ts';
import { ndarray, type NdArray } from '../../../../src/engine/interpreter/ndarray.ts';
import type { Graph } from '../../../../src/engine/builder.ts';

export const VOCAB = 23;

export function tinyGpt2(): ModelConfig {
  return parseModelConfig({
    model_type: 'gpt2',
    vocab_size: VOCAB,
    n_embd: 8,
    n_layer: 2,
    n_head: 2,
    n_positions: 16,
  });
}

export function tinyLlama(options: { kvHeads: number; tied: boolean }): ModelConfig {
  return parseModelConfig({
    model_type: 'llama',
    vocab_size: VOCAB,
    hidden_size: 8,
    intermediate_size: 12,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: options.kvHeads,
    max_position_embeddings: 16,
    rms_norm_eps: 1e-5,
    tie_word_embeddings: options.tied,
  });
}

export const TINY_MODELS: [string, ModelConfig][] = [
  ['gpt2', tinyGpt2()],
  ['llama-gqa-tied', tinyLlama({ kvHeads: 2, tied: true })],
  ['llama-mha-untied', tinyLlama({ kvHeads: 4, tied: false })],
];

/** Every weight random and O(0.3), norm gains around 1, so that every term of the model matters. */
export function randomWeights(config: ModelConfig, seed: number): Map<string, Float32Array> {
  const normal = seededNormal(seed);
  const weights = new Map<string, Float32Array>();
  for (const spec of parameterTable(config)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const gain = spec.shape.length === 1 && spec.name.endsWith('.weight');
    weights.set(
      spec.name,
      Float32Array.from({ length: size }, () => (gain ? 1 + 0.1 * normal() : 0.3 * normal())),
    );
  }
  return weights;
}

export function randomArray(shape: readonly number[], seed: number, scale = 0.3): Float32Array {
  const normal = seededNormal(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * normal());
}

/** Evaluates named outputs of a graph in float64. */
export function run(
  g: Graph,
  feeds: Record<string, NdArray>,
  names: readonly string[],
): Map<string, NdArray> {
  const tensors = names.map((name) => {
    const out = g.outputs.find((o) => o.name === name);
    if (!out) throw new Error(`graph has no output "${name}"`);
    return out.tensor;
  });
  const values = evaluate(g, feeds, tensors);
  return new Map(names.map((name, i) => [name, values[i] as NdArray]));
}

export const f32 = (shape: readonly number[], data: ArrayLike<number>): NdArray =>
  ndarray('float32', shape, data);
export const i32 = (shape: readonly number[], data: ArrayLike<number>): NdArray =>
  ndarray('int32', shape, data);

/** max |a - b| / max |b| */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  return diff / scale;
}
