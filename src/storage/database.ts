import { openDB } from 'idb';
import { currentSchemaVersion, upgradeSteps, type PunchlineDb, type PunchlineSchema } from './schema.ts';

export const defaultDatabaseName = 'punchline';

export interface OpenOptions {
  name?: string;
  /** Open at an older schema version; only tests of the upgrade path need this. */
  version?: number;
}

export async function openDatabase(options: OpenOptions = {}): Promise<PunchlineDb> {
  const name = options.name ?? defaultDatabaseName;
  const version = options.version ?? currentSchemaVersion;
  const db = await openDB<PunchlineSchema>(name, version, {
    upgrade(upgrading, oldVersion, _newVersion, tx) {
      for (let step = oldVersion; step < version; step += 1) upgradeSteps[step]?.(upgrading, tx);
    },
    blocking() {
      // Another tab wants a newer schema: close so it can upgrade; this tab reopens on its next load.
      db.close();
    },
  });
  return db;
}
