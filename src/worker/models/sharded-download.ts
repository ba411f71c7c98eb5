/**
 * Downloads sharded weights named by model.safetensors.index.json into one model.safetensors. Each shard's
 * header is read first (the start of its response, then the request is cancelled), so the index and shards are
 * checked against each other before the bulk download and the merged file is allocated once at its final size;
 * each shard's bytes then stream straight to their places in it. Progress counts bytes over all shards.
 */
import { SafetensorsError } from '../../formats/safetensors-error.ts';
import {
  ShardScatter,
  SHARD_INDEX_FILE,
  allocateMerged,
  parseShardHeader,
  parseShardIndex,
  planShardMerge,
  shardHeaderEnd,
  type ShardHeader,
} from '../../formats/safetensors-shards.ts';
import { ModelImportError } from './imported-model.ts';
import type { OnImportProgress } from './model-sources.ts';

interface DownloadContext {
  fetchImpl: typeof fetch;
  signal: AbortSignal;
  onProgress: OnImportProgress;
}

async function open(url: string, shard: string, context: DownloadContext): Promise<Response> {
  const response = await context.fetchImpl(url, { signal: context.signal });
  if (!response.ok)
    throw new ModelImportError(
      url,
      `HTTP ${response.status}; ${SHARD_INDEX_FILE} names ${shard}, so the folder URL must serve it`,
    );
  return response;
}

/** Reads the response only until the safetensors header is complete, then cancels the rest. */
async function readHeader(
  url: string,
  shard: string,
  context: DownloadContext,
): Promise<{ header: ShardHeader; prefix: Uint8Array }> {
  const response = await open(url, shard, context);
  if (response.body === null) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    const header = parseShardHeader(bytes, shard);
    return { header, prefix: bytes.slice(0, header.dataStart) };
  }
  const reader = response.body.getReader();
  let prefix = new Uint8Array(0);
  let needed = 8;
  try {
    while (prefix.length < needed) {
      const { done, value } = await reader.read();
      if (done) break;
      const grown = new Uint8Array(prefix.length + value.length);
      grown.set(prefix);
      grown.set(value, prefix.length);
      prefix = grown;
      if (needed === 8 && prefix.length >= 8) needed = shardHeaderEnd(prefix, shard);
    }
  } finally {
    await reader.cancel();
  }
  prefix = prefix.slice(0, needed);
  return { header: parseShardHeader(prefix, shard), prefix };
}

async function streamShard(
  url: string,
  shard: string,
  scatter: ShardScatter,
  progress: { loaded: number; total: number },
  context: DownloadContext,
): Promise<void> {
  const response = await open(url, shard, context);
  const report = (length: number) => {
    progress.loaded += length;
    context.onProgress({
      phase: 'download',
      file: shard,
      loadedBytes: progress.loaded,
      totalBytes: progress.total,
    });
  };
  if (response.body === null) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    scatter.write(bytes);
    report(bytes.length);
  } else {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      scatter.write(value);
      report(value.length);
    }
  }
  scatter.finish();
}

export async function downloadShards(
  base: URL,
  indexBytes: Uint8Array,
  context: DownloadContext,
): Promise<Uint8Array> {
  try {
    const index = parseShardIndex(indexBytes, SHARD_INDEX_FILE);
    const headers = new Map<string, ShardHeader>();
    const prefixes = new Map<string, Uint8Array>();
    for (const shard of index.shards) {
      context.onProgress({ phase: 'download', file: shard, loadedBytes: 0, totalBytes: null });
      const { header, prefix } = await readHeader(new URL(shard, base).href, shard, context);
      headers.set(shard, header);
      prefixes.set(shard, prefix);
    }
    const plan = planShardMerge(index, headers);
    const merged = allocateMerged(plan);
    const progress = { loaded: 0, total: [...headers.values()].reduce((sum, h) => sum + h.fileSize, 0) };
    for (const shard of index.shards) {
      const header = headers.get(shard) as ShardHeader;
      const scatter = new ShardScatter(
        merged,
        plan.copies.get(shard) ?? [],
        prefixes.get(shard) as Uint8Array,
        header.fileSize,
        shard,
      );
      await streamShard(new URL(shard, base).href, shard, scatter, progress, context);
    }
    return merged;
  } catch (error) {
    if (error instanceof SafetensorsError) throw new ModelImportError(base.href, error.message);
    throw error;
  }
}
