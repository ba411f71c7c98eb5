/**
 * Where a model's files come from: IndexedDB when the model is stored, otherwise its folder on our own origin,
 * which is then stored (chunked by content hash) so later loads need no network.
 */
import {
  deleteModel,
  getModel,
  putModel,
  readModelFile,
  sha256Hex,
  StorageQuotaError,
  type ModelManifest,
  type PunchlineDb,
} from '../../storage/index.ts';
import { WorkerError } from '../errors.ts';
import type { LoadProgress } from './types.ts';

export const REQUIRED_FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];
/** Read when present: the model card. */
export const OPTIONAL_FILES = ['README.md'];

export interface ModelFiles {
  manifest: ModelManifest;
  files: Map<string, ArrayBuffer>;
  source: 'network' | 'storage';
  /** Why the downloaded files could not be kept in IndexedDB (quota), or null. */
  storeError: string | null;
}

type OnProgress = (progress: LoadProgress) => void;

/** The files of a stored model, or of the folder when it is not stored (or `refresh` asks for a new copy). */
export async function obtainModelFiles(
  db: PunchlineDb,
  modelId: string,
  folderUrl: string,
  options: { refresh: boolean; signal: AbortSignal; onProgress: OnProgress; fetchImpl?: typeof fetch },
): Promise<ModelFiles> {
  const stored = options.refresh ? undefined : await getModel(db, modelId);
  if (stored && REQUIRED_FILES.every((name) => stored.files.some((f) => f.name === name))) {
    return {
      manifest: stored,
      files: await readStored(db, stored, options.onProgress),
      source: 'storage',
      storeError: null,
    };
  }
  const fetched = await downloadFolder(
    folderUrl,
    options.signal,
    options.onProgress,
    options.fetchImpl ?? fetch,
  );
  options.signal.throwIfAborted();
  const total = [...fetched.values()].reduce((sum, bytes) => sum + bytes.byteLength, 0);
  options.onProgress({ phase: 'store', file: null, loadedBytes: 0, totalBytes: total });
  const inputs = [...fetched].map(([name, bytes]) => ({ name, bytes }));
  let manifest: ModelManifest;
  let storeError: string | null = null;
  try {
    if (stored || options.refresh) await deleteModel(db, modelId);
    // putModel keeps the buffers it is given (chunks are slices), so the originals stay usable here.
    manifest = await putModel(db, { id: modelId, name: modelId, source: folderUrl }, inputs);
  } catch (error) {
    if (!(error instanceof StorageQuotaError)) throw error;
    // The model still runs from memory this time; only the offline copy is missing.
    storeError = error.message;
    manifest = await unstoredManifest(modelId, folderUrl, inputs);
  }
  options.onProgress({ phase: 'store', file: null, loadedBytes: total, totalBytes: total });
  return { manifest, files: fetched, source: 'network', storeError };
}

/** A manifest for files that could not be stored: sizes and whole-file hashes, no chunks. */
async function unstoredManifest(
  id: string,
  source: string,
  files: { name: string; bytes: ArrayBuffer }[],
): Promise<ModelManifest> {
  const entries = [];
  for (const { name, bytes } of files)
    entries.push({ name, bytes: bytes.byteLength, sha256: await sha256Hex(bytes), chunks: [] });
  return {
    id,
    name: id,
    source,
    createdAt: Date.now(),
    totalBytes: entries.reduce((sum, e) => sum + e.bytes, 0),
    files: entries,
  };
}

async function readStored(
  db: PunchlineDb,
  manifest: ModelManifest,
  onProgress: OnProgress,
): Promise<Map<string, ArrayBuffer>> {
  const files = new Map<string, ArrayBuffer>();
  let loaded = 0;
  for (const entry of manifest.files) {
    onProgress({ phase: 'read', file: entry.name, loadedBytes: loaded, totalBytes: manifest.totalBytes });
    files.set(entry.name, await readModelFile(db, manifest.id, entry.name));
    loaded += entry.bytes;
  }
  onProgress({ phase: 'read', file: null, loadedBytes: loaded, totalBytes: manifest.totalBytes });
  return files;
}

async function downloadFolder(
  folderUrl: string,
  signal: AbortSignal,
  onProgress: OnProgress,
  fetchImpl: typeof fetch,
): Promise<Map<string, ArrayBuffer>> {
  const base = folderUrl.endsWith('/') ? folderUrl : `${folderUrl}/`;
  const responses = new Map<string, Response>();
  for (const name of [...REQUIRED_FILES, ...OPTIONAL_FILES]) {
    const url = `${base}${name}`;
    let response: Response;
    try {
      response = await fetchImpl(url, { signal });
    } catch (error) {
      signal.throwIfAborted();
      throw new WorkerError(
        'ModelUnavailable',
        `Could not read ${url}: ${(error as Error).message}. The model is not stored in this browser yet, so ` +
          'the first load needs the app’s own server.',
        { url },
      );
    }
    if (!response.ok) {
      if (OPTIONAL_FILES.includes(name)) continue;
      throw new WorkerError(
        'ModelUnavailable',
        `${url} answered HTTP ${response.status}: the model folder must hold ${REQUIRED_FILES.join(', ')}.` +
          (name === 'model.safetensors' || name === 'config.json'
            ? ' The weights come from `npx tsx tools/pretrain.ts --export`.'
            : ''),
        { url, status: response.status },
      );
    }
    responses.set(name, response);
  }
  // A compressed response's Content-Length counts compressed bytes, so those files add what was actually read.
  const declared = new Map(
    [...responses].map(([name, r]) => {
      const length = Number(r.headers.get('content-length') ?? NaN);
      return [name, r.headers.get('content-encoding') || !Number.isFinite(length) ? null : length];
    }),
  );
  const read = new Map<string, number>();
  const total = () => [...declared].reduce((sum, [name, size]) => sum + (size ?? read.get(name) ?? 0), 0);
  const files = new Map<string, ArrayBuffer>();
  let loaded = 0;
  for (const [name, response] of responses) {
    const bytes = await readBody(response, (chunkBytes) => {
      loaded += chunkBytes;
      read.set(name, (read.get(name) ?? 0) + chunkBytes);
      onProgress({ phase: 'download', file: name, loadedBytes: loaded, totalBytes: total() });
    });
    files.set(name, bytes);
  }
  return files;
}

async function readBody(response: Response, onChunk: (bytes: number) => void): Promise<ArrayBuffer> {
  if (!response.body) {
    const bytes = await response.arrayBuffer();
    onChunk(bytes.byteLength);
    return bytes;
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.byteLength;
    onChunk(value.byteLength);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out.buffer;
}
