/** A small GGUF writer for tests: builds files with any metadata types, alignments and tensor layouts. */
import { GGML_TYPES, GGUF_VALUE_TYPE, type GgufValueTypeName } from '../../../../src/formats/gguf/types.ts';

export type TestValue =
  | { type: Exclude<GgufValueTypeName, 'ARRAY' | 'STRING' | 'BOOL' | 'UINT64' | 'INT64'>; value: number }
  | { type: 'UINT64' | 'INT64'; value: bigint }
  | { type: 'BOOL'; value: boolean }
  | { type: 'STRING'; value: string }
  | { type: 'ARRAY'; itemType: GgufValueTypeName; items: TestValue[] };

export interface TestTensor {
  name: string;
  /** ggml order: dims[0] is the row length. */
  dims: number[];
  typeId: number;
  data: Uint8Array;
}

export interface TestGguf {
  version?: number;
  metadata?: Record<string, TestValue>;
  tensors?: TestTensor[];
  alignment?: number;
}

class ByteSink {
  private chunks: number[] = [];
  get length(): number {
    return this.chunks.length;
  }
  bytes(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.chunks.push(values[i] ?? 0);
  }
  scalar(kind: 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'f64', value: number): void {
    const size = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, f64: 8 }[kind];
    const view = new DataView(new ArrayBuffer(size));
    const set = {
      u8: () => view.setUint8(0, value),
      i8: () => view.setInt8(0, value),
      u16: () => view.setUint16(0, value, true),
      i16: () => view.setInt16(0, value, true),
      u32: () => view.setUint32(0, value, true),
      i32: () => view.setInt32(0, value, true),
      f32: () => view.setFloat32(0, value, true),
      f64: () => view.setFloat64(0, value, true),
    }[kind];
    set();
    this.bytes(new Uint8Array(view.buffer));
  }
  u64(value: bigint, signed = false): void {
    const view = new DataView(new ArrayBuffer(8));
    if (signed) view.setBigInt64(0, value, true);
    else view.setBigUint64(0, value, true);
    this.bytes(new Uint8Array(view.buffer));
  }
  string(text: string): void {
    const encoded = new TextEncoder().encode(text);
    this.u64(BigInt(encoded.length));
    this.bytes(encoded);
  }
  pad(alignment: number): void {
    while (this.chunks.length % alignment !== 0) this.chunks.push(0);
  }
  toUint8Array(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

function writeValue(sink: ByteSink, value: TestValue): void {
  switch (value.type) {
    case 'UINT8':
      return sink.scalar('u8', value.value);
    case 'INT8':
      return sink.scalar('i8', value.value);
    case 'UINT16':
      return sink.scalar('u16', value.value);
    case 'INT16':
      return sink.scalar('i16', value.value);
    case 'UINT32':
      return sink.scalar('u32', value.value);
    case 'INT32':
      return sink.scalar('i32', value.value);
    case 'FLOAT32':
      return sink.scalar('f32', value.value);
    case 'FLOAT64':
      return sink.scalar('f64', value.value);
    case 'UINT64':
      return sink.u64(value.value);
    case 'INT64':
      return sink.u64(value.value, true);
    case 'BOOL':
      return sink.scalar('u8', value.value ? 1 : 0);
    case 'STRING':
      return sink.string(value.value);
    case 'ARRAY':
      sink.scalar('u32', GGUF_VALUE_TYPE[value.itemType]);
      sink.u64(BigInt(value.items.length));
      for (const item of value.items) writeValue(sink, item);
  }
}

export function tensorByteLength(typeId: number, dims: readonly number[]): number {
  const type = GGML_TYPES.get(typeId);
  if (type === undefined) throw new Error(`unknown type ${typeId}`);
  return (dims.reduce((a, b) => a * b, 1) / type.blockSize) * type.typeSize;
}

export function writeGguf(spec: TestGguf): Uint8Array {
  const alignment = spec.alignment ?? 32;
  const metadata: Record<string, TestValue> = { ...spec.metadata };
  if (spec.alignment !== undefined) metadata['general.alignment'] = { type: 'UINT32', value: alignment };
  const tensors = spec.tensors ?? [];
  const sink = new ByteSink();
  sink.bytes([0x47, 0x47, 0x55, 0x46]);
  sink.scalar('u32', spec.version ?? 3);
  sink.u64(BigInt(tensors.length));
  sink.u64(BigInt(Object.keys(metadata).length));
  for (const [key, value] of Object.entries(metadata)) {
    sink.string(key);
    sink.scalar('u32', GGUF_VALUE_TYPE[value.type]);
    writeValue(sink, value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    sink.string(tensor.name);
    sink.scalar('u32', tensor.dims.length);
    for (const dim of tensor.dims) sink.u64(BigInt(dim));
    sink.scalar('u32', tensor.typeId);
    sink.u64(BigInt(offset));
    offset += Math.ceil(tensor.data.length / alignment) * alignment;
  }
  sink.pad(alignment);
  for (const tensor of tensors) {
    sink.bytes(tensor.data);
    sink.pad(alignment);
  }
  return sink.toUint8Array();
}

/** float32 values as the bytes of an F32 tensor. */
export function f32Bytes(values: readonly number[] | Float32Array): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}
