import {
  bf16ArrayToF32,
  dtypeByteSize,
  f16ArrayToF32,
  isSafetensorsDType,
  type SafetensorsDType,
} from './dtype.ts';
import { topLevelJsonKeys } from './json-keys.ts';
import { SafetensorsError } from './safetensors-error.ts';

export { SafetensorsError } from './safetensors-error.ts';

/** The same bound the Python safetensors library enforces: larger headers are rejected before any read. */
export const MAX_HEADER_BYTES = 100_000_000;

export interface SafetensorsTensorInfo {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  /** Absolute byte offset of the tensor's data in the file. */
  byteOffset: number;
  byteLength: number;
}

export interface SafetensorsHeader {
  /** Bytes before the tensor data: 8 (length prefix) + the JSON header. */
  dataStart: number;
  metadata: Record<string, string>;
  /** In file order (ascending offsets). */
  tensors: SafetensorsTensorInfo[];
}

export interface SafetensorsFile extends SafetensorsHeader {
  label: string;
  bytes: Uint8Array;
  byName: Map<string, SafetensorsTensorInfo>;
}

function readHeaderLength(prefix: Uint8Array, fileSize: number, label: string): number {
  if (prefix.length < 8 || fileSize < 8) {
    throw new SafetensorsError(
      label,
      null,
      `file is ${fileSize} bytes; a safetensors file starts with an 8-byte header length`,
    );
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const high = view.getUint32(4, true);
  const low = view.getUint32(0, true);
  const length = high * 2 ** 32 + low;
  if (length > MAX_HEADER_BYTES) {
    throw new SafetensorsError(
      label,
      null,
      `header length ${length} exceeds the ${MAX_HEADER_BYTES}-byte limit; not a safetensors file?`,
    );
  }
  if (8 + length > fileSize) {
    throw new SafetensorsError(
      label,
      null,
      `header length ${length} runs past the end of the ${fileSize}-byte file (truncated?)`,
    );
  }
  if (length < 2)
    throw new SafetensorsError(label, null, `header length ${length} is too short for a JSON object`);
  return length;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseShape(value: unknown, label: string, name: string): number[] {
  if (!Array.isArray(value))
    throw new SafetensorsError(
      label,
      name,
      `"shape" must be an array of integers, got ${JSON.stringify(value)}`,
    );
  return value.map((dim: unknown) => {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) {
      throw new SafetensorsError(
        label,
        name,
        `shape ${JSON.stringify(value)} has an invalid dimension ${JSON.stringify(dim)}; expected non-negative integers`,
      );
    }
    return dim;
  });
}

function parseOffsets(value: unknown, label: string, name: string): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new SafetensorsError(
      label,
      name,
      `"data_offsets" must be [begin, end], got ${JSON.stringify(value)}`,
    );
  }
  const [begin, end] = value as unknown[];
  if (
    typeof begin !== 'number' ||
    typeof end !== 'number' ||
    !Number.isSafeInteger(begin) ||
    !Number.isSafeInteger(end) ||
    begin < 0 ||
    end < begin
  ) {
    throw new SafetensorsError(
      label,
      name,
      `"data_offsets" ${JSON.stringify(value)} must be integers with 0 <= begin <= end`,
    );
  }
  return [begin, end];
}

function parseTensorEntry(
  name: string,
  entry: unknown,
  label: string,
): SafetensorsTensorInfo & { begin: number } {
  if (!isPlainObject(entry))
    throw new SafetensorsError(label, name, 'entry must be an object with dtype, shape and data_offsets');
  const dtype = entry.dtype;
  if (typeof dtype !== 'string' || !isSafetensorsDType(dtype)) {
    throw new SafetensorsError(
      label,
      name,
      `unsupported dtype ${JSON.stringify(dtype)}; expected one of F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL, ...`,
    );
  }
  const shape = parseShape(entry.shape, label, name);
  const [begin, end] = parseOffsets(entry.data_offsets, label, name);
  let elements = 1;
  for (const dim of shape) {
    elements *= dim;
    if (elements > Number.MAX_SAFE_INTEGER)
      throw new SafetensorsError(label, name, `shape ${JSON.stringify(shape)} is too large`);
  }
  const expected = elements * dtypeByteSize(dtype);
  if (end - begin !== expected) {
    throw new SafetensorsError(
      label,
      name,
      `data_offsets [${begin}, ${end}] hold ${end - begin} bytes; shape ${JSON.stringify(shape)} of ${dtype} needs ${expected}`,
    );
  }
  return { name, dtype, shape, byteOffset: begin, byteLength: expected, begin };
}

/**
 * Parses and validates the header. `prefix` holds at least the first 8 + header-length bytes of the file
 * (the whole file is fine); `fileSize` is the full size, so a large file can be validated from its start.
 */
export function parseSafetensorsHeader(
  prefix: Uint8Array,
  fileSize: number,
  label: string,
): SafetensorsHeader {
  const headerLength = readHeaderLength(prefix, fileSize, label);
  const dataStart = 8 + headerLength;
  if (prefix.length < dataStart) {
    throw new SafetensorsError(
      label,
      null,
      `only ${prefix.length} bytes given; the header needs ${dataStart}`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(prefix.subarray(8, dataStart));
  } catch {
    throw new SafetensorsError(label, null, 'header is not valid UTF-8');
  }
  if (!text.startsWith('{'))
    throw new SafetensorsError(label, null, 'header must be a JSON object starting with "{"');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsError(label, null, `header is not valid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw new SafetensorsError(label, null, 'header must be a JSON object');

  const seen = new Set<string>();
  for (const key of topLevelJsonKeys(text)) {
    if (seen.has(key)) throw new SafetensorsError(label, key, 'name appears more than once in the header');
    seen.add(key);
  }

  const metadata: Record<string, string> = {};
  const entries: Array<SafetensorsTensorInfo & { begin: number }> = [];
  for (const [name, entry] of Object.entries(parsed)) {
    if (name === '__metadata__') {
      if (!isPlainObject(entry))
        throw new SafetensorsError(label, null, '__metadata__ must be an object of strings');
      for (const [key, value] of Object.entries(entry)) {
        if (typeof value !== 'string')
          throw new SafetensorsError(
            label,
            null,
            `__metadata__ "${key}" must be a string, got ${JSON.stringify(value)}`,
          );
        metadata[key] = value;
      }
      continue;
    }
    entries.push(parseTensorEntry(name, entry, label));
  }

  // Tensors must tile the data section exactly: sorted by offset, each starts where the previous ended.
  entries.sort((a, b) => a.begin - b.begin || a.byteLength - b.byteLength);
  let cursor = 0;
  for (const entry of entries) {
    if (entry.begin !== cursor) {
      const problem =
        entry.begin < cursor
          ? `overlaps the previous tensor (starts at ${entry.begin}, previous ends at ${cursor})`
          : `leaves a gap: starts at ${entry.begin}, previous tensor ends at ${cursor}`;
      throw new SafetensorsError(label, entry.name, `data_offsets ${problem}`);
    }
    cursor += entry.byteLength;
  }
  const dataBytes = fileSize - dataStart;
  if (cursor !== dataBytes) {
    throw new SafetensorsError(
      label,
      null,
      `tensors cover ${cursor} data bytes but the file has ${dataBytes} after the header (truncated or trailing bytes)`,
    );
  }
  const tensors = entries.map(({ name, dtype, shape, byteOffset, byteLength }) => ({
    name,
    dtype,
    shape,
    byteOffset: dataStart + byteOffset,
    byteLength,
  }));
  return { dataStart, metadata, tensors };
}

export function parseSafetensors(bytes: Uint8Array, label: string): SafetensorsFile {
  const header = parseSafetensorsHeader(bytes, bytes.length, label);
  return { ...header, label, bytes, byName: new Map(header.tensors.map((t) => [t.name, t])) };
}

export function getTensorInfo(file: SafetensorsFile, name: string): SafetensorsTensorInfo {
  const info = file.byName.get(name);
  if (!info)
    throw new SafetensorsError(
      file.label,
      name,
      `tensor not found (file has ${file.tensors.length} tensors)`,
    );
  return info;
}

/** The raw little-endian bytes of one tensor (a view, not a copy). */
export function tensorBytes(file: SafetensorsFile, name: string): Uint8Array {
  const info = getTensorInfo(file, name);
  return file.bytes.subarray(info.byteOffset, info.byteOffset + info.byteLength);
}

/** Copies into a fresh, aligned buffer so typed-array views are always legal. */
function alignedCopy(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy.buffer;
}

/** A float tensor (F32, F16, BF16 or F64) as a new Float32Array. */
export function readFloat32(file: SafetensorsFile, name: string): Float32Array {
  const info = getTensorInfo(file, name);
  const buffer = alignedCopy(tensorBytes(file, name));
  switch (info.dtype) {
    case 'F32':
      return new Float32Array(buffer);
    case 'F16':
      return f16ArrayToF32(new Uint16Array(buffer));
    case 'BF16':
      return bf16ArrayToF32(new Uint16Array(buffer));
    case 'F64':
      return Float32Array.from(new Float64Array(buffer));
    default:
      throw new SafetensorsError(
        file.label,
        name,
        `dtype ${info.dtype} is not a float type; expected F32, F16, BF16 or F64`,
      );
  }
}

/** An integer tensor (I64, I32, I16, I8, U8, U16, U32, BOOL) as a new Int32Array; I64 values must fit in int32. */
export function readInt32(file: SafetensorsFile, name: string): Int32Array {
  const info = getTensorInfo(file, name);
  const buffer = alignedCopy(tensorBytes(file, name));
  switch (info.dtype) {
    case 'I32':
      return new Int32Array(buffer);
    case 'I64': {
      const wide = new BigInt64Array(buffer);
      const out = new Int32Array(wide.length);
      for (let i = 0; i < wide.length; i++) {
        const v = wide[i] ?? 0n;
        if (v > 2147483647n || v < -2147483648n)
          throw new SafetensorsError(file.label, name, `value ${v} at index ${i} does not fit in int32`);
        out[i] = Number(v);
      }
      return out;
    }
    case 'I16':
      return Int32Array.from(new Int16Array(buffer));
    case 'U16':
      return Int32Array.from(new Uint16Array(buffer));
    case 'I8':
      return Int32Array.from(new Int8Array(buffer));
    case 'U8':
    case 'BOOL':
      return Int32Array.from(new Uint8Array(buffer));
    default:
      throw new SafetensorsError(
        file.label,
        name,
        `dtype ${info.dtype} is not an integer type that fits in int32`,
      );
  }
}
