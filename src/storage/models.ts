import { StorageIntegrityError } from './errors.ts';
import { sha256Hex } from './hash.ts';
import { guardQuota } from './quota.ts';
import { commitWrites } from './transaction.ts';
import type { ModelChunk, ModelFileEntry, ModelManifest } from './records.ts';
import type { PunchlineDb } from './schema.ts';

export const defaultChunkBytes = 4 * 1024 * 1024;

export interface ModelFileInput {
  name: string;
  bytes: ArrayBuffer;
}

export interface NewModel {
  id: string;
  name: string;
  source: string;
}

/**
 * Stores a model's files as content-addressed chunks plus a manifest, all in one transaction: either the whole
 * model is stored or nothing is. Hashing happens first because an IndexedDB transaction cannot wait on it.
 */
export async function putModel(
  db: PunchlineDb,
  model: NewModel,
  files: ModelFileInput[],
  chunkBytes = defaultChunkBytes,
): Promise<ModelManifest> {
  const entries: ModelFileEntry[] = [];
  const chunks = new Map<string, ModelChunk>();
  for (const file of files) {
    const hashes: string[] = [];
    const count = Math.max(1, Math.ceil(file.bytes.byteLength / chunkBytes));
    for (let index = 0; index < count; index += 1) {
      const bytes = file.bytes.slice(index * chunkBytes, (index + 1) * chunkBytes);
      const sha256 = await sha256Hex(bytes);
      chunks.set(sha256, { sha256, bytes });
      hashes.push(sha256);
    }
    entries.push({
      name: file.name,
      bytes: file.bytes.byteLength,
      sha256: await sha256Hex(file.bytes),
      chunks: hashes,
    });
  }
  const totalBytes = entries.reduce((sum, entry) => sum + entry.bytes, 0);
  const manifest: ModelManifest = { ...model, createdAt: Date.now(), totalBytes, files: entries };
  await guardQuota(`model "${model.name}"`, totalBytes, async () => {
    const tx = db.transaction(['modelChunks', 'models'], 'readwrite');
    await commitWrites(tx, () => [
      ...[...chunks.values()].map((chunk) => tx.objectStore('modelChunks').put(chunk)),
      tx.objectStore('models').put(manifest),
    ]);
  });
  return manifest;
}

export async function listModels(db: PunchlineDb): Promise<ModelManifest[]> {
  return db.getAll('models');
}

export async function getModel(db: PunchlineDb, id: string): Promise<ModelManifest | undefined> {
  return db.get('models', id);
}

/** Reassembles one file of a stored model. */
export async function readModelFile(
  db: PunchlineDb,
  modelId: string,
  fileName: string,
): Promise<ArrayBuffer> {
  const manifest = await db.get('models', modelId);
  const entry = manifest?.files.find((file) => file.name === fileName);
  if (!manifest || !entry) {
    throw new StorageIntegrityError(`Model "${modelId}" has no stored file "${fileName}".`, {
      modelId,
      fileName,
    });
  }
  const out = new Uint8Array(entry.bytes);
  let offset = 0;
  const tx = db.transaction('modelChunks');
  for (const hash of entry.chunks) {
    const chunk = await tx.store.get(hash);
    if (!chunk) {
      throw new StorageIntegrityError(
        `Model "${modelId}" file "${fileName}" is missing chunk ${hash}; delete and re-import the model.`,
        { modelId, fileName, chunk: hash },
      );
    }
    out.set(new Uint8Array(chunk.bytes), offset);
    offset += chunk.bytes.byteLength;
  }
  return out.buffer;
}

/** Deletes a manifest and every chunk no other model still refers to, in one transaction. */
export async function deleteModel(db: PunchlineDb, id: string): Promise<void> {
  const tx = db.transaction(['models', 'modelChunks'], 'readwrite');
  const models = tx.objectStore('models');
  const all = await models.getAll();
  const target = all.find((m) => m.id === id);
  if (target) {
    const stillUsed = new Set(
      all.filter((m) => m.id !== id).flatMap((m) => m.files.flatMap((f) => f.chunks)),
    );
    const orphans = new Set(target.files.flatMap((f) => f.chunks).filter((h) => !stillUsed.has(h)));
    await Promise.all([...orphans].map((hash) => tx.objectStore('modelChunks').delete(hash)));
    await models.delete(id);
  }
  await tx.done;
}

export interface ChunkCheck {
  modelId: string;
  fileName: string;
  chunk: string;
  bytes: number;
  ok: boolean;
}

/** Re-hashes every chunk of a model, calling back once per chunk; stops between chunks when the signal aborts. */
export async function verifyModel(
  db: PunchlineDb,
  modelId: string,
  onChunk: (check: ChunkCheck) => void,
  signal?: AbortSignal,
): Promise<{ chunks: number; bad: number; bytes: number }> {
  const manifest = await db.get('models', modelId);
  if (!manifest) throw new StorageIntegrityError(`No stored model "${modelId}".`, { modelId });
  let chunks = 0;
  let bad = 0;
  let bytes = 0;
  for (const file of manifest.files) {
    for (const hash of file.chunks) {
      signal?.throwIfAborted();
      const chunk = await db.get('modelChunks', hash);
      const ok = chunk !== undefined && (await sha256Hex(chunk.bytes)) === hash;
      const size = chunk?.bytes.byteLength ?? 0;
      chunks += 1;
      bytes += size;
      if (!ok) bad += 1;
      onChunk({ modelId, fileName: file.name, chunk: hash, bytes: size, ok });
    }
  }
  return { chunks, bad, bytes };
}
