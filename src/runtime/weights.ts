import type { OrtTensor, Runtime, WeightPlacement } from './types.ts';

/**
 * Base weights are graph INPUTS bound once, not initializers baked into each graph.
 *
 * Why: an initializer belongs to its session. The decode session and the train-step session of one model
 * would each hold their own copy: on onnxruntime-node each session with a 16 MiB MatMul initializer added
 * 42 MiB RSS (1 session), 90 MiB (2), 154 MiB (4) — the proto bytes, ORT's tensor and MLAS's pre-packed
 * copy — while the same weight fed as an input added 26 MiB flat for 1, 2 or 4 sessions (measured
 * 2026-12-03, onnxruntime-node 1.30, 1 thread, W [2048, 2048]). On WebGPU each session uploads its
 * initializers to its own device buffers; an input created once with Tensor.fromGpuBuffer is bound by every
 * session without a copy (a CPU tensor fed as input would instead be uploaded on every run — so on the web,
 * weights must be 'gpu-buffer' tensors).
 *
 * Cost: MLAS cannot pre-pack a weight it only sees at run time. Decoding (one row per candidate) is unaffected
 * (X [1, 2048] · W: 0.7 ms either way), but multi-row MatMuls on the CPU are slower (X [16, 2048] · W:
 * 1.0 ms as initializer, 2.7 ms as input), which touches prompt prefill and CPU training in Node. WebGPU has no
 * pre-packing, so the browser loses nothing.
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
