import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BackendReport } from '../../../src/runtime/backend.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import {
  addDatasetVersion,
  getAdapter,
  getRun,
  openDatabase,
  putModel,
  type PunchlineDb,
} from '../../../src/storage/index.ts';
import { TrainService } from '../../../src/worker/train/train-service.ts';
import type { TrainEvent, TrainPayload } from '../../../src/worker/train/requests.ts';
import { tinyModelFiles } from '../generate/tiny-model.ts';
import { fixtureRows } from './helpers.ts';

const report: BackendReport = {
  backend: 'wasm',
  label: 'WASM, 1 thread',
  reason: 'test',
  webgpu: null,
  wasmThreads: 1,
  crossOriginIsolated: false,
  ortVersion: '1.30.0',
  checkMs: 0,
};

let db: PunchlineDb;
let service: TrainService;

beforeEach(async () => {
  db = await openDatabase({ name: `train-${crypto.randomUUID()}` });
  const files = [...tinyModelFiles()].map(([name, bytes]) => ({ name, bytes }));
  await putModel(db, { id: 'tiny', name: 'tiny', source: 'test' }, files);
  await addDatasetVersion(db, {
    id: 'v1',
    name: 'labeled-jokes.csv',
    parentId: null,
    createdAt: 1,
    change: { kind: 'import', fileName: 'labeled-jokes.csv' },
    rows: fixtureRows().map((r, i) => ({ id: i, line: i + 2, text: r.text, label: r.label, extra: {} })),
  });
  service = new TrainService(
    async () => db,
    async () => report,
    nodeRuntime,
  );
});

const payload: TrainPayload = {
  modelId: 'tiny',
  datasetVersionId: 'v1',
  config: { steps: 8, batchSize: 4, maxSeqLength: 32, evalEvery: 4, checkpointEvery: 2, learningRate: 0.02 },
};

function job(onEvent: (event: TrainEvent) => void = () => {}) {
  const controller = new AbortController();
  return {
    controller,
    context: {
      signal: controller.signal,
      checkpoint: async () => {},
      progress: (event: TrainEvent) => onEvent(event),
    },
  };
}

describe('TrainService over IndexedDB', () => {
  it('trains, stores the adapter and the finished run', async () => {
    const summary = await service.train(payload, job().context);
    expect(summary.status).toBe('finished');
    expect(summary.losses.map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const adapter = await getAdapter(db, summary.adapterId as string);
    expect(adapter?.baseModelId).toBe('tiny');
    expect(adapter?.config['task_type']).toBe('CAUSAL_LM');
    expect(adapter?.config['target_modules']).toEqual(
      expect.arrayContaining(['q_proj', 'k_proj', 'v_proj', 'o_proj']),
    );
    expect((await getRun(db, summary.runId))?.status).toBe('finished');
    expect(await service.unfinished()).toEqual([]);
  });

  it('offers a cancelled-by-reload run for resumption and continues it with the same loss curve', async () => {
    const whole = await service.train(payload, job().context);
    const { controller, context } = job((event) => {
      if (event.kind === 'step' && event.step === 5) controller.abort();
    });
    await expect(service.train(payload, context)).rejects.toThrow(/cancelled/);
    // A cancelled run keeps its checkpoints but is not "unfinished"; a reload leaves the record "running".
    const [runId] = (await db.getAll('runs')).filter((r) => r.status === 'cancelled').map((r) => r.id);
    const run = (await getRun(db, runId as string))!;
    await db.put('runs', { ...run, status: 'running' });
    const unfinished = await service.unfinished();
    expect(unfinished).toHaveLength(1);
    expect(unfinished[0]?.step).toBe(5);
    const resumed = await service.train({ ...payload, resumeRunId: runId }, job().context);
    expect(resumed.status).toBe('finished');
    expect(resumed.losses).toEqual(whole.losses);
  });

  it('refuses a configuration that does not fit the WebGPU limits, with a suggestion', async () => {
    const gpu = new TrainService(
      async () => db,
      async () => ({
        ...report,
        backend: 'webgpu',
        webgpu: {
          vendor: 'test',
          architecture: '',
          description: '',
          isFallbackAdapter: true,
          features: [],
          shaderF16: false,
          limits: {
            maxBufferSize: 8 * 2 ** 20,
            maxStorageBufferBindingSize: 8 * 2 ** 20,
            maxComputeWorkgroupStorageSize: 16384,
            maxComputeInvocationsPerWorkgroup: 256,
          },
        },
      }),
      nodeRuntime,
    );
    const estimate = await gpu.estimate({
      ...payload,
      config: { ...payload.config, batchSize: 32, maxSeqLength: 64 },
    });
    expect(estimate.feasibility.ok).toBe(false);
    expect(estimate.feasibility.reason).toMatch(/logits/);
    expect(estimate.feasibility.suggestion).toBe(
      'use batch size 2 with gradient accumulation 16 (same effective batch)',
    );
    await expect(
      gpu.train(
        { ...payload, config: { ...payload.config, batchSize: 32, maxSeqLength: 64 } },
        job().context,
      ),
    ).rejects.toThrow(/does not fit|needs .* in one buffer/);
  });
});
