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
  /**
   * Absolute URL of the bundled model folder, ending in '/'; read only when the model is not stored yet.
   * '' for an imported model, which loads only from its stored copy.
   */
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
  prompting: PromptingInfo;
}

/** How the model is prompted, and so which Generate controls change what it writes. */
export interface PromptingInfo {
  /**
   * 'control-codes': `<|lang|><|control|>opening` (our own models); 'chat-template': the model's chat template
   * around a request for a short joke (imported instruct models); 'plain-text': the opening as it is (imported
   * base models).
   */
  kind: 'control-codes' | 'chat-template' | 'plain-text';
  /** The Style control (funny / not funny) applies. */
  style: boolean;
  /** The Language control applies. */
  language: boolean;
  /** The output continues the prompt (the prompt is the joke's opening); false when the model answers it. */
  continuesPrompt: boolean;
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
  /** Ranks the finished candidates: 'style-codes' (built into our own models) or a classifier adapter's id. */
  scorerId?: string | null;
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
  /** Set when a scorer ran; candidates come back ranked by it (best first). */
  score?: CandidateScore;
}

export interface CandidateScore {
  /** Probability of `label` under the scorer, 0–1. */
  probability: number;
  /** log(p / (1 - p)); for the style-code scorer, the log-likelihood ratio funny vs not funny. */
  logOdds: number;
  label: string;
  /** The scorer's id: 'style-codes' or the classifier adapter's id. */
  scorer: string;
}

export interface ScorerChoice {
  id: string;
  name: string;
  kind: 'style-codes' | 'classifier';
  /** What the score is the probability of, e.g. "funny". */
  label: string;
}

export interface GenerateResult {
  candidates: Candidate[];
  timeToFirstTokenMs: number | null;
  /** Decode rate after the prompt step, all candidates together. */
  tokensPerSecond: number | null;
  totalMs: number;
  backend: string;
  stopped: boolean;
  /** The scorer's name when candidates were ranked, or why they were not (e.g. the scorer failed). */
  ranking: { scorer: string | null; note: string | null };
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
