import { createStore, type StoreApi } from 'zustand/vanilla';
import { CancelledError, WorkerError } from '../worker/errors.ts';
import type { BackendReport, BenchmarkStep, Settings, StorageStatus } from '../worker/protocol.ts';
import { requestPersistentStorage } from './client/persistence.ts';
import type { WorkerClient, WorkerState } from './client/workerClient.ts';
import { createDataStore, type DataStore } from './areas/data/dataStore.ts';

export type Area = 'generate' | 'data' | 'train';

export type BackendState =
  { status: 'probing' } | { status: 'ready'; report: BackendReport } | { status: 'failed'; message: string };

export type BenchmarkState =
  | { status: 'idle' }
  | { status: 'running'; steps: BenchmarkStep[] }
  | { status: 'finished'; steps: BenchmarkStep[]; medianGflops: number; backend: string; size: number }
  | { status: 'cancelled'; steps: BenchmarkStep[] }
  | { status: 'failed'; steps: BenchmarkStep[]; message: string };

export interface AppState {
  area: Area;
  worker: WorkerState;
  backend: BackendState;
  storage: StorageStatus | null;
  persistGranted: boolean | null;
  settings: Settings | null;
  benchmark: BenchmarkState;
  /** The last error a user action produced, in words; null when there is none. */
  notice: string | null;
  /** The Data area's own store: datasets, versions, audit and fixes. */
  data: DataStore;
  actions: {
    start(): Promise<void>;
    showArea(area: Area): void;
    setBackendPreference(preference: Settings['backendPreference']): Promise<void>;
    runBenchmark(size: number, steps: number): Promise<void>;
    cancelBenchmark(): void;
    refreshStorage(): Promise<void>;
  };
}

export type AppStore = StoreApi<AppState>;

function describe(error: unknown): string {
  return error instanceof WorkerError || error instanceof Error ? error.message : 'Unknown error.';
}

/** All UI state, and the only code that calls the worker client. */
export function createAppStore(client: WorkerClient): AppStore {
  let benchmarkControl: AbortController | null = null;

  return createStore<AppState>()((set, get) => {
    const probe = async () => {
      set({ backend: { status: 'probing' } });
      try {
        set({ backend: { status: 'ready', report: await client.request('probeBackend', {}) } });
      } catch (error) {
        set({ backend: { status: 'failed', message: describe(error) } });
      }
    };

    const refreshStorage = async () => {
      try {
        set({ storage: await client.request('storageStatus', {}) });
      } catch (error) {
        set({ notice: describe(error) });
      }
    };

    return {
      area: 'generate',
      worker: client.state,
      backend: { status: 'probing' },
      storage: null,
      persistGranted: null,
      settings: null,
      benchmark: { status: 'idle' },
      notice: null,
      data: createDataStore(client),
      actions: {
        async start() {
          client.onStateChange((worker) => set({ worker }));
          set({ persistGranted: await requestPersistentStorage() });
          try {
            set({ settings: await client.request('getSettings', {}) });
          } catch (error) {
            set({ notice: describe(error) });
          }
          await Promise.all([probe(), refreshStorage()]);
        },
        showArea(area) {
          set({ area });
        },
        async setBackendPreference(backendPreference) {
          try {
            set({ settings: await client.request('saveSettings', { backendPreference }), notice: null });
          } catch (error) {
            set({ notice: describe(error) });
            return;
          }
          await Promise.all([probe(), refreshStorage()]);
        },
        async runBenchmark(size, steps) {
          if (get().benchmark.status === 'running') return;
          benchmarkControl = new AbortController();
          set({ benchmark: { status: 'running', steps: [] } });
          const collected: BenchmarkStep[] = [];
          try {
            const result = await client.request(
              'benchmarkBackend',
              { size, steps },
              {
                signal: benchmarkControl.signal,
                onProgress: (step) => {
                  collected.push(step);
                  set({ benchmark: { status: 'running', steps: [...collected] } });
                },
              },
            );
            set({ benchmark: { status: 'finished', steps: collected, ...result } });
          } catch (error) {
            set({
              benchmark:
                error instanceof CancelledError
                  ? { status: 'cancelled', steps: collected }
                  : { status: 'failed', steps: collected, message: describe(error) },
            });
          } finally {
            benchmarkControl = null;
          }
        },
        cancelBenchmark() {
          benchmarkControl?.abort();
        },
        refreshStorage,
      },
    };
  });
}
