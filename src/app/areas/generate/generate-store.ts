/** The Generate area's state and the only code in the area that calls the worker. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { CancelledError, WorkerError } from '../../../worker/errors.ts';
import type {
  AdapterChoice,
  Candidate,
  GenerateProgress,
  GenerateResult,
  HistoryItem,
  JokeControl,
  LoadedModel,
  LoadProgress,
  Rating,
  SafetyStrictness,
  SamplingSettings,
  ScorerChoice,
} from '../../../worker/generate/types.ts';
import type { WorkerClient } from '../../client/workerClient.ts';
import { effectiveLanguage, type LanguageChoice } from './language.ts';

export const DEFAULT_MODEL_ID = 'punchline-tiny';

export interface Controls {
  prompt: string;
  language: LanguageChoice;
  control: JokeControl;
  sampling: SamplingSettings;
  maxNewTokens: number;
  candidates: number;
  seed: number;
  adapterId: string | null;
  strictness: SafetyStrictness;
  /** Ranks finished candidates; null leaves them in the order they were sampled. */
  scorerId: string | null;
}

export const DEFAULT_CONTROLS: Controls = {
  prompt: '',
  language: 'auto',
  control: 'funny',
  sampling: { temperature: 0.8, topK: 50, topP: 0.95, repetitionPenalty: 1.1 },
  maxNewTokens: 60,
  candidates: 3,
  seed: 42,
  adapterId: null,
  strictness: 'standard',
  scorerId: null,
};

export type ModelState =
  | { status: 'idle' }
  | { status: 'loading'; progress: LoadProgress | null }
  | { status: 'ready'; info: LoadedModel }
  | { status: 'failed'; message: string };

export interface LiveCandidate {
  index: number;
  /** What the model has written so far (streamed), without the opening. */
  streamed: string;
  tokens: number;
  heldReasons: string[] | null;
  final: Candidate | null;
  revealed: boolean;
  rating: Rating | null;
}

export interface RunState {
  status: 'idle' | 'running' | 'finished' | 'stopped' | 'failed';
  prompt: string;
  candidates: LiveCandidate[];
  timeToFirstTokenMs: number | null;
  tokensPerSecond: number | null;
  backend: string | null;
  message: string | null;
  /** Tokens the UI had received when Stop was pressed, and how many arrived after it. */
  tokensAtStop: number | null;
  tokensAfterStop: number | null;
  ranking: GenerateResult['ranking'] | null;
}

export interface GenerateState {
  /** The model generating: the embedded default or an imported model stored by the Models picker. */
  modelId: string;
  model: ModelState;
  controls: Controls;
  run: RunState;
  history: HistoryItem[];
  adapters: AdapterChoice[];
  scorers: ScorerChoice[];
  notice: string | null;
  actions: {
    loadModel(refresh?: boolean): Promise<void>;
    selectModel(modelId: string): Promise<void>;
    setControls(patch: Partial<Controls>): void;
    setSampling(patch: Partial<SamplingSettings>): void;
    generate(): Promise<void>;
    stop(): void;
    reveal(index: number): void;
    rate(historyId: number, rating: Rating | null): Promise<void>;
    refreshHistory(): Promise<void>;
    refreshChoices(): Promise<void>;
    clearHistory(includeRated: boolean): Promise<void>;
    exportRatings(format: 'csv' | 'jsonl'): Promise<{ fileName: string; text: string; rows: number } | null>;
  };
}

export type GenerateStore = StoreApi<GenerateState>;

const idleRun: RunState = {
  status: 'idle',
  prompt: '',
  candidates: [],
  timeToFirstTokenMs: null,
  tokensPerSecond: null,
  backend: null,
  message: null,
  tokensAtStop: null,
  tokensAfterStop: null,
  ranking: null,
};

const describe = (error: unknown) =>
  error instanceof WorkerError || error instanceof Error ? error.message : 'Unknown error.';

const totalTokens = (candidates: readonly LiveCandidate[]) =>
  candidates.reduce((sum, c) => sum + c.tokens, 0);

function applyProgress(candidates: LiveCandidate[], progress: GenerateProgress): LiveCandidate[] {
  const next = [...candidates];
  for (const update of progress.updates) {
    const current = next[update.candidate];
    if (!current) continue;
    next[update.candidate] = {
      ...current,
      streamed: current.streamed + update.text,
      tokens: update.tokens,
      heldReasons: update.heldReasons ?? current.heldReasons,
    };
  }
  return next;
}

function applyResult(candidates: LiveCandidate[], result: GenerateResult): LiveCandidate[] {
  return result.candidates.map((final) => ({
    index: final.index,
    streamed: final.safety.ok ? final.continuation : (candidates[final.index]?.streamed ?? ''),
    tokens: final.tokens,
    heldReasons: final.safety.ok ? null : final.safety.reasons,
    final,
    revealed: false,
    rating: null,
  }));
}

/** Settings are saved this long after the last change, so typing a number does not write on every key. */
const SAVE_DELAY_MS = 400;

export function createGenerateStore(client: WorkerClient, folderUrl: string): GenerateStore {
  let control: AbortController | null = null;
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let scorersOffered = false;

  return createStore<GenerateState>()((set, get) => {
    const patchRun = (patch: Partial<RunState>) => set({ run: { ...get().run, ...patch } });

    const updateControls = (controls: Controls) => {
      set({ controls });
      if (saveTimer !== null) clearTimeout(saveTimer);
      saveTimer = setTimeout(() => {
        saveTimer = null;
        const {
          language,
          control: code,
          sampling,
          maxNewTokens,
          candidates,
          seed,
          strictness,
        } = get().controls;
        client
          .request('saveGenerateSettings', {
            language,
            control: code,
            sampling,
            maxNewTokens,
            candidates,
            seed,
            strictness,
          })
          .catch((error: unknown) => set({ notice: describe(error) }));
      }, SAVE_DELAY_MS);
    };

    const refreshHistory = async () => {
      try {
        set({ history: await client.request('generationHistory', { limit: 50 }) });
      } catch (error) {
        set({ notice: describe(error) });
      }
    };

    /** Adapters and scorers stored for the model; a choice whose adapter was deleted falls back. */
    const refreshChoices = async () => {
      try {
        const { modelId } = get();
        const adapters = await client.request('listModelAdapters', { modelId });
        const scorers = await client.request('listScorers', { modelId });
        const { adapterId, scorerId } = get().controls;
        const keptScorer = scorerId === null || scorers.some((s) => s.id === scorerId) ? scorerId : null;
        set({
          adapters,
          scorers,
          controls: {
            ...get().controls,
            adapterId: adapters.some((a) => a.id === adapterId) ? adapterId : null,
            // The first visit ranks with the first scorer on offer; "none" stays none once chosen.
            scorerId: scorersOffered ? keptScorer : (scorers[0]?.id ?? null),
          },
        });
        scorersOffered = true;
      } catch (error) {
        set({ notice: describe(error) });
      }
    };

    return {
      modelId: DEFAULT_MODEL_ID,
      model: { status: 'idle' },
      controls: DEFAULT_CONTROLS,
      run: idleRun,
      history: [],
      adapters: [],
      scorers: [],
      notice: null,
      actions: {
        async loadModel(refresh = false) {
          if (get().model.status === 'loading') return;
          set({ model: { status: 'loading', progress: null } });
          try {
            const stored = await client.request('generateSettings', {});
            set({ controls: { ...get().controls, ...stored } });
          } catch (error) {
            set({ notice: describe(error) });
          }
          try {
            const info = await client.request(
              'loadModel',
              {
                modelId: get().modelId,
                // Imported models load only from their stored copy.
                folderUrl: get().modelId === DEFAULT_MODEL_ID ? folderUrl : '',
                refresh,
              },
              { onProgress: (progress) => set({ model: { status: 'loading', progress } }) },
            );
            set({ model: { status: 'ready', info } });
          } catch (error) {
            set({ model: { status: 'failed', message: describe(error) } });
          }
          await refreshChoices();
          await refreshHistory();
        },
        async selectModel(modelId) {
          if (modelId === get().modelId || get().model.status === 'loading') return;
          set({ modelId, run: idleRun });
          await get().actions.loadModel();
        },
        setControls(patch) {
          updateControls({ ...get().controls, ...patch });
        },
        setSampling(patch) {
          const { controls } = get();
          updateControls({ ...controls, sampling: { ...controls.sampling, ...patch } });
        },
        async generate() {
          const { controls, model, run } = get();
          if (run.status === 'running' || model.status !== 'ready') return;
          control = new AbortController();
          const blank = (index: number): LiveCandidate => ({
            index,
            streamed: '',
            tokens: 0,
            heldReasons: null,
            final: null,
            revealed: false,
            rating: null,
          });
          set({
            notice: null,
            run: {
              ...idleRun,
              status: 'running',
              // An instruct model answers the prompt instead of continuing it: its jokes have no opening.
              prompt: model.info.card.prompting.continuesPrompt ? controls.prompt : '',
              candidates: Array.from({ length: controls.candidates }, (_, i) => blank(i)),
            },
          });
          try {
            const result = await client.request(
              'generate',
              {
                modelId: get().modelId,
                prompt: controls.prompt,
                language: effectiveLanguage(controls.prompt, controls.language),
                control: controls.control,
                sampling: controls.sampling,
                maxNewTokens: controls.maxNewTokens,
                candidates: controls.candidates,
                seed: controls.seed,
                adapterId: controls.adapterId,
                strictness: controls.strictness,
                scorerId: controls.scorerId,
              },
              {
                signal: control.signal,
                onProgress: (progress) =>
                  patchRun({
                    candidates: applyProgress(get().run.candidates, progress),
                    timeToFirstTokenMs: progress.timeToFirstTokenMs,
                  }),
              },
            );
            const { tokensAtStop } = get().run;
            const candidates = applyResult(get().run.candidates, result);
            patchRun({
              status: result.stopped ? 'stopped' : 'finished',
              candidates,
              timeToFirstTokenMs: result.timeToFirstTokenMs,
              tokensPerSecond: result.tokensPerSecond,
              backend: result.backend,
              ranking: result.ranking,
              tokensAfterStop: tokensAtStop === null ? null : totalTokens(candidates) - tokensAtStop,
            });
          } catch (error) {
            patchRun({
              status: error instanceof CancelledError ? 'stopped' : 'failed',
              message: error instanceof CancelledError ? null : describe(error),
            });
          } finally {
            control = null;
          }
          await refreshHistory();
        },
        stop() {
          if (!control) return;
          patchRun({ tokensAtStop: totalTokens(get().run.candidates) });
          control.abort();
        },
        reveal(index) {
          const candidates = get().run.candidates.map((c) =>
            c.index === index ? { ...c, revealed: true } : c,
          );
          patchRun({ candidates });
        },
        async rate(historyId, rating) {
          try {
            await client.request('rateGeneration', { historyId, rating });
            const candidates = get().run.candidates.map((c) =>
              c.final?.historyId === historyId ? { ...c, rating } : c,
            );
            patchRun({ candidates });
          } catch (error) {
            set({ notice: describe(error) });
          }
          await refreshHistory();
        },
        refreshHistory,
        refreshChoices,
        async clearHistory(includeRated) {
          try {
            await client.request('clearGenerationHistory', { includeRated });
          } catch (error) {
            set({ notice: describe(error) });
          }
          await refreshHistory();
        },
        async exportRatings(format) {
          try {
            return await client.request('exportRatings', { format });
          } catch (error) {
            set({ notice: describe(error) });
            return null;
          }
        },
      },
    };
  });
}
