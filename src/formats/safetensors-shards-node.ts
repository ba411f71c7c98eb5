/**
 * Node: a Hugging Face model folder's weights as one safetensors file, whether the folder holds
 * model.safetensors or model.safetensors.index.json with its shards. Shards are read tensor by tensor straight
 * into the merged buffer, so only one copy of the weights is ever held.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseSafetensors, type SafetensorsFile, type SafetensorsHeader } from './safetensors.ts';
import { SafetensorsError } from './safetensors-error.ts';
import {
  SHARD_INDEX_FILE,
  allocateMerged,
  isShardFileName,
  parseShardHeader,
  parseShardIndex,
  planShardMerge,
  shardHeaderEnd,
} from './safetensors-shards.ts';

function readAt(fd: number, target: Uint8Array, position: number, label: string): void {
  let done = 0;
  while (done < target.length) {
    const read = readSync(fd, target, done, target.length - done, position + done);
    if (read === 0)
      throw new SafetensorsError(label, null, `ends at byte ${position + done}; the file is truncated`);
    done += read;
  }
}

function readShardHeader(fd: number, path: string): SafetensorsHeader {
  const lengthPrefix = new Uint8Array(8);
  readAt(fd, lengthPrefix, 0, path);
  const prefix = new Uint8Array(shardHeaderEnd(lengthPrefix, path));
  readAt(fd, prefix, 0, path);
  const header = parseShardHeader(prefix, path);
  const size = statSync(path).size;
  if (size !== header.fileSize)
    throw new SafetensorsError(
      path,
      null,
      `is ${size} bytes but its header describes ${header.fileSize} (truncated or trailing bytes)`,
    );
  return header;
}

/** The folder's weights; the label of a merged file is the index's path. */
export function readModelSafetensors(dir: string): SafetensorsFile {
  const single = join(dir, 'model.safetensors');
  if (existsSync(single)) return parseSafetensors(new Uint8Array(readFileSync(single)), single);
  const indexPath = join(dir, SHARD_INDEX_FILE);
  if (!existsSync(indexPath))
    throw new SafetensorsError(
      dir,
      null,
      `has neither model.safetensors nor ${SHARD_INDEX_FILE}; a model folder needs its weights`,
    );
  const index = parseShardIndex(new Uint8Array(readFileSync(indexPath)), indexPath);
  const descriptors = new Map<string, number>();
  try {
    const headers = new Map<string, SafetensorsHeader>();
    for (const shard of index.shards) {
      const path = join(dir, shard);
      if (!existsSync(path)) continue;
      const fd = openSync(path, 'r');
      descriptors.set(shard, fd);
      headers.set(shard, readShardHeader(fd, path));
    }
    const unnamed = readdirSync(dir).filter(isShardFileName);
    const plan = planShardMerge(index, headers, unnamed);
    const merged = allocateMerged(plan);
    for (const [shard, copies] of plan.copies)
      for (const c of copies)
        readAt(
          descriptors.get(shard) as number,
          merged.subarray(c.targetOffset, c.targetOffset + c.byteLength),
          c.sourceOffset,
          join(dir, shard),
        );
    return parseSafetensors(merged, indexPath);
  } finally {
    for (const fd of descriptors.values()) closeSync(fd);
  }
}
