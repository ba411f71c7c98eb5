/**
 * Seeded random initialisation of a whole model, GPT-2 style: normal(0, 0.02) for matrices,
 * residual output projections scaled by 1/sqrt(2 * layers), norm gains 1, biases 0.
 */
import type { ModelConfig } from './config.ts';
import type { LoraSpec } from './lora.ts';
import { parameterTable } from './params.ts';

/** mulberry32: small, fast, deterministic. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Box–Muller over a seeded uniform source. */
export function seededNormal(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

const RESIDUAL_OUTPUTS = ['attn.c_proj.weight', 'mlp.c_proj.weight', 'o_proj.weight', 'down_proj.weight'];

export function initParameters(config: ModelConfig, seed: number, std = 0.02): Map<string, Float32Array> {
  const normal = seededNormal(seed);
  const weights = new Map<string, Float32Array>();
  const residualStd = std / Math.sqrt(2 * config.numLayers);
  for (const spec of parameterTable(config)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (spec.shape.length === 1) {
      if (spec.name.endsWith('.weight')) data.fill(1);
    } else {
      const s = RESIDUAL_OUTPUTS.some((suffix) => spec.name.endsWith(suffix)) ? residualStd : std;
      for (let i = 0; i < size; i++) data[i] = normal() * s;
    }
    weights.set(spec.name, data);
  }
  return weights;
}

/**
 * Fresh adapters as PEFT initialises them: lora_A ~ U(-1/sqrt(in), 1/sqrt(in)) (kaiming-uniform with
 * a = sqrt(5)), lora_B = 0, so the adapted model starts equal to the base model.
 */
export function initLora(specs: readonly LoraSpec[], seed: number): Map<string, Float32Array> {
  const uniform = seededUniform(seed);
  const tensors = new Map<string, Float32Array>();
  for (const spec of specs) {
    const bound = 1 / Math.sqrt(spec.inFeatures);
    const a = Float32Array.from(
      { length: spec.aShape[0] * spec.aShape[1] },
      () => (2 * uniform() - 1) * bound,
    );
    tensors.set(spec.aName, a);
    tensors.set(spec.bName, new Float32Array(spec.bShape[0] * spec.bShape[1]));
  }
  return tensors;
}
