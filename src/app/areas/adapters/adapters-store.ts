/** The Adapters library's state; its actions are the only code here that calls the worker client. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AdapterDetails,
  ComparePayload,
  AdapterImportSource,
  AdapterSummary,
  CompareResult,
  DownloadFile,
} from '../../../worker/adapters/types.ts';
import type { DatasetVersionSummary } from '../../../worker/data/requests.ts';
import { WorkerError } from '../../../worker/errors.ts';
import type { ModelManifest } from '../../../worker/protocol.ts';
import type { WorkerClient } from '../../client/workerClient.ts';
import { saveFile } from '../data/download.ts';

export const PREFERRED_MODEL_ID = 'punchline-tiny';

/** The Generate area's default sampling, so a comparison reads like generation there. */
export const COMPARE_SAMPLING: ComparePayload['sampling'] = {
  temperature: 0.8,
  topK: 50,
  topP: 0.95,
  repetitionPenalty: 1.1,
};

export interface CompareRequest {
  adapterA: string | null;
  adapterB: string | null;
  prompts: string[];
  seed: number;
  maxNewTokens: number;
  language: 'en' | 'zh';
  sampling: ComparePayload['sampling'];
}

export interface AdaptersState {
  models: ModelManifest[];
  modelId: string | null;
  adapters: AdapterSummary[];
  datasets: DatasetVersionSummary[];
  details: AdapterDetails | null;
  compare:
    | { status: 'idle' }
    | { status: 'running'; done: number; total: number }
    | { status: 'ready'; result: CompareResult };
  /** What a short action is doing; null when idle. */
  busy: string | null;
  /** The last error, in words. */
  message: string | null;
  actions: {
    refresh(): Promise<void>;
    selectModel(modelId: string): Promise<void>;
    showDetails(id: string | null): Promise<void>;
    rename(id: string, name: string): Promise<void>;
    remove(id: string): Promise<void>;
    exportAdapter(id: string): Promise<void>;
    exportMerged(id: string): Promise<void>;
    exportHandoff(datasetVersionId: string, adapterId: string | null, jobName: string): Promise<void>;
    importFiles(files: readonly File[]): Promise<void>;
    compare(request: CompareRequest): Promise<void>;
  };
}

export type AdaptersStore = StoreApi<AdaptersState>;

function describe(error: unknown): string {
  return error instanceof WorkerError || error instanceof Error ? error.message : 'Unknown error.';
}

/** A zip, or adapter_config.json + adapter_model.safetensors (+ punchline.json) picked together. */
async function importSource(files: readonly File[]): Promise<AdapterImportSource> {
  const zip = files.find((f) => f.name.toLowerCase().endsWith('.zip'));
  if (zip) return { kind: 'zip', fileName: zip.name, bytes: await zip.arrayBuffer() };
  const config = files.find((f) => f.name.endsWith('.json') && f.name.includes('adapter_config'));
  const weights = files.find((f) => f.name.endsWith('.safetensors'));
  const meta = files.find((f) => f.name === 'punchline.json');
  if (!config || !weights)
    throw new Error(
      'Pick an adapter zip, or adapter_config.json and adapter_model.safetensors together (PEFT format).',
    );
  return {
    kind: 'files',
    config: await config.arrayBuffer(),
    weights: await weights.arrayBuffer(),
    ...(meta ? { meta: await meta.arrayBuffer() } : {}),
  };
}

/** Settings for a GPU job: the adapter's own hyperparameters when it has them, else the trainer's defaults. */
function handoffSettings(details: AdapterDetails | null): Record<string, unknown> {
  const h = details?.lineage?.hyperparameters ?? {};
  const settings: Record<string, unknown> = { ...h };
  if (typeof h['targets'] === 'string') settings['targets'] = h['targets'].split(',');
  if (details)
    Object.assign(settings, { rank: details.rank, alpha: details.alpha, targets: details.targetModules });
  delete settings['task'];
  return settings;
}

export function createAdaptersStore(client: WorkerClient): AdaptersStore {
  return createStore<AdaptersState>()((set, get) => {
    const run = async (busy: string, work: () => Promise<void>) => {
      set({ busy, message: null });
      try {
        await work();
      } catch (error) {
        set({ message: describe(error) });
      } finally {
        set({ busy: null });
      }
    };
    const download = async (busy: string, produce: () => Promise<DownloadFile>) =>
      run(busy, async () => saveFile(await produce()));
    const listAdapters = async () => {
      const { modelId } = get();
      set({ adapters: modelId === null ? [] : await client.request('listAdapters', { modelId }) });
    };

    return {
      models: [],
      modelId: null,
      adapters: [],
      datasets: [],
      details: null,
      compare: { status: 'idle' },
      busy: null,
      message: null,
      actions: {
        refresh: () =>
          run('Reading the library…', async () => {
            const [models, datasets] = await Promise.all([
              client.request('listModels', {}),
              client.request('listDatasets', {}),
            ]);
            const current = get().modelId;
            const modelId =
              models.find((m) => m.id === current)?.id ??
              models.find((m) => m.id === PREFERRED_MODEL_ID)?.id ??
              models[0]?.id ??
              null;
            set({ models, datasets, modelId });
            await listAdapters();
          }),
        selectModel: (modelId) =>
          run('Reading the library…', async () => {
            set({ modelId, details: null, compare: { status: 'idle' } });
            await listAdapters();
          }),
        showDetails: (id) =>
          run('Reading the adapter…', async () => {
            set({ details: id === null ? null : await client.request('adapterDetails', { id }) });
          }),
        rename: (id, name) =>
          run('Renaming…', async () => {
            await client.request('renameAdapter', { id, name });
            await listAdapters();
            if (get().details?.id === id) set({ details: await client.request('adapterDetails', { id }) });
          }),
        remove: (id) =>
          run('Deleting…', async () => {
            await client.request('deleteAdapter', { id });
            if (get().details?.id === id) set({ details: null });
            await listAdapters();
          }),
        exportAdapter: (id) =>
          download('Exporting the PEFT zip…', () => client.request('exportAdapter', { id })),
        exportMerged: (id) =>
          download('Merging into the base model…', () => client.request('exportMergedModel', { id })),
        exportHandoff: (datasetVersionId, adapterId, jobName) =>
          download('Writing the GPU job…', async () => {
            const modelId = get().modelId;
            if (modelId === null) throw new Error('Load a base model in the Generate area first.');
            const details =
              adapterId === null ? null : await client.request('adapterDetails', { id: adapterId });
            return client.request('exportGpuHandoff', {
              modelId,
              datasetVersionId,
              jobName,
              settings: handoffSettings(details),
            });
          }),
        importFiles: (files) =>
          run('Importing…', async () => {
            const modelId = get().modelId;
            if (modelId === null) throw new Error('Load a base model in the Generate area first.');
            const source = await importSource(files);
            const summary = await client.request('importAdapter', { modelId, name: null, source });
            await listAdapters();
            set({ details: await client.request('adapterDetails', { id: summary.id }) });
          }),
        compare: (request) =>
          run('Generating side by side…', async () => {
            const modelId = get().modelId;
            if (modelId === null) throw new Error('Load a base model in the Generate area first.');
            set({ compare: { status: 'running', done: 0, total: request.prompts.length * 2 } });
            try {
              const result = await client.request(
                'compareAdapters',
                { modelId, control: 'funny', ...request },
                { onProgress: (p) => set({ compare: { status: 'running', ...p } }) },
              );
              set({ compare: { status: 'ready', result } });
            } catch (error) {
              set({ compare: { status: 'idle' } });
              throw error;
            }
          }),
      },
    };
  });
}
