/**
 * The worker side of the Generate area: loads a model (IndexedDB first, else its folder), keeps one decode
 * session for it on the backend the probe chose, runs generate jobs and keeps their outputs in history.
 */
import type { BackendReport } from '../../runtime/backend.ts';
import type { OrtTensor, Runtime } from '../../runtime/types.ts';
import { releaseWeights } from '../../runtime/weights.ts';
import { getAdapter, getModel, listAdapters, type PunchlineDb } from '../../storage/index.ts';
import { isCausalLmAdapter, mergedWeights } from './adapter-weights.ts';
import { WorkerError } from '../errors.ts';
import { createDecoderModel, readConfig, type DecoderModel } from './decoder-model.ts';
import { runGeneration, type GenerationOutcome } from './generation-job.ts';
import { clearOutputs, exportRated, listHistory, rateOutput, recordOutput } from './generation-history.ts';
import { readGenerateSettings, writeGenerateSettings } from './generate-settings.ts';
import {
  createAdapterScorer,
  createStyleCodeScorer,
  STYLE_CODES_SCORER,
  type HumorScorer,
} from './humor-scorer.ts';
import { buildModelCard } from './model-card.ts';
import { obtainModelFiles } from './model-files.ts';
import type {
  AdapterChoice,
  Candidate,
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
  /** The last scorer used, kept with its session for the next request. */
  scorer: HumorScorer | null;
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
        .then(async (old) => {
          if (old.adapter) releaseWeights(old.adapter.weights);
          await old.scorer?.dispose();
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
    let ranked: { candidates: GenerationOutcome['candidates']; ranking: GenerateResult['ranking'] };
    try {
      const weights =
        payload.adapterId === null ? undefined : await this.adapterWeights(loaded, payload.adapterId);
      outcome = await runGeneration(loaded.model, payload, {
        ...(weights ? { weights } : {}),
        signal: job.signal,
        checkpoint: () => job.checkpoint(),
        onProgress: (progress) => job.progress(progress),
      });
      ranked = await this.rank(loaded, payload, outcome.candidates);
    } finally {
      this.generating = false;
    }
    const db = await this.database();
    const candidates: Candidate[] = [];
    for (const draft of ranked.candidates) {
      candidates.push({ ...draft, historyId: await recordOutput(db, payload, draft) });
    }
    return { ...outcome, candidates, ranking: ranked.ranking, backend: loaded.info.backend };
  }

  /** Scorers for this model: the built-in style-code scorer (our own models) and stored classifier adapters. */
  async scorers(modelId: string): Promise<ScorerChoice[]> {
    const loaded = await this.loaded.get(modelId)?.catch(() => null);
    const choices: ScorerChoice[] = [];
    if (loaded && hasStyleCodes(loaded.model))
      choices.push({
        id: STYLE_CODES_SCORER,
        name: 'Built-in: funny vs not-funny style codes',
        kind: 'style-codes',
        label: 'funny',
      });
    const stored = await listAdapters(await this.database(), modelId);
    for (const record of stored.filter((r) => !isCausalLmAdapter(r))) {
      const labels = record.meta?.['labels'];
      const label = Array.isArray(labels) && typeof labels[1] === 'string' ? labels[1] : '1';
      choices.push({ id: record.id, name: record.name, kind: 'classifier', label });
    }
    return choices;
  }

  /**
   * Candidates in the scorer's order, best first (held-back ones last). A scorer that fails leaves the
   * candidates unranked and says why: the jokes are never lost to a scoring error.
   */
  private async rank(
    loaded: Loaded,
    payload: GeneratePayload,
    drafts: GenerationOutcome['candidates'],
  ): Promise<{ candidates: GenerationOutcome['candidates']; ranking: GenerateResult['ranking'] }> {
    const scorerId = payload.scorerId ?? null;
    if (scorerId === null || drafts.length === 0)
      return { candidates: drafts, ranking: { scorer: null, note: null } };
    try {
      const scorer = await this.scorer(loaded, scorerId);
      const scores = await scorer.score(
        drafts.map((d) => d.text),
        payload.language,
      );
      const scored = drafts.map((draft, i) => ({
        ...draft,
        score: scores[i] as NonNullable<Candidate['score']>,
      }));
      scored.sort(
        (a, b) =>
          Number(b.safety.ok) - Number(a.safety.ok) || b.score.logOdds - a.score.logOdds || a.index - b.index,
      );
      return { candidates: scored, ranking: { scorer: scorer.name, note: null } };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { candidates: drafts, ranking: { scorer: null, note: `Not ranked: ${reason}` } };
    }
  }

  private async scorer(loaded: Loaded, scorerId: string): Promise<HumorScorer> {
    if (loaded.scorer?.id === scorerId) return loaded.scorer;
    if (loaded.model.kind !== 'own')
      throw new WorkerError(
        'InvalidRequest',
        `Humor scorers read our own tokenizer's language tags and end-of-joke token; "${loaded.model.id}" is an imported model.`,
      );
    const model = {
      id: loaded.model.id,
      config: loaded.model.config,
      tokenizer: loaded.model.tokenizer,
      runtime: this.runtime,
      weights: loaded.model.weights,
      provider: loaded.model.session.executionProvider,
    };
    let next: HumorScorer;
    if (scorerId === STYLE_CODES_SCORER) {
      if (!hasStyleCodes(loaded.model))
        throw new WorkerError(
          'InvalidRequest',
          `Model "${loaded.model.id}" has no funny / not-funny style codes.`,
        );
      next = await createStyleCodeScorer(model);
    } else {
      const record = await getAdapter(await this.database(), scorerId);
      if (!record)
        throw new WorkerError('NotFound', `No stored adapter "${scorerId}"; it may have been deleted.`);
      if (record.baseModelId !== loaded.model.id) {
        throw new WorkerError(
          'AdapterUnusable',
          `Scorer "${record.name}" was trained on "${record.baseModelId}", not on "${loaded.model.id}".`,
        );
      }
      next = await createAdapterScorer(model, record);
    }
    await loaded.scorer?.dispose();
    loaded.scorer = next;
    return next;
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
    if (payload.folderUrl === '') await requireStoredImport(db, payload);
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
    const model = await createDecoderModel(
      payload.modelId,
      files,
      this.runtime,
      report.backend,
      report.webgpu?.limits,
    );
    const config = readConfig(payload.modelId, files.get('config.json') as ArrayBuffer);
    const readme = files.get('README.md');
    const card = buildModelCard(
      manifest,
      config,
      readme ? new TextDecoder().decode(readme) : null,
      model.framing.languages,
      model.framing.info,
    );
    return {
      model,
      adapter: null,
      scorer: null,
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

function hasStyleCodes(model: DecoderModel): boolean {
  if (model.kind !== 'own') return false;
  const { controlIds } = model.tokenizer;
  return Number.isInteger(controlIds.funny) && Number.isInteger(controlIds.notFunny);
}

/** An imported model has no folder to read (again): it loads from its stored copy or not at all. */
async function requireStoredImport(db: PunchlineDb, payload: LoadModelPayload): Promise<void> {
  if (payload.refresh === true)
    throw new WorkerError(
      'InvalidRequest',
      `Model "${payload.modelId}" was imported: there is no folder to read again; import it again under Models.`,
    );
  if (!(await getModel(db, payload.modelId)))
    throw new WorkerError(
      'ModelUnavailable',
      `Model "${payload.modelId}" is not stored in this browser (it may have been deleted); import it again under Models.`,
    );
}
