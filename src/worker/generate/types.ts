/**
 * What the Generate area and the worker exchange: payloads, progress events and results of the generate
 * requests in protocol.ts. Plain data only (it crosses postMessage).
 */
import type { SafetyStrictness } from '../../data/audit/safety.ts';
import type { SamplingSettings } from '../../runtime/sampling.ts';

export type { SafetyStrictness, SamplingSettings };

export type JokeLanguage = 'en' | 'zh';
export type JokeControl = 'funny' | 'notFunny';

export interface LoadModelPayload {
  modelId: string;
  /** Absolute URL of the bundled model folder, ending in '/'; read only when the model is not stored yet. */
  folderUrl: string;
  /** Read the folder again and replace the stored copy. */
  refresh?: boolean;
}

export type LoadPhase = 'download' | 'store' | 'read' | 'prepare';

export interface LoadProgress {
  phase: LoadPhase;
  /** The file being read, when the phase reads files. */
  file: string | null;
  loadedBytes: number;
  /** null while the size is not known yet (a response without Content-Length). */
  totalBytes: number | null;
}

export interface ModelCard {
  id: string;
  name: string;
  architecture: string;
  parameters: number;
  /** Sum of the stored files, bytes. */
  sizeBytes: number;
  files: { name: string; bytes: number; sha256: string }[];
  languages: string[];
  license: string | null;
  contextLength: number;
  vocabSize: number;
  layers: number;
  hiddenSize: number;
  /** The folder's README.md (the model card text), or null when the folder has none. */
  readme: string | null;
}

export interface LoadedModel {
  card: ModelCard;
  /** 'network' on the first load (and a refresh); 'storage' when every file came from IndexedDB. */
  source: 'network' | 'storage';
  /** The backend the decode session runs on, in words, e.g. "WebGPU: google swiftshader". */
  backend: string;
  executionProvider: 'webgpu' | 'wasm' | 'cpu';
  loadMs: number;
  /** Set when the files could not be stored for offline use (e.g. the storage quota is full). */
  storeError: string | null;
}

export interface GeneratePayload {
  modelId: string;
  /** The opening of the joke; the model continues it. May be empty. */
  prompt: string;
  language: JokeLanguage;
  control: JokeControl;
  sampling: SamplingSettings;
  maxNewTokens: number;
  /** 1–8; candidates run as one batch. */
  candidates: number;
  seed: number;
  /** Stored adapter id, or null for the base model. */
  adapterId: string | null;
  strictness: SafetyStrictness;
}

export interface CandidateUpdate {
  candidate: number;
  /** New complete characters since the last event; '' while the candidate is held back. */
  text: string;
  tokens: number;
  /** Set once the text so far fails the safety check: from then on its text is not streamed. */
  heldReasons?: string[];
}

export interface GenerateProgress {
  step: number;
  elapsedMs: number;
  timeToFirstTokenMs: number | null;
  updates: CandidateUpdate[];
}

export type CandidateFinish = 'eos' | 'length' | 'stopped';

export interface Candidate {
  index: number;
  /** The whole joke: the opening and what the model wrote. */
  text: string;
  continuation: string;
  tokens: number;
  /** From the start of the request until this candidate finished. */
  ms: number;
  finish: CandidateFinish;
  safety: { ok: boolean; reasons: string[] };
  /** The history record this output was stored as. */
  historyId: number;
}

export interface GenerateResult {
  candidates: Candidate[];
  timeToFirstTokenMs: number | null;
  /** Decode rate after the prompt step, all candidates together. */
  tokensPerSecond: number | null;
  totalMs: number;
  backend: string;
  stopped: boolean;
}

export type Rating = 'up' | 'down';

/** One stored output, as the history list shows it. */
export interface HistoryItem {
  id: number;
  createdAt: number;
  modelId: string;
  adapterId: string | null;
  prompt: string;
  output: string;
  language: JokeLanguage | null;
  seed: number | null;
  candidate: number | null;
  safety: { ok: boolean; reasons: string[] } | null;
  rating: Rating | null;
}

export interface AdapterChoice {
  id: string;
  name: string;
}

/** The controls that persist between visits (not the prompt, not the adapter). */
export interface StoredGenerateSettings {
  language: 'auto' | JokeLanguage;
  control: JokeControl;
  sampling: SamplingSettings;
  maxNewTokens: number;
  candidates: number;
  seed: number;
  strictness: SafetyStrictness;
}
