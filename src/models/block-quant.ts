/**
 * Block-wise asymmetric integer quantisation of an nn.Linear weight [N = out, K = in] along K, laid out as
 * onnxruntime's com.microsoft MatMulNBits reads it:
 *   B           uint8 [N, kBlocks, blockSize * bits / 8]  (4 bits: element 2i in the low nibble, 2i+1 in the high)
 *   scales      float [N * kBlocks]
 *   zero_points uint8 [N * ceil(kBlocks * bits / 8)]       (4 bits: block 2j low nibble, 2j+1 high; rows padded)
 * and w ≈ (q - zero_point) * scale. A K that is not a multiple of blockSize is padded with zeros.
 */
export type QuantBits = 4 | 8;

export interface BlockQuantized {
  bits: QuantBits;
  blockSize: number;
  N: number;
  K: number;
  packed: Uint8Array;
  scales: Float32Array;
  zeroPoints: Uint8Array;
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
 * Per block, the range [min(w, 0), max(w, 0)] maps onto 0..2^bits-1 (zero stays exactly representable,
 * as MLAS expects). A block whose values came from GGUF Q4_1/Q8_0 with the same block size is recovered
 * up to the zero point's rounding.
 */
export function quantizeBlockwise(
  weight: Float32Array,
  N: number,
  K: number,
  bits: QuantBits,
  blockSize: number,
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
  const zeroPoints = new Uint8Array(N * zpRow);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < kBlocks; b++) {
      const start = b * blockSize;
      const end = Math.min(start + blockSize, K);
      let lo = 0;
      let hi = 0;
      for (let k = start; k < end; k++) {
        const v = weight[n * K + k] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const scale = hi > lo ? (hi - lo) / levels : 1;
      const zero = Math.min(levels, Math.max(0, Math.round(-lo / scale)));
      scales[n * kBlocks + b] = scale;
      if (bits === 8) zeroPoints[n * zpRow + b] = zero;
      else orInto(zeroPoints, n * zpRow + (b >> 1), zero << ((b & 1) * 4));
      const base = (n * kBlocks + b) * blob;
      for (let j = 0; j < blockSize; j++) {
        const k = start + j;
        const v = k < end ? (weight[n * K + k] as number) : 0;
        const q = Math.min(levels, Math.max(0, Math.round(v / scale) + zero));
        if (bits === 8) packed[base + j] = q;
        else orInto(packed, base + (j >> 1), q << ((j & 1) * 4));
      }
    }
  }
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
      const zpByte = q.zeroPoints[n * zpRow + (bits === 8 ? b : b >> 1)] as number;
      const zero = bits === 8 ? zpByte : (zpByte >> ((b & 1) * 4)) & 15;
      out[n * K + k] = (value - zero) * (q.scales[n * kBlocks + b] as number);
    }
  }
  return out;
}

/** Bytes the quantised weight occupies (packed values, scales, zero points). */
export function quantizedBytes(q: BlockQuantized): number {
  return q.packed.byteLength + q.scales.byteLength + q.zeroPoints.byteLength;
}
