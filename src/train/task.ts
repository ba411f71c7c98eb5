/** What the trainer loop needs from a task (generator or classifier), independent of how it computes it. */
import type { ModelConfig } from '../engine/arch/config.ts';
import type { LoraConfig, LoraSpec } from '../engine/arch/lora.ts';
import type { ModelSession, OrtTensor, Runtime, SessionConfig } from '../runtime/types.ts';
import type { ClassifierMetrics } from './metrics.ts';
import type { DataPosition } from './packing.ts';

export interface StepResult {
  loss: number;
  grads: Record<string, Float32Array>;
  /** Tokens read by this micro-batch (the throughput figure). */
  tokens: number;
  next: DataPosition;
}

export interface Evaluation {
  loss: number;
  /** Tokens or rows scored. */
  count: number;
  metrics: ClassifierMetrics | null;
}

export interface TaskRunner {
  /** Trainable tensor names (LoRA, then a classifier head) with their shapes. */
  shapes: Map<string, number[]>;
  specs: LoraSpec[];
  /** Micro-batches (before accumulation) in one pass over the training split. */
  batchesPerEpoch: number;
  /** `uniform` draws the dropout masks, when dropout > 0. */
  step(params: Record<string, Float32Array>, from: DataPosition, uniform: () => number): Promise<StepResult>;
  evaluate(params: Record<string, Float32Array>): Promise<Evaluation>;
  dispose(): Promise<void>;
}

export interface TaskContext {
  runtime: Runtime;
  config: ModelConfig;
  /** Base weights bound once (see runtime/weights.ts), fed to every session. */
  base: Readonly<Record<string, OrtTensor>>;
  lora: LoraConfig;
  session: SessionConfig;
}

export function feedParams(
  runtime: Runtime,
  shapes: Map<string, number[]>,
  params: Record<string, Float32Array>,
): Record<string, OrtTensor> {
  const feeds: Record<string, OrtTensor> = {};
  for (const [name, shape] of shapes)
    feeds[name] = runtime.tensors.float32(params[name] as Float32Array, shape);
  return feeds;
}

export async function createTaskSession(
  context: TaskContext,
  model: Uint8Array,
  label: string,
): Promise<ModelSession> {
  return context.runtime.createSession(model, { ...context.session, label });
}
