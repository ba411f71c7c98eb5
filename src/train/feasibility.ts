/**
 * Up-front check that a training configuration fits the device: an estimate of the train-step graph's
 * memory and of its largest single buffer, compared with the WebGPU adapter limits (maxBufferSize,
 * maxStorageBufferBindingSize) and a memory budget. A refusal says why and what to change.
 */
import type { ModelConfig } from '../engine/arch/config.ts';
import { parameterCount } from '../engine/arch/params.ts';
import type { TrainConfig } from './config.ts';

export interface DeviceLimits {
  /** WebGPU adapter limits; null on WASM / CPU. */
  maxBufferSize: number | null;
  maxStorageBufferBindingSize: number | null;
  /** Memory the training may use in all (WASM: the 4 GiB wasm32 heap; GPU: what the caller allows). */
  memoryBudget: number;
}

export interface MemoryEstimate {
  weightBytes: number;
  activationBytes: number;
  logitBytes: number;
  totalBytes: number;
  /** The biggest single tensor of the step (logits, attention scores or an MLP activation). */
  largestBufferBytes: number;
  largestBufferName: string;
}

export interface Feasibility {
  ok: boolean;
  estimate: MemoryEstimate;
  /** Why it does not fit, and what to change; null when it fits. */
  reason: string | null;
  suggestion: string | null;
}

const F32 = 4;
export const WASM_MEMORY_BUDGET = 4 * 1024 ** 3;

/**
 * Activations kept for the backward pass ∝ batch × seq × (hidden, intermediate) × layers, attention
 * scores batch × heads × seq², and logits batch × seq × vocab (logits, probabilities and their gradient).
 */
export function estimateTrainMemory(
  model: ModelConfig,
  config: Pick<TrainConfig, 'task' | 'batchSize' | 'maxSeqLength' | 'rank'>,
): MemoryEstimate {
  const B = config.batchSize;
  const T = Math.min(config.maxSeqLength, model.maxPositions);
  const N = B * T;
  const C = model.hiddenSize;
  const I = model.intermediateSize;
  const H = model.numHeads;
  const perLayer = N * (12 * C + 4 * I) * F32 + 3 * B * H * T * T * F32;
  const activationBytes = perLayer * model.numLayers;
  const logitBytes = config.task === 'generator' ? 3 * N * model.vocabSize * F32 : 0;
  const weightBytes = parameterCount(model) * F32;
  const buffers: [string, number][] = [
    ['logits (batch × seq × vocab)', config.task === 'generator' ? N * model.vocabSize * F32 : 0],
    ['attention scores (batch × heads × seq²)', B * H * T * T * F32],
    ['MLP activation (batch × seq × intermediate)', N * I * F32],
    ['token embedding (vocab × hidden)', model.vocabSize * C * F32],
  ];
  const [largestBufferName, largestBufferBytes] = buffers.reduce((a, b) => (b[1] > a[1] ? b : a));
  return {
    weightBytes,
    activationBytes,
    logitBytes,
    totalBytes: weightBytes + activationBytes + logitBytes,
    largestBufferBytes,
    largestBufferName,
  };
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

function fits(estimate: MemoryEstimate, limits: DeviceLimits): string | null {
  const bufferLimit = Math.min(
    limits.maxBufferSize ?? Infinity,
    limits.maxStorageBufferBindingSize ?? Infinity,
  );
  if (estimate.largestBufferBytes > bufferLimit)
    return `the ${estimate.largestBufferName} needs ${mib(estimate.largestBufferBytes)} in one buffer; this WebGPU adapter allows ${mib(bufferLimit)} (maxBufferSize / maxStorageBufferBindingSize)`;
  if (estimate.totalBytes > limits.memoryBudget)
    return `the train step needs about ${mib(estimate.totalBytes)}; the budget is ${mib(limits.memoryBudget)}`;
  return null;
}

export function checkFeasibility(
  model: ModelConfig,
  config: Pick<TrainConfig, 'task' | 'batchSize' | 'maxSeqLength' | 'rank' | 'gradientAccumulation'>,
  limits: DeviceLimits,
): Feasibility {
  const estimate = estimateTrainMemory(model, config);
  const reason = fits(estimate, limits);
  if (reason === null) return { ok: true, estimate, reason: null, suggestion: null };
  let suggestion = '';
  for (let batch = config.batchSize - 1; batch >= 1; batch--) {
    if (fits(estimateTrainMemory(model, { ...config, batchSize: batch }), limits) === null) {
      const accumulation = Math.ceil((config.batchSize * config.gradientAccumulation) / batch);
      suggestion = `use batch size ${batch} with gradient accumulation ${accumulation} (same effective batch)`;
      break;
    }
  }
  if (suggestion === '') {
    for (let seq = Math.floor(config.maxSeqLength / 2); seq >= 8; seq = Math.floor(seq / 2)) {
      if (fits(estimateTrainMemory(model, { ...config, batchSize: 1, maxSeqLength: seq }), limits) === null) {
        suggestion = `use batch size 1 with max sequence length ${seq}, and gradient accumulation for a bigger effective batch`;
        break;
      }
    }
  }
  return {
    ok: false,
    estimate,
    reason,
    suggestion:
      suggestion === '' ? 'this model is too large for this device; pick a smaller model' : suggestion,
  };
}
