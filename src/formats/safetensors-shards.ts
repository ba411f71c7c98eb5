/**
 * Hugging Face sharded weights: model.safetensors.index.json ("weight_map": tensor name → shard file) and the
 * shards it names, merged into one safetensors file. The merge is planned from the shards' headers alone, so a
 * caller copies each tensor's bytes straight into one pre-sized buffer (from memory, a file or a download
 * stream) instead of holding the shards and a second, merged copy of them.
 */
import { dtypeByteSize } from './dtype.ts';
import { MAX_HEADER_BYTES, parseSafetensorsHeader, type SafetensorsHeader } from './safetensors.ts';
import { SafetensorsError } from './safetensors-error.ts';

export const SHARD_INDEX_FILE = 'model.safetensors.index.json';

/** The names transformers gives shards: model-00001-of-00003.safetensors. */
export const isShardFileName = (name: string): boolean => /^.+-\d+-of-\d+\.safetensors$/.test(name);

export interface ShardIndex {
  label: string;
  /** Tensor name → shard file name. */
  weightMap: ReadonlyMap<string, string>;
  /** Every shard the index names, sorted. */
  shards: string[];
}

export interface ShardHeader extends SafetensorsHeader {
  /** The shard's full size: header plus data. */
  fileSize: number;
}

export interface ShardCopy {
  tensor: string;
  /** Absolute offsets in the shard and in the merged file. */
  sourceOffset: number;
  targetOffset: number;
  byteLength: number;
}

export interface ShardMergePlan {
  /** Size of the merged file. */
  byteLength: number;
  /** The merged file's first bytes: the 8-byte length and the space-padded JSON header. */
  header: Uint8Array;
  /** Per shard, ascending by sourceOffset; together they tile the shard's data section. */
  copies: Map<string, ShardCopy[]>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseShardIndex(bytes: Uint8Array, label: string): ShardIndex {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new SafetensorsError(
      label,
      null,
      `not valid JSON (${(error as Error).message}); download the index again`,
    );
  }
  if (!isPlainObject(parsed) || !isPlainObject(parsed.weight_map))
    throw new SafetensorsError(
      label,
      null,
      'has no "weight_map" object (tensor name → shard file); is this a safetensors index?',
    );
  const weightMap = new Map<string, string>();
  for (const [tensor, shard] of Object.entries(parsed.weight_map)) {
    if (typeof shard !== 'string' || !shard.endsWith('.safetensors') || /[/\\]|^\.\.?$/.test(shard))
      throw new SafetensorsError(
        label,
        tensor,
        `weight_map gives ${JSON.stringify(shard)}; expected the file name of a .safetensors shard in the same folder`,
      );
    weightMap.set(tensor, shard);
  }
  if (weightMap.size === 0) throw new SafetensorsError(label, null, '"weight_map" names no tensors');
  return { label, weightMap, shards: [...new Set(weightMap.values())].sort() };
}

/**
 * Parses a shard's header from its first bytes (at least 8 + header length of them). The file size follows
 * from the header, so a header read ahead of the data (or from a stream) is fully validated.
 */
export function parseShardHeader(prefix: Uint8Array, label: string): ShardHeader {
  const dataStart = shardHeaderEnd(prefix, label);
  let dataBytes = 0;
  try {
    const json = JSON.parse(new TextDecoder().decode(prefix.subarray(8, dataStart))) as unknown;
    if (isPlainObject(json))
      for (const [name, entry] of Object.entries(json)) {
        const end = name === '__metadata__' || !isPlainObject(entry) ? null : entry.data_offsets;
        if (Array.isArray(end) && typeof end[1] === 'number') dataBytes = Math.max(dataBytes, end[1]);
      }
  } catch {
    // parseSafetensorsHeader names what is wrong with the JSON.
  }
  const header = parseSafetensorsHeader(prefix, dataStart + dataBytes, label);
  return { ...header, fileSize: dataStart + dataBytes };
}

/** 8 + the header length stored in a safetensors file's first 8 bytes (little-endian u64). */
export function shardHeaderEnd(prefix: Uint8Array, label: string): number {
  if (prefix.length < 8)
    throw new SafetensorsError(label, null, `only ${prefix.length} bytes; a safetensors file starts with 8`);
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const length = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
  if (length > MAX_HEADER_BYTES)
    throw new SafetensorsError(
      label,
      null,
      `header length ${length} exceeds the ${MAX_HEADER_BYTES}-byte limit; not a safetensors file?`,
    );
  return 8 + length;
}

interface Located {
  shard: string;
  dtype: SafetensorsHeader['tensors'][number]['dtype'];
  shape: number[];
  byteOffset: number;
  byteLength: number;
}

function locateTensors(
  index: ShardIndex,
  headers: ReadonlyMap<string, SafetensorsHeader>,
  unnamedShards: readonly string[],
): Map<string, Located> {
  const missing = index.shards.filter((s) => !headers.has(s));
  if (missing.length > 0)
    throw new SafetensorsError(
      index.label,
      null,
      `names ${missing.length === 1 ? 'shard' : 'shards'} ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} missing; ` +
        `add every file the index names (${index.shards.length} shards) to the folder`,
    );
  const extra = unnamedShards.filter((s) => !index.shards.includes(s));
  if (extra.length > 0)
    throw new SafetensorsError(
      index.label,
      null,
      `does not name ${extra.join(', ')}; remove ${extra.length === 1 ? 'that file' : 'those files'} or use the index that belongs to them`,
    );
  const located = new Map<string, Located>();
  for (const shard of index.shards) {
    for (const t of (headers.get(shard) as SafetensorsHeader).tensors) {
      const earlier = located.get(t.name);
      if (earlier !== undefined)
        throw new SafetensorsError(
          shard,
          t.name,
          `also held by ${earlier.shard}; a tensor must be in exactly one shard`,
        );
      located.set(t.name, { shard, ...t });
    }
  }
  for (const [tensor, shard] of index.weightMap) {
    const found = located.get(tensor);
    if (found?.shard !== shard)
      throw new SafetensorsError(
        index.label,
        tensor,
        `the index puts it in ${shard}, but ${shard} does not hold it` +
          (found === undefined ? ' (no shard does)' : ` (${found.shard} does)`) +
          '; the index and the shards come from different saves',
      );
  }
  for (const [tensor, { shard }] of located)
    if (!index.weightMap.has(tensor))
      throw new SafetensorsError(
        shard,
        tensor,
        `not named in ${index.label}; the index and the shards come from different saves`,
      );
  return located;
}

/**
 * Validates the shards against the index and lays out the merged file exactly as writeSafetensors would write
 * the same tensors: descending element size, then name, header padded with spaces to a multiple of 8.
 * `unnamedShards` are shard-like files beside the index that it may not name.
 */
export function planShardMerge(
  index: ShardIndex,
  headers: ReadonlyMap<string, SafetensorsHeader>,
  unnamedShards: readonly string[] = [],
): ShardMergePlan {
  const located = locateTensors(index, headers, unnamedShards);
  const ordered = [...located].sort(
    ([a, x], [b, y]) => dtypeByteSize(y.dtype) - dtypeByteSize(x.dtype) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const metadata = new Map<string, string>();
  for (const shard of index.shards)
    for (const [key, value] of Object.entries((headers.get(shard) as SafetensorsHeader).metadata))
      if (!metadata.has(key)) metadata.set(key, value);
  // Entries, not assignments, so that no tensor name can reach Object.prototype.
  const entries: [string, unknown][] =
    metadata.size > 0 ? [['__metadata__', Object.fromEntries(metadata)]] : [];
  let offset = 0;
  for (const [name, t] of ordered) {
    entries.push([name, { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.byteLength] }]);
    offset += t.byteLength;
  }
  const text = new TextEncoder().encode(JSON.stringify(Object.fromEntries(entries)));
  const headerLength = Math.ceil(text.length / 8) * 8;
  const header = new Uint8Array(8 + headerLength).fill(0x20);
  const view = new DataView(header.buffer);
  view.setUint32(0, headerLength % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  header.set(text, 8);

  const copies = new Map<string, ShardCopy[]>(index.shards.map((s) => [s, []]));
  let target = header.length;
  for (const [tensor, t] of ordered) {
    (copies.get(t.shard) as ShardCopy[]).push({
      tensor,
      sourceOffset: t.byteOffset,
      targetOffset: target,
      byteLength: t.byteLength,
    });
    target += t.byteLength;
  }
  for (const list of copies.values()) list.sort((a, b) => a.sourceOffset - b.sourceOffset);
  return { byteLength: target, header, copies };
}

/** Allocates the merged file and writes its header; tensor bytes are copied in by the caller. */
export function allocateMerged(plan: ShardMergePlan): Uint8Array {
  let merged: Uint8Array;
  try {
    merged = new Uint8Array(plan.byteLength);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new SafetensorsError(
      'merged model.safetensors',
      null,
      `needs ${plan.byteLength} bytes in one buffer, more than this JavaScript engine could allocate (${error.message})`,
    );
  }
  merged.set(plan.header);
  return merged;
}

/** Merges shards that are already in memory; `shards` maps each shard's file name to its bytes. */
export function mergeShardBytes(
  index: ShardIndex,
  shards: ReadonlyMap<string, Uint8Array>,
  unnamedShards: readonly string[] = [],
): Uint8Array {
  const headers = new Map<string, SafetensorsHeader>();
  for (const shard of index.shards) {
    const bytes = shards.get(shard);
    if (bytes !== undefined) headers.set(shard, parseSafetensorsHeader(bytes, bytes.length, shard));
  }
  const plan = planShardMerge(index, headers, unnamedShards);
  const merged = allocateMerged(plan);
  for (const [shard, list] of plan.copies) {
    const bytes = shards.get(shard) as Uint8Array;
    for (const c of list)
      merged.set(bytes.subarray(c.sourceOffset, c.sourceOffset + c.byteLength), c.targetOffset);
  }
  return merged;
}

/**
 * Copies one shard's bytes, arriving in order in chunks of any size (a download stream), to their places in
 * the merged file. The header bytes must match the ones the plan was made from.
 */
export class ShardScatter {
  private position = 0;
  private next = 0;

  constructor(
    private readonly merged: Uint8Array,
    private readonly copies: readonly ShardCopy[],
    private readonly headerBytes: Uint8Array,
    private readonly fileSize: number,
    private readonly label: string,
  ) {}

  write(chunk: Uint8Array): void {
    const chunkStart = this.position;
    const chunkEnd = chunkStart + chunk.length;
    if (chunkEnd > this.fileSize)
      throw new SafetensorsError(
        this.label,
        null,
        `more than the ${this.fileSize} bytes its header describes; the file changed while downloading`,
      );
    for (let i = chunkStart; i < Math.min(chunkEnd, this.headerBytes.length); i++)
      if (chunk[i - chunkStart] !== this.headerBytes[i])
        throw new SafetensorsError(this.label, null, 'header changed between two reads; try again');
    for (; this.next < this.copies.length; this.next++) {
      const c = this.copies[this.next] as ShardCopy;
      const copyEnd = c.sourceOffset + c.byteLength;
      const start = Math.max(c.sourceOffset, chunkStart);
      const end = Math.min(copyEnd, chunkEnd);
      if (start < end)
        this.merged.set(
          chunk.subarray(start - chunkStart, end - chunkStart),
          c.targetOffset + start - c.sourceOffset,
        );
      if (copyEnd > chunkEnd) break;
    }
    this.position = chunkEnd;
  }

  finish(): void {
    if (this.position !== this.fileSize)
      throw new SafetensorsError(
        this.label,
        null,
        `ended after ${this.position} of ${this.fileSize} bytes; the download was cut short`,
      );
  }
}

/** A shard that can be read in pieces (a File in the browser): only one tensor's bytes are held at a time. */
export interface RandomAccessShard {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export async function mergeShardPieces(
  index: ShardIndex,
  shards: ReadonlyMap<string, RandomAccessShard>,
  unnamedShards: readonly string[] = [],
): Promise<Uint8Array> {
  const headers = new Map<string, SafetensorsHeader>();
  for (const shard of index.shards) {
    const source = shards.get(shard);
    if (source === undefined) continue;
    const header = parseShardHeader(
      await source.read(0, shardHeaderEnd(await source.read(0, 8), shard)),
      shard,
    );
    if (header.fileSize !== source.size)
      throw new SafetensorsError(
        shard,
        null,
        `is ${source.size} bytes but its header describes ${header.fileSize} (truncated or trailing bytes)`,
      );
    headers.set(shard, header);
  }
  const plan = planShardMerge(index, headers, unnamedShards);
  const merged = allocateMerged(plan);
  for (const [shard, copies] of plan.copies) {
    const source = shards.get(shard) as RandomAccessShard;
    for (const c of copies) merged.set(await source.read(c.sourceOffset, c.byteLength), c.targetOffset);
  }
  return merged;
}
