import { guardQuota } from './quota.ts';
import { commitWrites } from './transaction.ts';
import type { CheckpointRecord, RunRecord } from './records.ts';
import type { PunchlineDb } from './schema.ts';

export async function putRun(db: PunchlineDb, run: RunRecord): Promise<void> {
  await guardQuota(`training run "${run.id}"`, run.losses.length * 16, async () => {
    const tx = db.transaction('runs', 'readwrite');
    await commitWrites(tx, () => [tx.store.put(run)]);
  });
}

export async function getRun(db: PunchlineDb, id: string): Promise<RunRecord | undefined> {
  return db.get('runs', id);
}

export async function listRuns(db: PunchlineDb): Promise<RunRecord[]> {
  return db.getAll('runs');
}

export async function putCheckpoint(db: PunchlineDb, checkpoint: CheckpointRecord): Promise<void> {
  await guardQuota(
    `checkpoint ${checkpoint.step} of run "${checkpoint.runId}"`,
    checkpoint.state.byteLength,
    async () => {
      const tx = db.transaction('checkpoints', 'readwrite');
      await commitWrites(tx, () => [tx.store.put(checkpoint)]);
    },
  );
}

/** Checkpoints of one run, oldest first. */
export async function listCheckpoints(db: PunchlineDb, runId: string): Promise<CheckpointRecord[]> {
  const all = await db.getAllFromIndex('checkpoints', 'byRun', runId);
  return all.sort((a, b) => a.step - b.step);
}

/** Deletes a run and all its checkpoints together. */
export async function deleteRun(db: PunchlineDb, id: string): Promise<void> {
  const tx = db.transaction(['runs', 'checkpoints'], 'readwrite');
  const keys = await tx.objectStore('checkpoints').index('byRun').getAllKeys(id);
  await Promise.all([
    ...keys.map((key) => tx.objectStore('checkpoints').delete(key)),
    tx.objectStore('runs').delete(id),
  ]);
  await tx.done;
}
