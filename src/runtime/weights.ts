import type { OrtTensor, Runtime, WeightPlacement } from './types.ts';

/**
 * Base weights are graph INPUTS bound once, not initializers baked into each graph.
 *
 * Why: an initializer belongs to its session, so the decode and train-step sessions of one model would each
 * hold a copy. Measured 2026-12-03 on onnxruntime-node 1.30 (1 thread) with the engine's own graphs for a
 * 7.95M-parameter Llama (30 MiB fp32; decode + LoRA train step, one run each): the two sessions added
 * 133 MiB RSS with initializers and 77 MiB with inputs (peak RSS 402 vs 249 MiB); decoding one token took
 * 6.1 vs 6.3 ms, a 32-token prefill 17.8 vs 10.4 ms, a 2×64-token train step 139 vs 120 ms — inputs cost no
 * speed. A lone MatMul shows the per-session cost alone: a 16 MiB weight as initializer added 42/90/154 MiB
 * for 1/2/4 sessions (proto bytes, ORT's tensor, MLAS's pre-packed copy), as input 26 MiB flat.
 * On WebGPU each session uploads its initializers to its own device buffers; an input made once with
 * Tensor.fromGpuBuffer is bound by every session without a copy. A CPU tensor fed as input would be
 * uploaded on every run instead, so in the browser weights must be 'gpu-buffer' tensors.
 */
export async function bindWeights(
  runtime: Runtime,
  weights: Readonly<Record<string, { data: Float32Array; dims: readonly number[] }>>,
  placement: WeightPlacement,
): Promise<Record<string, OrtTensor>> {
  const bound: Record<string, OrtTensor> = {};
  try {
    for (const [name, { data, dims }] of Object.entries(weights))
      bound[name] = await runtime.weightTensor(data, dims, placement);
  } catch (error) {
    releaseWeights(bound);
    throw error;
  }
  return bound;
}

/** Frees device copies made by bindWeights (a no-op for CPU tensors). */
export function releaseWeights(bound: Readonly<Record<string, OrtTensor>>): void {
  for (const tensor of Object.values(bound)) if (tensor.location === 'gpu-buffer') tensor.dispose();
}
