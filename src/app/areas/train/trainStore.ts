/** The Train area's state and the only code in the area that calls the worker. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { CancelledError, WorkerError } from '../../../worker/errors.ts';
import type { CompareResult } from '../../../worker/adapters/types.ts';
import type { DatasetVersionSummary } from '../../../worker/data/requests.ts';
import type {
  TrainEstimate,
  TrainEvent,
  TrainSummary,
  UnfinishedRun,
} from '../../../worker/train/requests.ts';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../../worker/train/settings.ts';
import type { WorkerClient } from '../../client/workerClient.ts';

export const TRAIN_MODEL_ID = 'punchline-tiny';

export type RunPhase = 'idle' | 'starting' | 'running' | 'paused' | 'finished' | 'cancelled' | 'failed';

export interface TrainState {
  versions: DatasetVersionSummary[];
  versionId: string | null;
  config: TrainConfig;
  estimate: TrainEstimate | null;
  estimating: boolean;
  phase: RunPhase;
  runId: string | null;
  progress: TrainEvent | null;
  losses: { step: number; loss: number }[];
  validation: { step: number; loss: number }[];
  summary: TrainSummary | null;
  unfinished: UnfinishedRun[];
  samples: CompareResult | null;
  notice: string | null;
  actions: {
    refresh(): Promise<void>;
    chooseVersion(id: string): void;
    setConfig(patch: Partial<TrainConfig>): void;
    estimate(): Promise<void>;
    start(resumeRunId?: string): Promise<void>;
    pause(): Promise<void>;
    resume(): Promise<void>;
    cancel(): void;
    compareSamples(prompts: string[]): Promise<void>;
  };
}

export type TrainStore = StoreApi<TrainState>;

function describe(error: unknown): string {
  return error instanceof WorkerError || error instanceof Error ? error.message : 'Unknown error.';
}

export function createTrainStore(client: WorkerClient): TrainStore {
  let control: AbortController | null = null;
  return createStore<TrainState>()((set, get) => ({
    versions: [],
    versionId: null,
    config: { ...DEFAULT_TRAIN_CONFIG },
    estimate: null,
    estimating: false,
    phase: 'idle',
    runId: null,
    progress: null,
    losses: [],
    validation: [],
    summary: null,
    unfinished: [],
    samples: null,
    notice: null,
    actions: {
      async refresh() {
        try {
          const [versions, unfinished] = await Promise.all([
            client.request('listDatasets', {}),
            client.request('unfinishedRuns', {}),
          ]);
          const versionId = get().versionId ?? versions.at(-1)?.id ?? null;
          set({ versions, unfinished, versionId });
        } catch (error) {
          set({ notice: describe(error) });
        }
      },
      chooseVersion(id) {
        set({ versionId: id, estimate: null });
      },
      setConfig(patch) {
        set({ config: { ...get().config, ...patch }, estimate: null });
      },
      async estimate() {
        const { versionId, config } = get();
        if (!versionId) return set({ notice: 'Pick a dataset version first (import one in the Data area).' });
        set({ estimating: true, notice: null });
        try {
          const estimate = await client.request('estimateTraining', {
            modelId: TRAIN_MODEL_ID,
            datasetVersionId: versionId,
            config,
          });
          set({ estimate });
        } catch (error) {
          set({ notice: describe(error) });
        } finally {
          set({ estimating: false });
        }
      },
      async start(resumeRunId) {
        const { versionId, config } = get();
        if (!versionId && !resumeRunId) return set({ notice: 'Pick a dataset version first.' });
        control = new AbortController();
        set({
          phase: 'starting',
          notice: null,
          summary: null,
          samples: null,
          progress: null,
          losses: [],
          validation: [],
          runId: resumeRunId ?? null,
        });
        try {
          const summary = await client.request(
            'train',
            {
              modelId: TRAIN_MODEL_ID,
              datasetVersionId: versionId ?? '',
              config,
              ...(resumeRunId ? { resumeRunId } : {}),
            },
            {
              signal: control.signal,
              onProgress: (event) => {
                const state = get();
                const patch: Partial<TrainState> = { progress: event, runId: event.runId };
                if (event.kind === 'step' && event.loss !== null)
                  patch.losses = [...state.losses, { step: event.step, loss: event.loss }];
                if (event.kind === 'validation' && event.validationLoss !== null)
                  patch.validation = [...state.validation, { step: event.step, loss: event.validationLoss }];
                patch.phase =
                  event.kind === 'paused' ? 'paused' : state.phase === 'paused' ? 'paused' : 'running';
                set(patch);
              },
            },
          );
          set({ phase: 'finished', summary, losses: summary.losses, validation: summary.validation });
          void get().actions.refresh();
        } catch (error) {
          const cancelled =
            error instanceof CancelledError || (error instanceof WorkerError && error.name === 'Cancelled');
          set({ phase: cancelled ? 'cancelled' : 'failed', notice: cancelled ? null : describe(error) });
          void get().actions.refresh();
        } finally {
          control = null;
        }
      },
      async pause() {
        const runId = get().runId;
        if (!runId) return;
        await client.request('pauseTraining', { runId });
        set({ phase: 'paused' });
      },
      async resume() {
        const runId = get().runId;
        if (!runId) return;
        set({ phase: 'running' });
        await client.request('resumeTraining', { runId });
      },
      cancel() {
        control?.abort();
      },
      async compareSamples(prompts) {
        const adapterId = get().summary?.adapterId ?? null;
        if (!adapterId) return;
        try {
          const samples = await client.request('compareAdapters', {
            modelId: TRAIN_MODEL_ID,
            adapterA: null,
            adapterB: adapterId,
            prompts,
            language: 'en',
            control: 'funny',
            seed: 1,
            maxNewTokens: 40,
            sampling: { temperature: 0.8, topK: 50, topP: 0.95, repetitionPenalty: 1.1 },
          });
          set({ samples });
        } catch (error) {
          set({ notice: describe(error) });
        }
      },
    },
  }));
}
