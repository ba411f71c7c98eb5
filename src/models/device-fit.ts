/**
 * Whether a model's weights fit the device before anything is uploaded: every tensor must fit one WebGPU
 * buffer binding (maxStorageBufferBindingSize, maxBufferSize), and the whole model the memory budget
 * (WASM: a 32-bit heap of 4 GiB shared with activations and the KV cache). The answer names the tensor and
 * the limit and says what to do, instead of a device-lost error halfway through a load.
 */
import type { ModelConfig } from '../engine/arch/config.ts';
import { parameterTable } from '../engine/arch/params.ts';
import { kBlocksOf, type QuantBits, type ZeroPointType } from './block-quant.ts';

export interface DeviceLimits {
  backend: 'webgpu' | 'wasm' | 'cpu';
  /** WebGPU adapter limits (from the backend probe); absent on WASM/CPU. */
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
  /** Bytes the weights may take in all; default 4 GiB on WASM (its heap), unlimited otherwise. */
  memoryBudget?: number;
}

export interface WeightPlan {
  /** Bytes of every weight as it would be held (float32, or quantised projections). */
  totalBytes: number;
  largest: { name: string; bytes: number };
  /** Empty when the model fits; otherwise one sentence per problem. */
  problems: string[];
}

const WASM_HEAP = 4 * 2 ** 30;
// The WASM heap also holds activations, the KV cache and ORT itself: leave a quarter for them.
const WASM_WEIGHT_SHARE = 0.75;

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

type QuantLayout = { bits: QuantBits; blockSize: number; zeroPoints?: ZeroPointType };

function heldBytes(shape: readonly number[], quant: QuantLayout | undefined): number {
  const count = shape.reduce((a, b) => a * b, 1);
  if (quant === undefined || shape.length !== 2) return 4 * count;
  const [N, K] = shape as [number, number];
  const blocks = N * kBlocksOf(K, quant.blockSize);
  const zeroPoints = quant.zeroPoints === 'float' ? 4 * blocks : Math.ceil((blocks * quant.bits) / 8);
  return (blocks * quant.blockSize * quant.bits) / 8 + 4 * blocks + zeroPoints;
}

export function planWeights(config: ModelConfig, limits: DeviceLimits, quant?: QuantLayout): WeightPlan {
  let totalBytes = 0;
  let largest = { name: '', bytes: 0 };
  const problems: string[] = [];
  const bindLimit = Math.min(
    limits.maxStorageBufferBindingSize ?? Infinity,
    limits.maxBufferSize ?? Infinity,
  );
  for (const spec of parameterTable(config)) {
    // The embedding is gathered from float32 even when the projections are quantised.
    const isEmbedding = spec.name.includes('embed_tokens') || spec.name.includes('wte');
    const bytes = heldBytes(spec.shape, isEmbedding ? undefined : quant);
    totalBytes += bytes;
    if (bytes > largest.bytes) largest = { name: spec.name, bytes };
    if (limits.backend === 'webgpu' && bytes > bindLimit)
      problems.push(
        `${spec.name} [${spec.shape.join(', ')}] needs ${mib(bytes)} in one GPU buffer, but this GPU binds at most ` +
          `${mib(bindLimit)} (maxStorageBufferBindingSize / maxBufferSize); use the WASM backend or a smaller model.`,
      );
  }
  const budget =
    limits.memoryBudget ?? (limits.backend === 'wasm' ? WASM_HEAP * WASM_WEIGHT_SHARE : Infinity);
  if (totalBytes > budget)
    problems.push(
      `the weights need ${mib(totalBytes)}${quant ? ` at ${quant.bits} bits` : ' as float32'}, more than the ` +
        `${mib(budget)} this ${limits.backend} device can give them; ` +
        (quant?.bits === 4
          ? 'choose a smaller model.'
          : 'load it with 4-bit weights or choose a smaller model.'),
    );
  return { totalBytes, largest, problems };
}
