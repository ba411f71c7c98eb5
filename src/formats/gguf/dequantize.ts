import { bf16ArrayToF32, f16ArrayToF32 } from '../dtype.ts';
import { dequantQ4_0, dequantQ4_1, dequantQ5_0, dequantQ5_1, dequantQ8_0 } from './dequant-legacy.ts';
import { dequantQ2_K, dequantQ3_K, dequantQ4_K, dequantQ5_K, dequantQ6_K, dequantQ8_K } from './dequant-k.ts';
import { GgufError } from './errors.ts';
import type { GgufFile, GgufTensorInfo } from './reader.ts';

type BlockDecoder = (src: Uint8Array, out: Float32Array) => void;

const BLOCK_DECODERS: Record<string, BlockDecoder> = {
  Q4_0: dequantQ4_0,
  Q4_1: dequantQ4_1,
  Q5_0: dequantQ5_0,
  Q5_1: dequantQ5_1,
  Q8_0: dequantQ8_0,
  Q2_K: dequantQ2_K,
  Q3_K: dequantQ3_K,
  Q4_K: dequantQ4_K,
  Q5_K: dequantQ5_K,
  Q6_K: dequantQ6_K,
  Q8_K: dequantQ8_K,
};

/** Tensor types dequantize() converts to float32. */
export const DEQUANTIZABLE_TYPES: readonly string[] = [
  'F32',
  'F16',
  'BF16',
  'F64',
  'I8',
  'I16',
  'I32',
  ...Object.keys(BLOCK_DECODERS),
];

/** Copies into a fresh buffer so typed-array views of any element size are aligned. */
function aligned(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy.buffer;
}

/**
 * Decodes `elementCount` values of ggml type `typeName` from `src` (exactly the tensor's bytes) into a new
 * Float32Array. `label` and `field` name the source in errors.
 */
export function dequantize(
  typeName: string,
  src: Uint8Array,
  elementCount: number,
  label: string,
  field: string,
): Float32Array {
  switch (typeName) {
    case 'F32':
      return new Float32Array(aligned(src));
    case 'F16':
      return f16ArrayToF32(new Uint16Array(aligned(src)));
    case 'BF16':
      return bf16ArrayToF32(new Uint16Array(aligned(src)));
    case 'F64':
      return Float32Array.from(new Float64Array(aligned(src)));
    case 'I8':
      return Float32Array.from(new Int8Array(aligned(src)));
    case 'I16':
      return Float32Array.from(new Int16Array(aligned(src)));
    case 'I32':
      return Float32Array.from(new Int32Array(aligned(src)));
  }
  const decode = BLOCK_DECODERS[typeName];
  if (decode === undefined) {
    throw new GgufError(
      label,
      field,
      `tensor type ${typeName} cannot be dequantised here; supported: ${DEQUANTIZABLE_TYPES.join(', ')}`,
    );
  }
  const out = new Float32Array(elementCount);
  decode(src, out);
  return out;
}

/** One tensor of a parsed file as float32, in ggml element order (= row-major with the reversed dims). */
export function dequantizeTensor(file: GgufFile, info: GgufTensorInfo): Float32Array {
  const src = file.bytes.subarray(info.byteOffset, info.byteOffset + info.byteLength);
  return dequantize(info.type.name, src, info.elementCount, file.label, `tensor "${info.name}"`);
}
