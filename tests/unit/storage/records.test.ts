import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  addDatasetVersion,
  addHistory,
  datasetLineage,
  deleteRun,
  listCheckpoints,
  openDatabase,
  putCheckpoint,
  putRun,
  recentHistory,
  type DatasetVersion,
  type PunchlineDb,
} from '../../../src/storage/index.ts';

let db: PunchlineDb;
beforeEach(async () => {
  db = await openDatabase({ name: `records-${crypto.randomUUID()}` });
});
afterEach(() => db.close());

const rows = [
  { id: 1, line: 2, text: 'A joke', label: 'funny', extra: {} },
  { id: 2, line: 3, text: 'A joke', label: 'not funny', extra: {} },
];

function version(id: string, parentId: string | null, kept: typeof rows): DatasetVersion {
  const change: DatasetVersion['change'] =
    parentId === null
      ? { kind: 'import', fileName: 'jokes.csv' }
      : { kind: 'fix', summary: 'drop duplicate', removedRowIds: [2], relabeled: [] };
  return { id, name: 'jokes.csv', parentId, createdAt: Date.now(), change, rows: kept };
}

describe('datasets are immutable versions', () => {
  test('a fix is a new version pointing at its parent; the original is untouched', async () => {
    await addDatasetVersion(db, version('v1', null, rows));
    await addDatasetVersion(db, version('v2', 'v1', rows.slice(0, 1)));
    const lineage = await datasetLineage(db, 'v2');
    expect(lineage.map((v) => [v.id, v.rows.length, v.change.kind])).toEqual([
      ['v2', 1, 'fix'],
      ['v1', 2, 'import'],
    ]);
  });

  test('overwriting a version or naming a missing parent is refused with the reason', async () => {
    await addDatasetVersion(db, version('v1', null, rows));
    await expect(addDatasetVersion(db, version('v1', null, []))).rejects.toThrow(
      /"v1" already exists\. Versions are immutable/,
    );
    expect((await datasetLineage(db, 'v1'))[0]?.rows).toHaveLength(2);
    await expect(addDatasetVersion(db, version('v3', 'ghost', []))).rejects.toThrow(
      /names parent "ghost", which is not stored/,
    );
  });
});

describe('runs and history', () => {
  test('checkpoints list in step order and go away with their run', async () => {
    await putRun(db, {
      id: 'r',
      modelId: 'm',
      datasetId: 'v1',
      adapterId: null,
      createdAt: 1,
      status: 'running',
      config: { lr: 1e-3 },
      losses: [],
    });
    for (const step of [20, 5, 10])
      await putCheckpoint(db, { runId: 'r', step, createdAt: step, state: new ArrayBuffer(step) });
    expect((await listCheckpoints(db, 'r')).map((c) => c.step)).toEqual([5, 10, 20]);
    await deleteRun(db, 'r');
    expect(await listCheckpoints(db, 'r')).toEqual([]);
    expect(await db.count('runs')).toBe(0);
  });

  test('recent history comes newest first, limited', async () => {
    for (const t of [3, 1, 2])
      await addHistory(db, { createdAt: t, modelId: 'm', adapterId: null, prompt: `p${t}`, output: `o${t}` });
    expect((await recentHistory(db, 2)).map((h) => h.prompt)).toEqual(['p3', 'p2']);
  });
});
