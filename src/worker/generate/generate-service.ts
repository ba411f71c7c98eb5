/**
 * The worker side of the Generate area: loads a model (IndexedDB first, else its folder), keeps one decode
 * session for it on the backend the probe chose, runs generate jobs and keeps their outputs in history.
 */
import type { BackendReport } from '../../runtime/backend.ts';
import type { OrtTensor, Runtime } from '../../runtime/types.ts';
import { releaseWeights } from '../../runtime/weights.ts';
import { getAdapter, listAdapters, type PunchlineDb } from '../../storage/index.ts';
import { isCausalLmAdapter, mergedWeights } from './adapter-weights.ts';
import { WorkerError } from '../errors.ts';
import { createDecoderModel, readConfig, type DecoderModel } from './decoder-model.ts';
import { runGeneration } from './generation-job.ts';
import { clearOutputs, exportRated, listHistory, rateOutput, recordOutput } from './generation-history.ts';
import { readGenerateSettings, writeGenerateSettings } from './generate-settings.ts';
import { buildModelCard } from './model-card.ts';
import { obtainModelFiles } from './model-files.ts';
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
  StoredGenerateSettings,
} from './types.ts';

/** The slice of a worker Job these methods use. */
export interface JobContext<P> {
  readonly signal: AbortSignal;
  checkpoint(): Promise<void>;
  progress(event: P): void;
}

interface Loaded {
  model: DecoderModel;
  /** The last adapter used, merged and bound. */
  adapter: { id: string; weights: Record<string, OrtTensor> } | null;
  info: LoadedModel;
  backend: BackendReport['backend'];
}

export class GenerateService {
  private readonly loaded = new Map<string, Promise<Loaded>>();
  /** One decode session runs one request at a time. */
  private generating = false;

  constructor(
    private readonly database: () => Promise<PunchlineDb>,
    private readonly backend: () => Promise<BackendReport>,
    private readonly runtime: Runtime,
  ) {}

  async loadModel(payload: LoadModelPayload, job: JobContext<LoadProgress>): Promise<LoadedModel> {
    const report = await this.backend();
    const current = this.loaded.get(payload.modelId);
    if (current && !payload.refresh) {
      const loaded = await current.catch(() => null);
      if (loaded && loaded.backend === report.backend) return loaded.info;
    }
    const next = this.open(payload, report, job);
    this.loaded.set(payload.modelId, next);
    next.catch(() => {
      if (this.loaded.get(payload.modelId) === next) this.loaded.delete(payload.modelId);
    });
    if (current) {
      void current
        .then((old) => {
          if (old.adapter) releaseWeights(old.adapter.weights);
          return old.model.dispose();
        })
        .catch(() => undefined);
    }
    return (await next).info;
  }

  async generate(payload: GeneratePayload, job: JobContext<GenerateProgress>): Promise<GenerateResult> {
    const loaded = await this.loaded.get(payload.modelId)?.catch(() => null);
    if (!loaded) {
      throw new WorkerError(
        'ModelNotLoaded',
        `Model "${payload.modelId}" is not loaded; load it before generating.`,
      );
    }
    if (this.generating) {
      throw new WorkerError('Busy', 'A generation is already running; stop it or wait for it to finish.');
    }
    this.generating = true;
    let outcome;
    try {
      const weights =
        payload.adapterId === null ? undefined : await this.adapterWeights(loaded, payload.adapterId);
      outcome = await runGeneration(loaded.model, payload, {
        ...(weights ? { weights } : {}),
        signal: job.signal,
        checkpoint: () => job.checkpoint(),
        onProgress: (progress) => job.progress(progress),
      });
    } finally {
      this.generating = false;
    }
    const db = await this.database();
    const candidates = [];
    for (const draft of outcome.candidates) {
      candidates.push({ ...draft, historyId: await recordOutput(db, payload, draft) });
    }
    return { ...outcome, candidates, backend: loaded.info.backend };
  }

  async settings(): Promise<Partial<StoredGenerateSettings>> {
    return readGenerateSettings(await this.database());
  }

  async saveSettings(settings: StoredGenerateSettings): Promise<StoredGenerateSettings> {
    return writeGenerateSettings(await this.database(), settings);
  }

  async history(limit: number): Promise<HistoryItem[]> {
    return listHistory(await this.database(), limit);
  }

  async clearHistory(includeRated: boolean): Promise<{ removed: number; kept: number }> {
    return clearOutputs(await this.database(), includeRated);
  }

  async rate(historyId: number, rating: Rating | null): Promise<HistoryItem> {
    return rateOutput(await this.database(), historyId, rating);
  }

  async exportRatings(format: 'csv' | 'jsonl') {
    return exportRated(await this.database(), format);
  }

  async adapters(modelId: string): Promise<AdapterChoice[]> {
    const stored = await listAdapters(await this.database(), modelId);
    return stored.filter(isCausalLmAdapter).map(({ id, name }) => ({ id, name }));
  }

  /** The weights with one adapter merged in, kept bound for the next request with the same adapter. */
  private async adapterWeights(loaded: Loaded, adapterId: string): Promise<Record<string, OrtTensor>> {
    if (loaded.adapter?.id === adapterId) return loaded.adapter.weights;
    const record = await getAdapter(await this.database(), adapterId);
    if (!record)
      throw new WorkerError('NotFound', `No stored adapter "${adapterId}"; it may have been deleted.`);
    if (record.baseModelId !== loaded.model.id) {
      throw new WorkerError(
        'AdapterUnusable',
        `Adapter "${record.name}" was trained on "${record.baseModelId}", not on "${loaded.model.id}".`,
      );
    }
    const merged = mergedWeights(loaded.model.config, loaded.model.baseWeights, record);
    const weights = await loaded.model.bindWeightSet(merged);
    if (loaded.adapter) releaseWeights(loaded.adapter.weights);
    loaded.adapter = { id: adapterId, weights };
    return weights;
  }

  private async open(
    payload: LoadModelPayload,
    report: BackendReport,
    job: JobContext<LoadProgress>,
  ): Promise<Loaded> {
    const started = performance.now();
    const db = await this.database();
    const { manifest, files, source, storeError } = await obtainModelFiles(
      db,
      payload.modelId,
      payload.folderUrl,
      {
        refresh: payload.refresh === true,
        signal: job.signal,
        onProgress: (progress) => job.progress(progress),
      },
    );
    job.progress({
      phase: 'prepare',
      file: null,
      loadedBytes: manifest.totalBytes,
      totalBytes: manifest.totalBytes,
    });
    const model = await createDecoderModel(payload.modelId, files, this.runtime, report.backend);
    const config = readConfig(payload.modelId, files.get('config.json') as ArrayBuffer);
    const readme = files.get('README.md');
    const languages = Object.keys(model.tokenizer.languageIds);
    const card = buildModelCard(
      manifest,
      config,
      readme ? new TextDecoder().decode(readme) : null,
      languages,
    );
    return {
      model,
      adapter: null,
      backend: report.backend,
      info: {
        card,
        source,
        backend: report.label,
        executionProvider: model.session.executionProvider,
        loadMs: performance.now() - started,
        storeError,
      },
    };
  }
}
