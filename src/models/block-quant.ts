/**
 * Block-wise asymmetric integer quantisation of an nn.Linear weight [N = out, K = in] along K, laid out as
 * onnxruntime's com.microsoft MatMulNBits reads it:
 *   B           uint8 [N, kBlocks, blockSize * bits / 8]  (4 bits: element 2i in the low nibble, 2i+1 in the high)
 *   scales      float [N * kBlocks]
 *   zero_points uint8 [N * ceil(kBlocks * bits / 8)]       (4 bits: block 2j low nibble, 2j+1 high; rows padded)
 *            or float [N * kBlocks]
 * and w ≈ (q - zero_point) * scale. A K that is not a multiple of blockSize is padded with zeros.
 */
export type QuantBits = 4 | 8;
/**
 * 'uint8': integer zero points (the range is widened to hold 0; MLAS's fast kernels). 'float': the block's
 * exact [min, max] maps onto the levels, so w = q * scale + min, the form of GGUF Q4_1 blocks.
 */
export type ZeroPointType = 'uint8' | 'float';

export interface BlockQuantized {
  bits: QuantBits;
  blockSize: number;
  N: number;
  K: number;
  packed: Uint8Array;
  scales: Float32Array;
  zeroPoints: Uint8Array | Float32Array;
}

export function kBlocksOf(K: number, blockSize: number): number {
  return Math.ceil(K / blockSize);
}

function checkLayout(bits: number, blockSize: number): void {
  if (bits !== 4 && bits !== 8) throw new RangeError(`quantisation bits must be 4 or 8, got ${bits}`);
  if (!Number.isInteger(Math.log2(blockSize)) || blockSize < 16)
    throw new RangeError(`block size must be a power of two >= 16, got ${blockSize}`);
}

function orInto(bytes: Uint8Array, index: number, bits: number): void {
  bytes[index] = (bytes[index] as number) | bits;
}

/**
 * Per block, the range of its values maps onto 0..2^bits-1. With uint8 zero points the range is widened to
 * [min(w, 0), max(w, 0)] so the zero point is a whole level (zero stays exact); with float zero points it is
 * the block's own [min, max].
 */
export function quantizeBlockwise(
  weight: Float32Array,
  N: number,
  K: number,
  bits: QuantBits,
  blockSize: number,
  zeroPointType: ZeroPointType = 'uint8',
): BlockQuantized {
  checkLayout(bits, blockSize);
  if (weight.length !== N * K)
    throw new RangeError(`weight has ${weight.length} values, expected N*K = ${N}*${K}`);
  const levels = (1 << bits) - 1;
  const kBlocks = kBlocksOf(K, blockSize);
  const blob = (blockSize * bits) / 8;
  const zpRow = Math.ceil((kBlocks * bits) / 8);
  const packed = new Uint8Array(N * kBlocks * blob);
  const scales = new Float32Array(N * kBlocks);
  const integerZeros = new Uint8Array(zeroPointType === 'uint8' ? N * zpRow : 0);
  const floatZeros = new Float32Array(zeroPointType === 'float' ? N * kBlocks : 0);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < kBlocks; b++) {
      const start = b * blockSize;
      const end = Math.min(start + blockSize, K);
      let lo = zeroPointType === 'uint8' ? 0 : Infinity;
      let hi = zeroPointType === 'uint8' ? 0 : -Infinity;
      for (let k = start; k < end; k++) {
        const v = weight[n * K + k] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const scale = hi > lo ? (hi - lo) / levels : 1;
      let zero: number;
      if (zeroPointType === 'uint8') {
        zero = Math.min(levels, Math.max(0, Math.round(-lo / scale)));
        if (bits === 8) integerZeros[n * zpRow + b] = zero;
        else orInto(integerZeros, n * zpRow + (b >> 1), zero << ((b & 1) * 4));
      } else {
        zero = -lo / scale;
        floatZeros[n * kBlocks + b] = zero;
      }
      scales[n * kBlocks + b] = scale;
      const base = (n * kBlocks + b) * blob;
      for (let j = 0; j < blockSize; j++) {
        const k = start + j;
        const v = k < end ? (weight[n * K + k] as number) : 0;
        const q = Math.min(levels, Math.max(0, Math.round(v / scale + zero)));
        if (bits === 8) packed[base + j] = q;
        else orInto(packed, base + (j >> 1), q << ((j & 1) * 4));
      }
    }
  }
  const zeroPoints = zeroPointType === 'uint8' ? integerZeros : floatZeros;
  return { bits, blockSize, N, K, packed, scales, zeroPoints };
}

/** The float32 weight [N, K] that a quantised one stands for. */
export function dequantizeBlockwise(q: BlockQuantized): Float32Array {
  const { bits, blockSize, N, K } = q;
  const kBlocks = kBlocksOf(K, blockSize);
  const blob = (blockSize * bits) / 8;
  const zpRow = Math.ceil((kBlocks * bits) / 8);
  const out = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const b = Math.floor(k / blockSize);
      const j = k % blockSize;
      const byte = q.packed[(n * kBlocks + b) * blob + (bits === 8 ? j : j >> 1)] as number;
      const value = bits === 8 ? byte : (byte >> ((j & 1) * 4)) & 15;
      let zero: number;
      if (q.zeroPoints instanceof Float32Array) zero = q.zeroPoints[n * kBlocks + b] as number;
      else {
        const zpByte = q.zeroPoints[n * zpRow + (bits === 8 ? b : b >> 1)] as number;
        zero = bits === 8 ? zpByte : (zpByte >> ((b & 1) * 4)) & 15;
      }
      out[n * K + k] = (value - zero) * (q.scales[n * kBlocks + b] as number);
    }
  }
  return out;
}

/** Bytes the quantised weight occupies (packed values, scales, zero points). */
export function quantizedBytes(q: BlockQuantized): number {
  return q.packed.byteLength + q.scales.byteLength + q.zeroPoints.byteLength;
}
