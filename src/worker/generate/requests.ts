/** The Generate area's entries in the worker protocol (merged into `Requests` in protocol.ts). */
import type {
  AdapterChoice,
  GeneratePayload,
  GenerateProgress,
  GenerateResult,
  HistoryItem,
  LoadedModel,
  LoadModelPayload,
  LoadProgress,
  Rating,
  ScorerChoice,
  StoredGenerateSettings,
} from './types.ts';

export interface GenerateRequests {
  /** Loads a model from IndexedDB, or from its folder on first use (then stores it), and prepares a decode session. */
  loadModel: { payload: LoadModelPayload; result: LoadedModel; progress: LoadProgress };
  /** Streams candidates token by token; cancelling stops within one token and still returns what was written. */
  generate: { payload: GeneratePayload; result: GenerateResult; progress: GenerateProgress };
  generationHistory: { payload: { limit: number }; result: HistoryItem[]; progress: never };
  /** Removes unrated outputs (rated ones are labeled data), or every output with `includeRated`. */
  clearGenerationHistory: {
    payload: { includeRated: boolean };
    result: { removed: number; kept: number };
    progress: never;
  };
  rateGeneration: {
    payload: { historyId: number; rating: Rating | null };
    result: HistoryItem;
    progress: never;
  };
  /** Rated outputs as a labeled dataset (thumbs up = funny). */
  exportRatings: {
    payload: { format: 'csv' | 'jsonl' };
    result: { fileName: string; text: string; rows: number };
    progress: never;
  };
  generateSettings: {
    payload: Record<string, never>;
    result: Partial<StoredGenerateSettings>;
    progress: never;
  };
  saveGenerateSettings: { payload: StoredGenerateSettings; result: StoredGenerateSettings; progress: never };
  /** Stored adapters trained on this base model. */
  listModelAdapters: { payload: { modelId: string }; result: AdapterChoice[]; progress: never };
  /** Scorers that can rank this model's candidates: built-in style codes, stored classifier adapters. */
  listScorers: { payload: { modelId: string }; result: ScorerChoice[]; progress: never };
}
