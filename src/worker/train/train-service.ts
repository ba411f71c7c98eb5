/**
 * The worker side of the Train area: loads the stored base model and a dataset version, checks that the
 * configuration fits the device, runs the shared trainer (src/train) with checkpoints in IndexedDB,
 * answers pause/resume/cancel, and stores the best adapter where the Generate area lists adapters.
 */
import { bindModelWeights } from '../../models/bind-weights.ts';
import type { BackendReport } from '../../runtime/backend.ts';
import type { Runtime, SessionConfig, WeightPlacement } from '../../runtime/types.ts';
import { releaseWeights } from '../../runtime/weights.ts';
import { getDatasetVersion, putRun, type PunchlineDb, type RunRecord } from '../../storage/index.ts';
import { createTokenizer } from '../../tokenizer/index.ts';
import { resolveTrainConfig, type TrainConfig } from '../../train/config.ts';
import { estimateTraining } from '../../train/estimate.ts';
import { checkFeasibility, WASM_MEMORY_BUDGET, type Feasibility } from '../../train/feasibility.ts';
import type { BaseModel } from '../../train/prepare.ts';
import { TrainSignals } from '../../train/signals.ts';
import { train } from '../../train/trainer.ts';
import { readBase, readBaseFiles, type StoredBase } from '../adapters/base-model.ts';
import { WorkerError } from '../errors.ts';
import type { JobContext } from '../generate/generate-service.ts';
import { storeTrainedAdapter } from './store-adapter.ts';
import type { TrainEstimate, TrainEvent, TrainPayload, TrainSummary, UnfinishedRun } from './requests.ts';
import {
  configOfRun,
  flattenConfig,
  indexedDbCheckpoints,
  latestCheckpoint,
  runOrFail,
  unfinishedRuns,
} from './run-records.ts';

interface Loaded {
  base: StoredBase;
  model: BaseModel;
  tokenizer: ReturnType<typeof createTokenizer>;
}

const json = (bytes: Uint8Array | undefined, name: string, modelId: string): unknown => {
  if (!bytes) throw new WorkerError('ModelFormatError', `${modelId} has no ${name}`);
  return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
};

export class TrainService {
  private readonly signals = new Map<string, TrainSignals>();

  constructor(
    private readonly database: () => Promise<PunchlineDb>,
    private readonly backend: () => Promise<BackendReport>,
    private readonly runtime: Runtime,
  ) {}

  private async load(db: PunchlineDb, modelId: string): Promise<Loaded> {
    const base = await readBase(db, modelId);
    const { files, weights } = await readBaseFiles(db, base);
    const tokenizer = createTokenizer(
      json(files.get('tokenizer.json'), 'tokenizer.json', modelId),
      json(files.get('tokenizer_config.json'), 'tokenizer_config.json', modelId),
      `${modelId}/tokenizer.json`,
    );
    return { base, model: { config: base.config, weights }, tokenizer };
  }

  private async rows(db: PunchlineDb, versionId: string) {
    const version = await getDatasetVersion(db, versionId);
    if (!version) throw new WorkerError('DatasetNotFound', `No dataset version has the id "${versionId}".`);
    return { version, rows: version.rows.map((r) => ({ text: r.text, label: r.label })) };
  }

  private async device(): Promise<{
    session: SessionConfig;
    placement: WeightPlacement;
    report: BackendReport;
  }> {
    const report = await this.backend();
    // onnxruntime-node (the service's unit tests) has the cpu provider where the browser has wasm.
    if (this.runtime.name === 'onnxruntime-node')
      return { session: { executionProviders: ['cpu'], intraOpNumThreads: 1 }, placement: 'cpu', report };
    return report.backend === 'webgpu'
      ? { session: { executionProviders: ['webgpu'] }, placement: 'gpu-buffer', report }
      : { session: { executionProviders: ['wasm'] }, placement: 'cpu', report };
  }

  private feasibility(model: BaseModel, config: TrainConfig, report: BackendReport): Feasibility {
    const limits = report.webgpu?.limits;
    return checkFeasibility(model.config, config, {
      maxBufferSize: report.backend === 'webgpu' ? (limits?.maxBufferSize ?? null) : null,
      maxStorageBufferBindingSize:
        report.backend === 'webgpu' ? (limits?.maxStorageBufferBindingSize ?? null) : null,
      memoryBudget: WASM_MEMORY_BUDGET,
    });
  }

  async estimate(payload: TrainPayload): Promise<TrainEstimate> {
    const db = await this.database();
    const loaded = await this.load(db, payload.modelId);
    const { rows } = await this.rows(db, payload.datasetVersionId);
    const config = resolveTrainConfig(payload.config);
    const { session, placement, report } = await this.device();
    const feasibility = this.feasibility(loaded.model, config, report);
    const empty = {
      note: '',
      trainRows: 0,
      validationRows: 0,
      totalSteps: 0,
      secondsPerStep: 0,
      etaSeconds: 0,
    };
    if (!feasibility.ok) return { feasibility, backend: report.label, ...empty };
    const base = await bindModelWeights(this.runtime, loaded.model, placement);
    try {
      const time = await estimateTraining({
        runtime: this.runtime,
        model: loaded.model,
        base,
        tokenizer: loaded.tokenizer,
        rows,
        config,
        session,
      });
      return { feasibility, backend: report.label, ...time };
    } finally {
      releaseWeights(base);
    }
  }

  async train(payload: TrainPayload, job: JobContext<TrainEvent>): Promise<TrainSummary> {
    const db = await this.database();
    let run: RunRecord;
    let resume: Uint8Array | undefined;
    if (payload.resumeRunId) {
      run = await runOrFail(db, payload.resumeRunId);
      const bytes = await latestCheckpoint(db, run.id);
      if (!bytes) throw new WorkerError('NoCheckpoint', `Run "${run.id}" has no checkpoint to resume from.`);
      resume = bytes;
    } else {
      run = {
        id: crypto.randomUUID(),
        modelId: payload.modelId,
        datasetId: payload.datasetVersionId,
        adapterId: null,
        createdAt: Date.now(),
        status: 'running',
        config: flattenConfig(resolveTrainConfig(payload.config)),
        losses: [],
      };
    }
    const config = configOfRun(run);
    const loaded = await this.load(db, run.modelId);
    const { version, rows } = await this.rows(db, run.datasetId);
    const { session, placement, report } = await this.device();
    const feasibility = this.feasibility(loaded.model, config, report);
    if (!feasibility.ok)
      throw new WorkerError('TrainingDoesNotFit', `${feasibility.reason}. Try: ${feasibility.suggestion}.`);
    run.status = 'running';
    await putRun(db, run);
    const resumedAt = resume ? Math.max(0, ...run.losses.map((l) => l.step)) : 0;
    const losses = run.losses.filter((l) => l.step <= resumedAt);
    const signals = new TrainSignals();
    this.signals.set(run.id, signals);
    const onAbort = () => signals.cancel();
    job.signal.addEventListener('abort', onAbort);
    const base = await bindModelWeights(this.runtime, loaded.model, placement);
    try {
      const result = await train({
        runtime: this.runtime,
        model: loaded.model,
        base,
        tokenizer: loaded.tokenizer,
        rows,
        config,
        session,
        resume,
        signals,
        store: indexedDbCheckpoints(db, run, () => losses),
        onProgress: (progress) => {
          if (progress.kind === 'step' && progress.loss !== null)
            losses.push({ step: progress.step, loss: progress.loss });
          if (progress.kind === 'paused') void putRun(db, { ...run, status: 'paused', losses });
          job.progress({ ...progress, runId: run.id });
        },
      });
      if (result.status === 'cancelled') {
        run.status = 'cancelled';
        run.losses = losses;
        await putRun(db, run);
        throw new WorkerError('Cancelled', 'Training was cancelled; its last checkpoint is kept.');
      }
      const adapterId = await storeTrainedAdapter(db, loaded.base, result, {
        name: payload.adapterName ?? `${version.name} ${config.task}`,
        dataset: { version: version.id, auditSummary: {} },
      });
      run.status = 'finished';
      run.adapterId = adapterId;
      run.losses = losses;
      await putRun(db, run);
      const best = result.state.best ?? result.initial;
      return {
        runId: run.id,
        status: result.status,
        adapterId,
        task: config.task,
        note: result.plan.note,
        losses,
        validation: result.state.validation.map((v) => ({ step: v.step, loss: v.loss })),
        validationLossBefore: result.initial.loss,
        validationLossAfter: best.loss,
        metrics: best.metrics,
        classes: result.plan.classes,
      };
    } finally {
      job.signal.removeEventListener('abort', onAbort);
      this.signals.delete(run.id);
      releaseWeights(base);
    }
  }

  pause(runId: string): { runId: string } {
    this.running(runId).pause();
    return { runId };
  }

  resume(runId: string): { runId: string } {
    this.running(runId).resume();
    return { runId };
  }

  async unfinished(): Promise<UnfinishedRun[]> {
    const runs = await unfinishedRuns(await this.database());
    return runs.filter((r) => !this.signals.has(r.runId));
  }

  private running(runId: string): TrainSignals {
    const signals = this.signals.get(runId);
    if (!signals)
      throw new WorkerError('RunNotRunning', `Training run "${runId}" is not running in this tab.`);
    return signals;
  }
}
