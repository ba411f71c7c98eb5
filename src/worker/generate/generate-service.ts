/**
 * The worker side of the Generate area: loads a model (IndexedDB first, else its folder), keeps one decode
 * session for it on the backend the probe chose, runs generate jobs and keeps their outputs in history.
 */
import type { BackendReport } from '../../runtime/backend.ts';
import type { Runtime } from '../../runtime/types.ts';
import { listAdapters, type PunchlineDb } from '../../storage/index.ts';
import { WorkerError } from '../errors.ts';
import { createDecoderModel, readConfig, type DecoderModel } from './decoder-model.ts';
import { runGeneration } from './generation-job.ts';
import { clearOutputs, exportRated, listHistory, rateOutput, recordOutput } from './generation-history.ts';
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
} from './types.ts';

/** The slice of a worker Job these methods use. */
export interface JobContext<P> {
  readonly signal: AbortSignal;
  checkpoint(): Promise<void>;
  progress(event: P): void;
}

interface Loaded {
  model: DecoderModel;
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
    if (current) void current.then((old) => old.model.dispose()).catch(() => undefined);
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
    if (payload.adapterId !== null) {
      throw new WorkerError(
        'AdapterUnsupported',
        'Generating with a LoRA adapter is not available yet; choose “none” as the adapter.',
      );
    }
    if (this.generating) {
      throw new WorkerError('Busy', 'A generation is already running; stop it or wait for it to finish.');
    }
    this.generating = true;
    let outcome;
    try {
      outcome = await runGeneration(loaded.model, payload, {
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
    return stored.map(({ id, name }) => ({ id, name }));
  }

  private async open(
    payload: LoadModelPayload,
    report: BackendReport,
    job: JobContext<LoadProgress>,
  ): Promise<Loaded> {
    const started = performance.now();
    const db = await this.database();
    const { manifest, files, source } = await obtainModelFiles(db, payload.modelId, payload.folderUrl, {
      refresh: payload.refresh === true,
      signal: job.signal,
      onProgress: (progress) => job.progress(progress),
    });
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
      backend: report.backend,
      info: {
        card,
        source,
        backend: report.label,
        executionProvider: model.session.executionProvider,
        loadMs: performance.now() - started,
      },
    };
  }
}
