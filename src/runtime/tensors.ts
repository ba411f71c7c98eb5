import type { OrtTensor } from './types.ts';

/** Reads a float32 tensor to the CPU (downloads it when it lives on the GPU). */
export async function readFloat32(tensor: OrtTensor, what: string): Promise<Float32Array> {
  if (tensor.type !== 'float32')
    throw new TypeError(`${what}: expected a float32 tensor, got ${tensor.type}[${tensor.dims.join(', ')}]`);
  const data = tensor.location === 'cpu' ? tensor.data : await tensor.getData();
  return data as Float32Array;
}

/** Reads an int32 or int64 tensor as numbers. */
export async function readIntegers(tensor: OrtTensor, what: string): Promise<number[]> {
  if (tensor.type !== 'int32' && tensor.type !== 'int64') {
    throw new TypeError(
      `${what}: expected an int32 or int64 tensor, got ${tensor.type}[${tensor.dims.join(', ')}]`,
    );
  }
  const data = (tensor.location === 'cpu' ? tensor.data : await tensor.getData()) as
    Int32Array | BigInt64Array;
  return Array.from(data, (v: number | bigint) => Number(v));
}

/** The single value of a one-element float tensor (e.g. a loss). */
export async function readScalar(tensor: OrtTensor, what: string): Promise<number> {
  const data = await readFloat32(tensor, what);
  if (data.length !== 1)
    throw new RangeError(
      `${what}: expected one value, got ${data.length} (dims [${tensor.dims.join(', ')}])`,
    );
  return data[0] as number;
}

/** Frees device memory of GPU-resident tensors; CPU tensors are left to the garbage collector. */
export function disposeTensors(tensors: Iterable<OrtTensor>): void {
  for (const t of tensors) if (t.location === 'gpu-buffer') t.dispose();
}
