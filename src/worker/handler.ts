import type { BackendReport, BenchmarkStep } from '../runtime/backend.ts';
import { webRuntime } from '../runtime/ort-web.ts';
import {
  getSettings,
  listModels,
  putModel,
  readModelFile,
  saveSettings,
  storageStatus,
  verifyModel,
  type PunchlineDb,
} from '../storage/index.ts';
import { CancelledError, serializeError, WorkerError } from './errors.ts';
import { DataService } from './data/service.ts';
import { GenerateService } from './generate/generate-service.ts';
import { AdapterService } from './adapters/service.ts';
import { TrainService } from './train/train-service.ts';
import type {
  FromWorker,
  MessageEndpoint,
  Payload,
  Progress,
  RequestEnvelope,
  RequestKind,
  RequestMessage,
  Result,
  ToWorker,
} from './protocol.ts';

/** What the handler needs from the layers below; the worker entry passes the real ones. */
export interface WorkerServices {
  database(): Promise<PunchlineDb>;
  probeBackend(preferWasm: boolean): Promise<BackendReport>;
  benchmark(
    report: BackendReport,
    size: number,
    steps: number,
    onStep: (step: BenchmarkStep) => void,
    beforeStep: () => Promise<void>,
  ): Promise<{ medianGflops: number }>;
}

/** One running request as a handler method sees it. */
export interface Job<K extends RequestKind> {
  readonly id: string;
  /** Aborts when the client cancels; long work checks it between steps. */
  readonly signal: AbortSignal;
  /**
   * Call between steps of long work: yields to the event loop, so a cancel message can arrive even when each step
   * finishes without leaving the microtask queue, then throws CancelledError if the job was cancelled.
   */
  checkpoint(): Promise<void>;
  progress(event: Progress<K>, transfer?: Transferable[]): void;
  /** Buffers to transfer (not copy) along with the result; they become unusable in the worker. */
  transferResult(...buffers: Transferable[]): void;
}

export class WorkerHandler {
  private readonly running = new Map<string, AbortController>();
  private backend: Promise<BackendReport> | null = null;
  private readonly data = new DataService(() => this.services.database());
  private readonly generation = new GenerateService(
    () => this.services.database(),
    () => this.chosenBackend(),
    webRuntime,
  );
  private readonly adapters = new AdapterService(
    () => this.services.database(),
    () => this.chosenBackend(),
    webRuntime,
  );
  private readonly training = new TrainService(
    () => this.services.database(),
    () => this.chosenBackend(),
    webRuntime,
  );

  constructor(
    private readonly port: MessageEndpoint<FromWorker, ToWorker>,
    private readonly services: WorkerServices,
  ) {
    port.addEventListener('message', (event) => this.receive(event.data));
  }

  receive(message: ToWorker): void {
    if (message.type === 'cancel') {
      this.running.get(message.id)?.abort(new CancelledError());
      return;
    }
    void this.dispatch(message);
  }

  private dispatch(message: RequestMessage): Promise<void> {
    switch (message.kind) {
      case 'probeBackend':
        return this.settle(message, () => this.probeBackend());
      case 'storageStatus':
        return this.settle(message, () => storageStatus());
      case 'getSettings':
        return this.settle(message, async () => getSettings(await this.services.database()));
      case 'saveSettings':
        return this.settle(message, async () =>
          saveSettings(await this.services.database(), message.payload),
        );
      case 'benchmarkBackend':
        return this.settle(message, (job) => this.benchmarkBackend(message.payload, job));
      case 'storeModel':
        return this.settle(message, () => this.storeModel(message.payload));
      case 'listModels':
        return this.settle(message, async () => listModels(await this.services.database()));
      case 'verifyModel':
        return this.settle(message, (job) => this.verifyModel(message.payload, job));
      case 'readModelFile':
        return this.settle(message, (job) => this.readModelFile(message.payload, job));
      case 'ingestDataset':
        return this.settle(message, (job) => this.data.ingest(message.payload, job));
      case 'listDatasets':
        return this.settle(message, () => this.data.list());
      case 'loadDatasetVersion':
        return this.settle(message, () => this.data.view(message.payload.versionId));
      case 'remapDataset':
        return this.settle(message, () => this.data.remap(message.payload));
      case 'auditDataset':
        return this.settle(message, (job) => this.data.audit(message.payload, job));
      case 'datasetFindings':
        return this.settle(message, () => this.data.findings(message.payload));
      case 'fixDataset':
        return this.settle(message, (job) => this.data.fix(message.payload, job));
      case 'exportDataset':
        return this.settle(message, (job) => this.data.export(message.payload, job));
      case 'loadModel':
        return this.settle(message, (job) => this.generation.loadModel(message.payload, job));
      case 'generate':
        return this.settle(message, (job) => this.generation.generate(message.payload, job));
      case 'generationHistory':
        return this.settle(message, () => this.generation.history(message.payload.limit));
      case 'clearGenerationHistory':
        return this.settle(message, () => this.generation.clearHistory(message.payload.includeRated));
      case 'rateGeneration':
        return this.settle(message, () =>
          this.generation.rate(message.payload.historyId, message.payload.rating),
        );
      case 'exportRatings':
        return this.settle(message, () => this.generation.exportRatings(message.payload.format));
      case 'listModelAdapters':
        return this.settle(message, () => this.generation.adapters(message.payload.modelId));
      case 'listScorers':
        return this.settle(message, () => this.generation.scorers(message.payload.modelId));
      case 'generateSettings':
        return this.settle(message, () => this.generation.settings());
      case 'saveGenerateSettings':
        return this.settle(message, () => this.generation.saveSettings(message.payload));
      case 'listAdapters':
        return this.settle(message, () => this.adapters.list(message.payload.modelId));
      case 'adapterDetails':
        return this.settle(message, () => this.adapters.details(message.payload.id));
      case 'renameAdapter':
        return this.settle(message, () => this.adapters.rename(message.payload.id, message.payload.name));
      case 'deleteAdapter':
        return this.settle(message, () => this.adapters.remove(message.payload.id));
      case 'exportAdapter':
        return this.settle(message, (job) => this.adapters.exportAdapter(message.payload.id, job));
      case 'importAdapter': {
        const { modelId, name, source } = message.payload;
        return this.settle(message, () => this.adapters.importAdapter(modelId, name, source));
      }
      case 'exportMergedModel':
        return this.settle(message, (job) => this.adapters.exportMerged(message.payload.id, job));
      case 'exportGpuHandoff':
        return this.settle(message, (job) => this.adapters.exportHandoff(message.payload, job));
      case 'compareAdapters':
        return this.settle(message, (job) => this.adapters.compare(message.payload, job));
      case 'estimateTraining':
        return this.settle(message, () => this.training.estimate(message.payload));
      case 'train':
        return this.settle(message, (job) => this.training.train(message.payload, job));
      case 'pauseTraining':
        return this.settle(message, async () => this.training.pause(message.payload.runId));
      case 'resumeTraining':
        return this.settle(message, async () => this.training.resume(message.payload.runId));
      case 'unfinishedRuns':
        return this.settle(message, () => this.training.unfinished());
      default:
        return this.rejectUnknown(message);
    }
  }

  private probeBackend(): Promise<BackendReport> {
    const report = this.services
      .database()
      .then(getSettings)
      .then((settings) => this.services.probeBackend(settings.backendPreference === 'wasm'));
    this.backend = report;
    return report;
  }

  /** The backend the last probe chose; handlers that run models use this to pick their execution provider. */
  private chosenBackend(): Promise<BackendReport> {
    return this.backend ?? this.probeBackend();
  }

  private async benchmarkBackend(
    { size, steps }: Payload<'benchmarkBackend'>,
    job: Job<'benchmarkBackend'>,
  ): Promise<Result<'benchmarkBackend'>> {
    if (!Number.isInteger(size) || size < 1 || size > 4096 || !Number.isInteger(steps) || steps < 1) {
      throw new WorkerError(
        'InvalidRequest',
        `Benchmark needs 1 ≤ size ≤ 4096 and steps ≥ 1; got size ${size}, steps ${steps}.`,
      );
    }
    const report = await this.chosenBackend();
    const { medianGflops } = await this.services.benchmark(
      report,
      size,
      steps,
      (step) => job.progress(step),
      job.checkpoint,
    );
    return { backend: report.label, size, medianGflops };
  }

  private async storeModel({ id, name, source, files }: Payload<'storeModel'>) {
    return putModel(await this.services.database(), { id, name, source }, files);
  }

  private async verifyModel({ id }: Payload<'verifyModel'>, job: Job<'verifyModel'>) {
    const db = await this.services.database();
    const manifest = await db.get('models', id);
    const total = manifest?.files.reduce((sum, file) => sum + file.chunks.length, 0) ?? 0;
    let done = 0;
    return verifyModel(db, id, (check) => job.progress({ ...check, done: ++done, total }), job.signal);
  }

  private async readModelFile({ id, name }: Payload<'readModelFile'>, job: Job<'readModelFile'>) {
    const bytes = await readModelFile(await this.services.database(), id, name);
    job.transferResult(bytes);
    return bytes;
  }

  /** Runs one request and posts exactly one `done` or `error` for it, whatever happens. */
  private async settle<K extends RequestKind>(
    message: RequestEnvelope<K>,
    work: (job: Job<K>) => Promise<Result<K>>,
  ): Promise<void> {
    const { id, kind } = message;
    const controller = new AbortController();
    this.running.set(id, controller);
    const resultTransfer: Transferable[] = [];
    const job: Job<K> = {
      id,
      signal: controller.signal,
      progress: (progress, transfer = []) => this.post({ type: 'progress', id, kind, progress }, transfer),
      transferResult: (...buffers) => resultTransfer.push(...buffers),
      checkpoint: async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        controller.signal.throwIfAborted();
      },
    };
    try {
      const result = await work(job);
      this.post({ type: 'done', id, kind, result }, resultTransfer);
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      this.post({ type: 'error', id, kind, error: serializeError(reason) }, []);
    } finally {
      this.running.delete(id);
    }
  }

  private async rejectUnknown(message: never): Promise<void> {
    const { id, kind } = message as { id: string; kind: RequestKind };
    const error = new WorkerError(
      'UnknownRequest',
      `The worker does not handle requests of kind "${String(kind)}".`,
    );
    this.post({ type: 'error', id, kind, error: serializeError(error) }, []);
  }

  private post(message: FromWorker, transfer: Transferable[]): void {
    this.port.postMessage(message, transfer);
  }
}
