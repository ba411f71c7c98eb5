import { StorageIntegrityError } from './errors.ts';
import { guardQuota } from './quota.ts';
import { commitWrites } from './transaction.ts';
import type { DatasetVersion } from './records.ts';
import type { PunchlineDb } from './schema.ts';

/** Adds a version; versions are never overwritten, so the original upload always stays recoverable. */
export async function addDatasetVersion(db: PunchlineDb, version: DatasetVersion): Promise<void> {
  if (version.parentId !== null && !(await db.get('datasets', version.parentId))) {
    throw new StorageIntegrityError(
      `Dataset version "${version.id}" names parent "${version.parentId}", which is not stored.`,
      { id: version.id, parentId: version.parentId },
    );
  }
  const size = version.rows.reduce((sum, row) => sum + row.text.length * 2, 0);
  await guardQuota(`dataset "${version.name}"`, size, async () => {
    const tx = db.transaction('datasets', 'readwrite');
    await commitWrites(tx, () => [tx.store.add(version)]);
  }).catch((error: unknown) => {
    if (error instanceof Error && error.name === 'ConstraintError') {
      throw new StorageIntegrityError(
        `Dataset version "${version.id}" already exists. Versions are immutable: save a change as a new version.`,
        { id: version.id },
      );
    }
    throw error;
  });
}

export async function getDatasetVersion(db: PunchlineDb, id: string): Promise<DatasetVersion | undefined> {
  return db.get('datasets', id);
}

export async function listDatasetVersions(db: PunchlineDb): Promise<DatasetVersion[]> {
  return db.getAll('datasets');
}

/** The chain from the given version back to its original import, newest first. */
export async function datasetLineage(db: PunchlineDb, id: string): Promise<DatasetVersion[]> {
  const chain: DatasetVersion[] = [];
  let next: string | null = id;
  while (next !== null) {
    const version: DatasetVersion | undefined = await db.get('datasets', next);
    if (!version) throw new StorageIntegrityError(`Dataset version "${next}" is not stored.`, { id: next });
    chain.push(version);
    next = version.parentId;
  }
  return chain;
}
