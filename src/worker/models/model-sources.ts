/**
 * Where an imported model's files come from: a dragged-in or picked folder, a GGUF file (converted here, in the
 * worker, into a Hugging Face folder), or a URL prefix (a Hugging Face resolve URL or any static host). Each ends
 * in validateImportedModel.
 */
import { ggufToHfFolder } from '../../formats/gguf/hf-folder.ts';
import { parseGguf } from '../../formats/gguf/reader.ts';
import {
  SHARD_INDEX_FILE,
  isShardFileName,
  mergeShardPieces,
  parseShardIndex,
  type RandomAccessShard,
} from '../../formats/safetensors-shards.ts';
import {
  MODEL_FILES,
  ModelImportError,
  OPTIONAL_FILES,
  validateImportedModel,
  type ImportedModel,
} from './imported-model.ts';
import { downloadShards } from './sharded-download.ts';

export interface ImportProgress {
  phase: 'read' | 'download' | 'convert' | 'validate';
  file: string | null;
  loadedBytes: number;
  totalBytes: number | null;
}
export type OnImportProgress = (progress: ImportProgress) => void;

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * Entries keyed by file name. Two files with the same name from different sub-folders are refused rather than
 * guessed between.
 */
function byName<T>(entries: readonly { path: string; value: T }[], folderName: string): Map<string, T> {
  const files = new Map<string, T>();
  for (const { path, value } of entries) {
    const name = baseName(path);
    if (files.has(name))
      throw new ModelImportError(
        folderName,
        `two files are named ${name}; pick the folder that holds one model`,
      );
    files.set(name, value);
  }
  return files;
}

/** Files picked from a folder (webkitRelativePath "smollm2/config.json") or dropped one by one, already read. */
export function importFolder(
  entries: readonly { path: string; bytes: Uint8Array }[],
  folderName: string,
): ImportedModel {
  const files = byName(
    entries.map(({ path, bytes }) => ({ path, value: bytes })),
    folderName,
  );
  return validateImportedModel(files, folderName, folderName);
}

/**
 * The same from unread Files: only the files a model needs are read, and sharded weights are read tensor by
 * tensor into the merged model.safetensors, so the shards are never held beside it.
 */
export async function importFolderFiles(
  entries: readonly { path: string; file: Blob }[],
  folderName: string,
): Promise<ImportedModel> {
  const blobs = byName(
    entries.map(({ path, file }) => ({ path, value: file })),
    folderName,
  );
  const merging = blobs.has(SHARD_INDEX_FILE) && !blobs.has('model.safetensors');
  const wanted = new Set<string>([...MODEL_FILES, ...OPTIONAL_FILES, SHARD_INDEX_FILE]);
  const files = new Map<string, Uint8Array>();
  for (const [name, blob] of blobs) {
    // Unmerged shard files matter only by name: validateImportedModel refuses shards without their index.
    if (isShardFileName(name)) files.set(name, new Uint8Array(0));
    else if (wanted.has(name)) files.set(name, new Uint8Array(await blob.arrayBuffer()));
  }
  if (!merging) return validateImportedModel(files, folderName, folderName);
  let merged: Uint8Array;
  try {
    const index = parseShardIndex(files.get(SHARD_INDEX_FILE) as Uint8Array, SHARD_INDEX_FILE);
    const shards = new Map<string, RandomAccessShard>();
    for (const name of index.shards) {
      const blob = blobs.get(name);
      if (blob !== undefined)
        shards.set(name, {
          size: blob.size,
          read: async (offset, length) =>
            new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
        });
    }
    merged = await mergeShardPieces(index, shards, [...blobs.keys()].filter(isShardFileName));
  } catch (error) {
    throw new ModelImportError(folderName, (error as Error).message);
  }
  const weights = new Map([...files].filter(([name]) => name !== SHARD_INDEX_FILE && !isShardFileName(name)));
  weights.set('model.safetensors', merged);
  return validateImportedModel(weights, folderName, folderName);
}

/** A Llama GGUF (llama.cpp, Ollama): dequantised to float32 and rebuilt as a Hugging Face folder. */
export function importGguf(bytes: Uint8Array, fileName: string, onProgress: OnImportProgress): ImportedModel {
  onProgress({ phase: 'convert', file: fileName, loadedBytes: 0, totalBytes: bytes.length });
  const folder = ggufToHfFolder(parseGguf(bytes, fileName), { sourceName: fileName });
  onProgress({ phase: 'convert', file: fileName, loadedBytes: bytes.length, totalBytes: bytes.length });
  onProgress({ phase: 'validate', file: null, loadedBytes: 0, totalBytes: null });
  return validateImportedModel(
    new Map(Object.entries(folder.files)),
    fileName,
    fileName.replace(/\.gguf$/i, ''),
  );
}

async function download(
  url: string,
  fetchImpl: typeof fetch,
  signal: AbortSignal,
  onProgress: OnImportProgress,
  required: boolean,
): Promise<Uint8Array | null> {
  const response = await fetchImpl(url, { signal });
  if (!response.ok) {
    if (!required && response.status === 404) return null;
    throw new ModelImportError(
      url,
      `HTTP ${response.status}; the folder URL must serve ${baseName(new URL(url).pathname)}`,
    );
  }
  const total = Number(response.headers.get('content-length')) || null;
  const file = baseName(new URL(url).pathname);
  if (response.body === null) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress({ phase: 'download', file, loadedBytes: loaded, totalBytes: total });
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** model.safetensors, or else model.safetensors.index.json and the shards it names, merged. */
async function downloadWeights(
  base: URL,
  fetchImpl: typeof fetch,
  signal: AbortSignal,
  onProgress: OnImportProgress,
): Promise<Uint8Array> {
  const single = await download(
    new URL('model.safetensors', base).href,
    fetchImpl,
    signal,
    onProgress,
    false,
  );
  if (single !== null) return single;
  const index = await download(new URL(SHARD_INDEX_FILE, base).href, fetchImpl, signal, onProgress, false);
  if (index === null)
    throw new ModelImportError(
      base.href,
      `HTTP 404 for both model.safetensors and ${SHARD_INDEX_FILE}; the folder URL must serve the weights`,
    );
  return downloadShards(base, index, { fetchImpl, signal, onProgress });
}

/**
 * `folderUrl` is the prefix the files sit under, e.g. https://huggingface.co/ORG/NAME/resolve/main/ or
 * http://127.0.0.1:8000/smollm2/. Nothing else is requested; sharded weights are fetched when model.safetensors
 * is not served (HTTP 404).
 */
export async function importFromUrl(
  folderUrl: string,
  options: { fetchImpl?: typeof fetch; signal?: AbortSignal; onProgress: OnImportProgress },
): Promise<ImportedModel> {
  let base: URL;
  try {
    base = new URL(folderUrl.endsWith('/') ? folderUrl : `${folderUrl}/`);
  } catch {
    throw new ModelImportError(folderUrl, 'not a URL; give the address of the folder that holds config.json');
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    throw new ModelImportError(folderUrl, `${base.protocol} URLs are not supported; use http(s)`);
  const fetchImpl = options.fetchImpl ?? fetch;
  const signal = options.signal ?? new AbortController().signal;
  const files = new Map<string, Uint8Array>();
  for (const name of [...MODEL_FILES, 'README.md', 'generation_config.json']) {
    if (name === 'model.safetensors') {
      files.set(name, await downloadWeights(base, fetchImpl, signal, options.onProgress));
      continue;
    }
    const required = (MODEL_FILES as readonly string[]).includes(name);
    const bytes = await download(new URL(name, base).href, fetchImpl, signal, options.onProgress, required);
    if (bytes !== null) files.set(name, bytes);
  }
  options.onProgress({ phase: 'validate', file: null, loadedBytes: 0, totalBytes: null });
  const name =
    base.pathname
      .split('/')
      .filter((p) => p !== '' && p !== 'resolve' && p !== 'main')
      .pop() ?? base.host;
  return validateImportedModel(files, base.href, name);
}
