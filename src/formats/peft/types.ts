/** The in-memory form of a LoRA adapter, and the file names of the PEFT format. */

export const ADAPTER_CONFIG_FILE = 'adapter_config.json';
export const ADAPTER_WEIGHTS_FILE = 'adapter_model.safetensors';
export const PUNCHLINE_META_FILE = 'punchline.json';
export const README_FILE = 'README.md';

/** Name of the sequence-classification head in the engine (transformers' *ForSequenceClassification). */
export const HEAD_NAME = 'score.weight';

export type TaskType = 'CAUSAL_LM' | 'SEQ_CLS';

export interface AdapterConfig {
  taskType: TaskType;
  rank: number;
  alpha: number;
  dropout: number;
  /** PEFT target_modules: module names matched by suffix (e.g. "q_proj"), as the engine's LoRA table takes them. */
  targetModules: string[];
  baseModelNameOrPath: string | null;
  /** True for GPT-2, whose Conv1D stores weights [in, out]; PEFT's lora_A/lora_B shapes are the same either way. */
  fanInFanOut: boolean;
}

export interface AdapterTensor {
  shape: number[];
  data: Float32Array;
}

/** Our own metadata, saved as punchline.json next to the PEFT files. */
export interface PunchlineMeta {
  format: 'punchline-adapter';
  version: 1;
  name: string;
  createdAt: string;
  baseModel: { name: string; contentHash: string; arch: string };
  dataset: { version: string; auditSummary: Record<string, unknown> } | null;
  hyperparameters: Record<string, number | string | boolean>;
  metrics: Record<string, number>;
  /** Class labels of a classifier head, in index order. */
  labels: string[];
  /** Control codes the adapter was trained with (e.g. "<|funny|>"). */
  controlCodes: string[];
}

export interface PeftAdapter {
  config: AdapterConfig;
  /**
   * LoRA tensors under PEFT's names, which the engine's LoRA table uses too
   * ("base_model.model.<module>.lora_A.weight" [r, in], "....lora_B.weight" [out, r]); a classifier head
   * under the engine's name "score.weight" [numLabels, hidden].
   */
  tensors: Map<string, AdapterTensor>;
  meta: PunchlineMeta | null;
}
