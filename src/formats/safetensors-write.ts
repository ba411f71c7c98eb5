import { dtypeByteSize, type SafetensorsDType } from './dtype.ts';
import { SafetensorsError } from './safetensors-error.ts';

type TensorData =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface SafetensorsTensorInput {
  name: string;
  dtype: SafetensorsDType;
  shape: readonly number[];
  /** Little-endian element data; its byte length must equal product(shape) × dtype size. */
  data: TensorData;
}

export interface WriteOptions {
  metadata?: Record<string, string>;
  /** Names the output in error messages. */
  label?: string;
}

function asBytes(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Serializes tensors in the layout Python's safetensors writes: the JSON header padded with spaces to a
 * multiple of 8 bytes, tensors ordered by descending element size then name, so every tensor's data is
 * aligned to its element size.
 */
export function writeSafetensors(
  tensors: readonly SafetensorsTensorInput[],
  options: WriteOptions = {},
): Uint8Array {
  const label = options.label ?? 'safetensors output';
  const names = new Set<string>();
  for (const tensor of tensors) {
    if (tensor.name === '__metadata__')
      throw new SafetensorsError(label, tensor.name, 'name is reserved for the metadata entry');
    if (names.has(tensor.name)) throw new SafetensorsError(label, tensor.name, 'name given more than once');
    names.add(tensor.name);
    for (const dim of tensor.shape) {
      if (!Number.isSafeInteger(dim) || dim < 0)
        throw new SafetensorsError(
          label,
          tensor.name,
          `shape ${JSON.stringify(tensor.shape)} must hold non-negative integers`,
        );
    }
    const expected = tensor.shape.reduce((a, b) => a * b, 1) * dtypeByteSize(tensor.dtype);
    if (tensor.data.byteLength !== expected) {
      throw new SafetensorsError(
        label,
        tensor.name,
        `data has ${tensor.data.byteLength} bytes; shape ${JSON.stringify(tensor.shape)} of ${tensor.dtype} needs ${expected}`,
      );
    }
  }
  const ordered = [...tensors].sort(
    (a, b) =>
      dtypeByteSize(b.dtype) - dtypeByteSize(a.dtype) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );

  const header: Record<string, unknown> = {};
  if (options.metadata && Object.keys(options.metadata).length > 0) header.__metadata__ = options.metadata;
  let offset = 0;
  for (const tensor of ordered) {
    header[tensor.name] = {
      dtype: tensor.dtype,
      shape: [...tensor.shape],
      data_offsets: [offset, offset + tensor.data.byteLength],
    };
    offset += tensor.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let cursor = 8 + headerLength;
  for (const tensor of ordered) {
    out.set(asBytes(tensor.data), cursor);
    cursor += tensor.data.byteLength;
  }
  return out;
}
