import type { DatasetRow } from '../data/types.ts';

/** One file of a stored model (config.json, tokenizer.json, model.safetensors, ...), split into content-addressed chunks. */
export interface ModelFileEntry {
  name: string;
  bytes: number;
  /** SHA-256 of the whole file, lowercase hex. */
  sha256: string;
  /** Chunk hashes in file order; each names a record in the modelChunks store. */
  chunks: string[];
}

/** Written in the same transaction as its chunks, so a manifest only exists for a fully stored model. */
export interface ModelManifest {
  id: string;
  name: string;
  /** Where the weights came from: 'bundled', a URL, or a local file name. */
  source: string;
  createdAt: number;
  totalBytes: number;
  files: ModelFileEntry[];
}

export interface ModelChunk {
  sha256: string;
  bytes: ArrayBuffer;
}

/** What changed between a dataset version and its parent; the first version of a lineage is an import. */
export type DatasetChange =
  | { kind: 'import'; fileName: string }
  | {
      kind: 'fix';
      summary: string;
      removedRowIds: number[];
      relabeled: { rowId: number; label: string | null }[];
    };

/** Datasets are immutable: every fix writes a new version that points at its parent. */
export interface DatasetVersion {
  id: string;
  name: string;
  parentId: string | null;
  createdAt: number;
  change: DatasetChange;
  rows: DatasetRow[];
}

export interface AdapterRecord {
  id: string;
  name: string;
  baseModelId: string;
  createdAt: number;
  rank: number;
  alpha: number;
  targetModules: string[];
  /** The adapter as PEFT safetensors bytes (adapter_model.safetensors). */
  weights: ArrayBuffer;
  /** adapter_config.json as PEFT writes it. */
  config: Record<string, unknown>;
  /** punchline.json (lineage: base model hash, dataset version, hyperparameters, metrics), when known. */
  meta?: Record<string, unknown>;
}

export type RunStatus = 'running' | 'paused' | 'finished' | 'failed' | 'cancelled';

export interface RunRecord {
  id: string;
  modelId: string;
  datasetId: string;
  adapterId: string | null;
  createdAt: number;
  status: RunStatus;
  /** Hyper-parameters as the trainer received them. */
  config: Record<string, number | string | boolean>;
  losses: { step: number; loss: number }[];
}

export interface CheckpointRecord {
  runId: string;
  step: number;
  createdAt: number;
  /** Trainable tensors and optimizer state, serialized by the trainer. */
  state: ArrayBuffer;
}

export interface HistoryEntry {
  id?: number;
  createdAt: number;
  modelId: string;
  adapterId: string | null;
  prompt: string;
  output: string;
}

export type BackendPreference = 'auto' | 'wasm';

export interface Settings {
  backendPreference: BackendPreference;
}

export const defaultSettings: Settings = { backendPreference: 'auto' };
