/**
 * Dequantisation of ggml's k-quant super-blocks (256 elements) to float32. Sub-block scales are products
 * of a half-precision super-scale and small integer scales, rounded to float32 as ggml does.
 */
import { f16Table } from './half.ts';

const QK = 256;

function f16At(src: Uint8Array, at: number): number {
  return f16Table()[(src[at] ?? 0) | ((src[at + 1] ?? 0) << 8)] ?? 0;
}

/** Q2_K block (84 bytes): scales[16] (low nibble scale, high nibble min), qs[64] (2-bit codes), d, dmin. */
export function dequantQ2_K(src: Uint8Array, out: Float32Array): void {
  for (let b = 0, o = 0; o < out.length; b += 84, o += QK) {
    const d = f16At(src, b + 80);
    const dmin = f16At(src, b + 82);
    for (let e = 0; e < QK; e++) {
      const sc = src[b + (e >> 4)] ?? 0;
      const half = e >> 7;
      const shift = 2 * ((e & 127) >> 5);
      const q = ((src[b + 16 + half * 32 + (e & 31)] ?? 0) >> shift) & 3;
      out[o + e] = Math.fround(d * (sc & 15)) * q - Math.fround(dmin * (sc >> 4));
    }
  }
}

/** Q3_K block (110 bytes): hmask[32] (third bits, inverted), qs[64] (2-bit codes), scales[12] (6-bit, packed), d. */
export function dequantQ3_K(src: Uint8Array, out: Float32Array): void {
  const scales = new Float32Array(16);
  for (let b = 0, o = 0; o < out.length; b += 110, o += QK) {
    const d = f16At(src, b + 108);
    for (let i = 0; i < 16; i++) {
      const low = ((src[b + 96 + (i & 7)] ?? 0) >> (4 * (i >> 3))) & 15;
      const high = ((src[b + 104 + (i & 3)] ?? 0) >> (2 * (i >> 2))) & 3;
      scales[i] = d * ((low | (high << 4)) - 32);
    }
    for (let e = 0; e < QK; e++) {
      const half = e >> 7;
      const shift = 2 * ((e & 127) >> 5);
      const low = ((src[b + 32 + half * 32 + (e & 31)] ?? 0) >> shift) & 3;
      const high = ((src[b + (e & 31)] ?? 0) >> (e >> 5)) & 1;
      out[o + e] = (scales[e >> 4] ?? 0) * (low - (high ? 0 : 4));
    }
  }
}

/** The 8 six-bit scales and mins packed into 12 bytes, shared by Q4_K and Q5_K. */
function scaleMin(src: Uint8Array, at: number, i: number): [number, number] {
  const byte = (k: number): number => src[at + k] ?? 0;
  if (i < 4) return [byte(i) & 63, byte(i + 4) & 63];
  const packed = byte(i + 4);
  return [(packed & 15) | ((byte(i - 4) >> 2) & 0x30), (packed >> 4) | ((byte(i) >> 2) & 0x30)];
}

function fillScales(src: Uint8Array, b: number, scales: Float32Array, mins: Float32Array): void {
  const d = f16At(src, b);
  const dmin = f16At(src, b + 2);
  for (let i = 0; i < 8; i++) {
    const [sc, m] = scaleMin(src, b + 4, i);
    scales[i] = d * sc;
    mins[i] = dmin * m;
  }
}

/** Q4_K block (144 bytes): d, dmin, scales[12], qs[128]; sub-block g (32 elements) takes the low (g even) or high (g odd) nibbles of qs[32*floor(g/2) ..]. */
export function dequantQ4_K(src: Uint8Array, out: Float32Array): void {
  const scales = new Float32Array(8);
  const mins = new Float32Array(8);
  for (let b = 0, o = 0; o < out.length; b += 144, o += QK) {
    fillScales(src, b, scales, mins);
    for (let e = 0; e < QK; e++) {
      const g = e >> 5;
      const q = ((src[b + 16 + (g >> 1) * 32 + (e & 31)] ?? 0) >> (4 * (g & 1))) & 15;
      out[o + e] = (scales[g] ?? 0) * q - (mins[g] ?? 0);
    }
  }
}

/** Q5_K block (176 bytes): d, dmin, scales[12], qh[32] (bit g of byte l is the fifth bit), qs[128]. */
export function dequantQ5_K(src: Uint8Array, out: Float32Array): void {
  const scales = new Float32Array(8);
  const mins = new Float32Array(8);
  for (let b = 0, o = 0; o < out.length; b += 176, o += QK) {
    fillScales(src, b, scales, mins);
    for (let e = 0; e < QK; e++) {
      const g = e >> 5;
      const l = e & 31;
      const low = ((src[b + 48 + (g >> 1) * 32 + l] ?? 0) >> (4 * (g & 1))) & 15;
      const high = ((src[b + 16 + l] ?? 0) >> g) & 1;
      out[o + e] = (scales[g] ?? 0) * (low | (high << 4)) - (mins[g] ?? 0);
    }
  }
}

/** Q6_K block (210 bytes): ql[128] (low 4 bits), qh[64] (high 2 bits), scales[16] (int8), d. */
export function dequantQ6_K(src: Uint8Array, out: Float32Array): void {
  const scales = new Float32Array(16);
  for (let b = 0, o = 0; o < out.length; b += 210, o += QK) {
    const d = f16At(src, b + 208);
    for (let i = 0; i < 16; i++) scales[i] = d * (((src[b + 192 + i] ?? 0) << 24) >> 24);
    for (let e = 0; e < QK; e++) {
      const half = e >> 7;
      const r = e & 127;
      const low = ((src[b + half * 64 + (r & 63)] ?? 0) >> (4 * (r >> 6))) & 15;
      const high = ((src[b + 128 + half * 32 + (r & 31)] ?? 0) >> (2 * (r >> 5))) & 3;
      out[o + e] = (scales[e >> 4] ?? 0) * ((low | (high << 4)) - 32);
    }
  }
}

/** Q8_K block (292 bytes): float32 d, qs[256] (int8), bsums[16] (int16, only used by dot products). */
export function dequantQ8_K(src: Uint8Array, out: Float32Array): void {
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  for (let b = 0, o = 0; o < out.length; b += 292, o += QK) {
    const d = view.getFloat32(b, true);
    for (let e = 0; e < QK; e++) out[o + e] = d * (((src[b + 4 + e] ?? 0) << 24) >> 24);
  }
}
