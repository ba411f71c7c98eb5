import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  deleteModel,
  listModels,
  openDatabase,
  putModel,
  putAdapter,
  readModelFile,
  sha256Hex,
  StorageQuotaError,
  verifyModel,
  type PunchlineDb,
} from '../../../src/storage/index.ts';
import { limitStoredBytes } from './quota-injection.ts';

let db: PunchlineDb;
beforeEach(async () => {
  db = await openDatabase({ name: `models-${crypto.randomUUID()}` });
});
afterEach(() => db.close());

function pattern(length: number, seed: number): ArrayBuffer {
  return new Uint8Array(length).map((_, i) => (i * 7 + seed * 13) % 256).buffer;
}

describe('chunked model storage', () => {
  test('a file split into chunks reads back byte for byte', async () => {
    const weights = pattern(3500, 1);
    const config = new TextEncoder().encode('{"n_layer":2}').buffer as ArrayBuffer;
    const manifest = await putModel(
      db,
      { id: 'tiny', name: 'Tiny', source: 'test' },
      [
        { name: 'model.safetensors', bytes: weights },
        { name: 'config.json', bytes: config },
      ],
      1000,
    );
    const entry = manifest.files[0]!;
    expect(entry.chunks).toHaveLength(4);
    expect(entry.sha256).toBe(await sha256Hex(weights));
    expect(manifest.totalBytes).toBe(3500 + 13);
    expect(new Uint8Array(await readModelFile(db, 'tiny', 'model.safetensors'))).toEqual(
      new Uint8Array(weights),
    );
    expect(new TextDecoder().decode(await readModelFile(db, 'tiny', 'config.json'))).toBe('{"n_layer":2}');
    // Each chunk is keyed by the SHA-256 of its own bytes.
    const first = await db.get('modelChunks', entry.chunks[0]!);
    expect(await sha256Hex(first!.bytes)).toBe(entry.chunks[0]);
    expect(first!.bytes.byteLength).toBe(1000);
  });

  test('identical chunks are stored once and survive deleting one of the models that share them', async () => {
    const shared = pattern(2000, 2);
    await putModel(db, { id: 'a', name: 'A', source: 'test' }, [{ name: 'w', bytes: shared }], 1000);
    await putModel(
      db,
      { id: 'b', name: 'B', source: 'test' },
      [{ name: 'w', bytes: shared.slice(0, 1000) }],
      1000,
    );
    expect(await db.count('modelChunks')).toBe(2);
    await deleteModel(db, 'a');
    expect(await db.count('modelChunks')).toBe(1);
    expect(new Uint8Array(await readModelFile(db, 'b', 'w'))).toEqual(new Uint8Array(shared.slice(0, 1000)));
    await deleteModel(db, 'b');
    expect(await db.count('modelChunks')).toBe(0);
  });

  test('verification finds a corrupted chunk', async () => {
    const manifest = await putModel(
      db,
      { id: 'm', name: 'M', source: 'test' },
      [{ name: 'w', bytes: pattern(3000, 3) }],
      1000,
    );
    const victim = manifest.files[0]!.chunks[1]!;
    await db.put('modelChunks', { sha256: victim, bytes: pattern(1000, 9) });
    const bad: string[] = [];
    const result = await verifyModel(db, 'm', (check) => !check.ok && bad.push(check.chunk));
    expect(result).toEqual({ chunks: 3, bad: 1, bytes: 3000 });
    expect(bad).toEqual([victim]);
  });

  test('reading a file whose chunk is gone says which model, file and chunk', async () => {
    const manifest = await putModel(
      db,
      { id: 'm', name: 'M', source: 'test' },
      [{ name: 'w', bytes: pattern(1500, 4) }],
      1000,
    );
    await db.delete('modelChunks', manifest.files[0]!.chunks[1]!);
    await expect(readModelFile(db, 'm', 'w')).rejects.toThrow(
      /Model "m" file "w" is missing chunk [0-9a-f]{64}; delete and re-import/,
    );
  });
});

describe('quota failures', () => {
  let restore: (() => void) | null = null;
  afterEach(() => restore?.());

  test('a model that does not fit leaves no manifest and no chunk, and earlier models stay intact', async () => {
    await putModel(
      db,
      { id: 'small', name: 'Small', source: 'test' },
      [{ name: 'w', bytes: pattern(500, 5) }],
      1000,
    );
    restore = limitStoredBytes(4000);
    const error = await putModel(
      db,
      { id: 'big', name: 'Big', source: 'test' },
      [{ name: 'w', bytes: pattern(10_000, 6) }],
      1000,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageQuotaError);
    expect((error as StorageQuotaError).message).toMatch(
      /^Not enough browser storage to save model "Big" \(needs 9\.8 KB.*Nothing was saved\./,
    );
    expect((error as StorageQuotaError).details).toMatchObject({ what: 'model "Big"', bytesNeeded: 10_000 });
    restore();
    restore = null;
    expect((await listModels(db)).map((m) => m.id)).toEqual(['small']);
    expect(await db.count('modelChunks')).toBe(1);
    expect(new Uint8Array(await readModelFile(db, 'small', 'w'))).toEqual(new Uint8Array(pattern(500, 5)));
  });

  test('an adapter that does not fit is not stored', async () => {
    restore = limitStoredBytes(100);
    const adapter = {
      id: 'ad',
      name: 'Cats',
      baseModelId: 'tiny',
      createdAt: 1,
      rank: 4,
      alpha: 8,
      targetModules: ['c_attn'],
      weights: pattern(5000, 7),
      config: { r: 4 },
    };
    await expect(putAdapter(db, adapter)).rejects.toBeInstanceOf(StorageQuotaError);
    expect(await db.count('adapters')).toBe(0);
  });
});
