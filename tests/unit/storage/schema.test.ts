import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import {
  addDatasetVersion,
  currentSchemaVersion,
  datasetLineage,
  getSettings,
  listModels,
  openDatabase,
  putModel,
  saveSettings,
} from '../../../src/storage/index.ts';

describe('schema upgrades', () => {
  test('a version 1 database upgrades in place, keeping its records and gaining the new stores', async () => {
    const name = `upgrade-${crypto.randomUUID()}`;
    const v1 = await openDatabase({ name, version: 1 });
    expect([...v1.objectStoreNames].sort()).toEqual(['modelChunks', 'models', 'settings']);
    await saveSettings(v1, { backendPreference: 'wasm' });
    await putModel(v1, { id: 'old', name: 'Old', source: 'test' }, [
      { name: 'w', bytes: new Uint8Array([1, 2, 3]).buffer },
    ]);
    v1.close();

    const current = await openDatabase({ name });
    expect(current.version).toBe(currentSchemaVersion);
    expect([...current.objectStoreNames].sort()).toEqual([
      'adapters',
      'checkpoints',
      'datasets',
      'history',
      'modelChunks',
      'models',
      'runs',
      'settings',
    ]);
    expect(await getSettings(current)).toEqual({ backendPreference: 'wasm' });
    expect((await listModels(current)).map((m) => m.id)).toEqual(['old']);
    current.close();
  });

  test('a version 2 database keeps its datasets through the upgrade', async () => {
    const name = `upgrade-${crypto.randomUUID()}`;
    const v2 = await openDatabase({ name, version: 2 });
    const row = { id: 1, line: 2, text: 'Why did the cat sit on the computer?', label: 'funny', extra: {} };
    await addDatasetVersion(v2, {
      id: 'd1',
      name: 'cats.csv',
      parentId: null,
      createdAt: 1,
      change: { kind: 'import', fileName: 'cats.csv' },
      rows: [row],
    });
    v2.close();
    const current = await openDatabase({ name });
    expect((await datasetLineage(current, 'd1')).map((v) => v.rows[0]?.text)).toEqual([row.text]);
    current.close();
  });
});
