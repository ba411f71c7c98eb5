import { GgufCursor } from './cursor.ts';
import { GgufError } from './errors.ts';
import { readValue, valueTypeName, type GgufMetadataEntry } from './metadata.ts';
import { GGML_TYPES, GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, type GgmlTypeInfo } from './types.ts';

/** ggml's GGML_MAX_DIMS. */
export const MAX_DIMS = 4;
/** Far above any real model (a 70B Llama has ~800 tensors); bounds the work a hostile header can ask for. */
export const MAX_TENSORS = 1_000_000;
export const MAX_METADATA_ENTRIES = 1_000_000;
const MAX_ALIGNMENT = 1 << 20;

export interface GgufTensorInfo {
  name: string;
  /** ggml order: dims[0] varies fastest (row length). The row-major shape is dims reversed. */
  dims: number[];
  typeId: number;
  type: GgmlTypeInfo;
  elementCount: number;
  byteLength: number;
  /** Absolute byte offset of the tensor's data in the file. */
  byteOffset: number;
}

export interface GgufHeader {
  version: 2 | 3;
  metadata: Map<string, GgufMetadataEntry>;
  tensors: GgufTensorInfo[];
  alignment: number;
  /** Absolute offset where the tensor data section starts. */
  dataStart: number;
  fileSize: number;
}

export interface GgufFile extends GgufHeader {
  label: string;
  bytes: Uint8Array;
  byName: Map<string, GgufTensorInfo>;
}

/** Row-major shape (outermost first), as numpy, torch and safetensors write it. */
export function rowMajorShape(info: GgufTensorInfo): number[] {
  return [...info.dims].reverse();
}

function readAlignment(cursor: GgufCursor, metadata: Map<string, GgufMetadataEntry>): number {
  const entry = metadata.get('general.alignment');
  if (entry === undefined) return GGUF_DEFAULT_ALIGNMENT;
  const value = entry.value;
  if (entry.type !== 'UINT32' || typeof value !== 'number') {
    cursor.fail('general.alignment', `must be a UINT32, got ${entry.type}`);
  }
  if (value < 1 || value > MAX_ALIGNMENT || (value & (value - 1)) !== 0) {
    cursor.fail('general.alignment', `must be a power of two between 1 and ${MAX_ALIGNMENT}, got ${value}`);
  }
  return value;
}

interface RawTensor {
  name: string;
  dims: number[];
  typeId: number;
  type: GgmlTypeInfo;
  elementCount: number;
  byteLength: number;
  relativeOffset: number;
}

function readTensorInfo(cursor: GgufCursor, index: number, fileSize: number): RawTensor {
  const name = cursor.string(`tensor #${index} name`);
  const field = `tensor "${name}"`;
  const nDims = cursor.u32(`${field} n_dims`);
  if (nDims < 1 || nDims > MAX_DIMS) cursor.fail(field, `n_dims is ${nDims}; expected 1..${MAX_DIMS}`);
  const dims: number[] = [];
  let elementCount = 1;
  for (let d = 0; d < nDims; d++) {
    const dim = cursor.u64Bounded(`${field} dims[${d}]`, Number.MAX_SAFE_INTEGER, 'dimension');
    dims.push(dim);
    elementCount *= dim;
    if (elementCount > Number.MAX_SAFE_INTEGER)
      cursor.fail(field, `shape [${dims.join(', ')}...] is too large`);
  }
  const typeId = cursor.u32(`${field} type`);
  const type = GGML_TYPES.get(typeId);
  if (type === undefined) cursor.fail(field, `unknown ggml tensor type ${typeId}`);
  if ((dims[0] ?? 0) % type.blockSize !== 0) {
    cursor.fail(
      field,
      `row length ${dims[0]} is not a multiple of the ${type.name} block size ${type.blockSize}`,
    );
  }
  const byteLength = (elementCount / type.blockSize) * type.typeSize;
  if (byteLength > fileSize) {
    cursor.fail(field, `needs ${byteLength} bytes of data but the file has ${fileSize} in all`);
  }
  const relativeOffset = cursor.u64Bounded(`${field} offset`, fileSize, 'data offset');
  return { name, dims, typeId, type, elementCount, byteLength, relativeOffset };
}

/**
 * Parses and validates a GGUF v2/v3 header. `prefix` holds at least the header (the whole file is fine);
 * `fileSize` is the full size, so the tensor data can be checked to lie inside the file.
 */
export function parseGgufHeader(prefix: Uint8Array, fileSize: number, label: string): GgufHeader {
  const cursor: GgufCursor = new GgufCursor(prefix, label, fileSize);
  if (prefix.length < 4 || cursor.u32('magic') !== GGUF_MAGIC) {
    cursor.fail('magic', 'file does not start with "GGUF"; not a GGUF file');
  }
  const version = cursor.u32('version');
  if (version !== 2 && version !== 3) {
    cursor.fail(
      'version',
      version === 1
        ? 'GGUF v1 is not supported; re-convert the model with a current llama.cpp'
        : `unsupported GGUF version ${version}; expected 2 or 3`,
    );
  }
  const tensorCount = cursor.u64Bounded(
    'tensor_count',
    Math.min(MAX_TENSORS, Math.floor(cursor.remaining / 24)),
    'tensor count',
  );
  const kvCount = cursor.u64Bounded(
    'metadata_kv_count',
    Math.min(MAX_METADATA_ENTRIES, Math.floor(cursor.remaining / 13)),
    'metadata entry count',
  );

  const metadata = new Map<string, GgufMetadataEntry>();
  for (let i = 0; i < kvCount; i++) {
    const key = cursor.string(`metadata entry #${i} key`);
    if (metadata.has(key)) cursor.fail(key, 'metadata key appears more than once');
    const type = valueTypeName(cursor, `${key} (value type)`);
    metadata.set(key, { type, value: readValue(cursor, type, key) });
  }
  const alignment = readAlignment(cursor, metadata);

  const raw: RawTensor[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const tensor = readTensorInfo(cursor, i, fileSize);
    if (names.has(tensor.name)) cursor.fail(`tensor "${tensor.name}"`, 'tensor name appears more than once');
    names.add(tensor.name);
    raw.push(tensor);
  }
  const dataStart = Math.ceil(cursor.offset / alignment) * alignment;
  if (dataStart > fileSize && tensorCount > 0) {
    cursor.fail(null, `tensor data would start at ${dataStart}, past the end of the ${fileSize}-byte file`);
  }

  const tensors = raw.map((t): GgufTensorInfo => {
    const field = `tensor "${t.name}"`;
    if (t.relativeOffset % alignment !== 0) {
      cursor.fail(field, `data offset ${t.relativeOffset} is not a multiple of the alignment ${alignment}`);
    }
    const byteOffset = dataStart + t.relativeOffset;
    if (byteOffset + t.byteLength > fileSize) {
      cursor.fail(
        field,
        `data [${byteOffset}, ${byteOffset + t.byteLength}) runs past the end of the ${fileSize}-byte file (truncated?)`,
      );
    }
    const { name, dims, typeId, type, elementCount, byteLength } = t;
    return { name, dims, typeId, type, elementCount, byteLength, byteOffset };
  });
  const byOffset = [...tensors].sort((a, b) => a.byteOffset - b.byteOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const previous = byOffset[i - 1] as GgufTensorInfo;
    const current = byOffset[i] as GgufTensorInfo;
    if (current.byteOffset < previous.byteOffset + previous.byteLength) {
      cursor.fail(`tensor "${current.name}"`, `data overlaps tensor "${previous.name}"`);
    }
  }
  return { version, metadata, tensors, alignment, dataStart, fileSize };
}

export function parseGguf(bytes: Uint8Array, label: string): GgufFile {
  const header = parseGgufHeader(bytes, bytes.length, label);
  return { ...header, label, bytes, byName: new Map(header.tensors.map((t) => [t.name, t])) };
}

export function getGgufTensor(file: GgufFile, name: string): GgufTensorInfo {
  const info = file.byName.get(name);
  if (!info)
    throw new GgufError(
      file.label,
      `tensor "${name}"`,
      `not in the file (it has ${file.tensors.length} tensors)`,
    );
  return info;
}
