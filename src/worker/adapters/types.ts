/** Shapes the Adapters library exchanges between the UI and the worker. */
import type { SamplingSettings } from '../../runtime/sampling.ts';
import type { TrainConfig } from '../../train/config.ts';

export interface AdapterSummary {
  id: string;
  name: string;
  baseModelId: string;
  createdAt: number;
  taskType: 'CAUSAL_LM' | 'SEQ_CLS';
  rank: number;
  alpha: number;
  targetModules: string[];
  /** Bytes of adapter_model.safetensors. */
  bytes: number;
}

export interface AdapterDetails extends AdapterSummary {
  /** Lineage and results from punchline.json; null when the adapter came from elsewhere without one. */
  lineage: {
    baseModelName: string;
    baseModelHash: string;
    datasetVersion: string | null;
    hyperparameters: Record<string, number | string | boolean>;
    metrics: Record<string, number>;
    controlCodes: string[];
    labels: string[];
  } | null;
  /** Tensor names and shapes in the adapter. */
  tensors: { name: string; shape: number[] }[];
}

export type AdapterImportSource =
  | { kind: 'zip'; fileName: string; bytes: ArrayBuffer }
  | { kind: 'files'; config: ArrayBuffer; weights: ArrayBuffer; meta?: ArrayBuffer };

export interface DownloadFile {
  fileName: string;
  mimeType: string;
  bytes: ArrayBuffer;
}

export interface HandoffPayload {
  modelId: string;
  datasetVersionId: string;
  settings: Partial<TrainConfig>;
  jobName: string;
}

export interface ComparePayload {
  modelId: string;
  /** null: the base model without an adapter. */
  adapterA: string | null;
  adapterB: string | null;
  prompts: string[];
  language: 'en' | 'zh';
  control: 'funny' | 'not_funny';
  seed: number;
  maxNewTokens: number;
  sampling: SamplingSettings;
}

export interface CompareRow {
  prompt: string;
  a: string;
  b: string;
}

export interface CompareResult {
  rows: CompareRow[];
  backend: string;
}

export interface AdapterRequests {
  listAdapters: { payload: { modelId: string | null }; result: AdapterSummary[]; progress: never };
  adapterDetails: { payload: { id: string }; result: AdapterDetails; progress: never };
  renameAdapter: { payload: { id: string; name: string }; result: AdapterSummary; progress: never };
  deleteAdapter: { payload: { id: string }; result: { id: string }; progress: never };
  /** PEFT zip (adapter_config.json, adapter_model.safetensors, punchline.json, README.md); bytes transferred. */
  exportAdapter: { payload: { id: string }; result: DownloadFile; progress: never };
  /** Validated against the stored base model before anything is written. */
  importAdapter: {
    payload: { modelId: string; name: string | null; source: AdapterImportSource };
    result: AdapterSummary;
    progress: never;
  };
  /** The base with the adapter folded in, as a zip of a Hugging Face model folder. */
  exportMergedModel: { payload: { id: string }; result: DownloadFile; progress: never };
  /** "Continue on a GPU cluster" bundle for a dataset version and LoRA settings. */
  exportGpuHandoff: { payload: HandoffPayload; result: DownloadFile; progress: never };
  /** The same prompts and seed through A and B; one progress event per finished prompt and side. */
  compareAdapters: {
    payload: ComparePayload;
    result: CompareResult;
    progress: { done: number; total: number };
  };
}
