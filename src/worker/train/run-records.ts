/** Training runs in IndexedDB: the run record (settings, status, losses) and its checkpoints. */
import { DEFAULT_TRAIN_CONFIG, resolveTrainConfig, type TrainConfig } from '../../train/config.ts';
import type { CheckpointStore } from '../../train/checkpoint.ts';
import {
  getRun,
  listCheckpoints,
  listRuns,
  putCheckpoint,
  putRun,
  type PunchlineDb,
  type RunRecord,
} from '../../storage/index.ts';
import { WorkerError } from '../errors.ts';
import type { UnfinishedRun } from './requests.ts';

export function flattenConfig(config: TrainConfig): Record<string, number | string | boolean> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.join(',') : (v as number | string | boolean),
    ]),
  );
}

export function configOfRun(run: RunRecord): TrainConfig {
  const raw: Record<string, unknown> = { ...run.config };
  if (typeof raw.targets === 'string') raw.targets = raw.targets.split(',');
  for (const key of Object.keys(raw)) if (!(key in DEFAULT_TRAIN_CONFIG)) delete raw[key];
  return resolveTrainConfig(raw as Partial<TrainConfig>);
}

export async function runOrFail(db: PunchlineDb, id: string): Promise<RunRecord> {
  const run = await getRun(db, id);
  if (!run) throw new WorkerError('RunNotFound', `No training run has the id "${id}".`);
  return run;
}

export async function latestCheckpoint(db: PunchlineDb, runId: string): Promise<Uint8Array | null> {
  const last = (await listCheckpoints(db, runId)).at(-1);
  return last ? new Uint8Array(last.state) : null;
}

/** Each checkpoint is stored with the run's loss history, so a reload shows the curve so far. */
export function indexedDbCheckpoints(
  db: PunchlineDb,
  run: RunRecord,
  losses: () => { step: number; loss: number }[],
): CheckpointStore {
  return {
    async save(step, bytes) {
      await putCheckpoint(db, { runId: run.id, step, createdAt: Date.now(), state: bytes.slice().buffer });
      run.losses = losses();
      await putRun(db, run);
    },
  };
}

export async function unfinishedRuns(db: PunchlineDb): Promise<UnfinishedRun[]> {
  const runs = (await listRuns(db)).filter((r) => r.status === 'running' || r.status === 'paused');
  const result: UnfinishedRun[] = [];
  for (const run of runs) {
    const last = (await listCheckpoints(db, run.id)).at(-1);
    if (!last) continue;
    result.push({
      runId: run.id,
      modelId: run.modelId,
      datasetVersionId: run.datasetId,
      status: run.status as 'running' | 'paused',
      step: last.step,
      createdAt: run.createdAt,
      task: String(run.config.task),
    });
  }
  return result.sort((a, b) => b.createdAt - a.createdAt);
}
