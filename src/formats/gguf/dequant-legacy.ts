/**
 * Dequantisation of ggml's 32-element block formats (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0) to float32.
 * Each block stores a half-precision scale d (and for the _1 kinds a minimum m) followed by packed codes;
 * element j of a block is q_j * d (+ m). In the 4/5-bit kinds the low nibbles of the 16 code bytes hold
 * elements 0..15 and the high nibbles elements 16..31; Q5's fifth bits are a little-endian uint32.
 */
import { f16Table } from './half.ts';

const BLOCK = 32;

export function dequantQ4_0(src: Uint8Array, out: Float32Array): void {
  const half = f16Table();
  for (let b = 0, o = 0; o < out.length; b += 18, o += BLOCK) {
    const d = half[(src[b] ?? 0) | ((src[b + 1] ?? 0) << 8)] ?? 0;
    for (let j = 0; j < 16; j++) {
      const byte = src[b + 2 + j] ?? 0;
      out[o + j] = ((byte & 15) - 8) * d;
      out[o + j + 16] = ((byte >> 4) - 8) * d;
    }
  }
}

export function dequantQ4_1(src: Uint8Array, out: Float32Array): void {
  const half = f16Table();
  for (let b = 0, o = 0; o < out.length; b += 20, o += BLOCK) {
    const d = half[(src[b] ?? 0) | ((src[b + 1] ?? 0) << 8)] ?? 0;
    const m = half[(src[b + 2] ?? 0) | ((src[b + 3] ?? 0) << 8)] ?? 0;
    for (let j = 0; j < 16; j++) {
      const byte = src[b + 4 + j] ?? 0;
      out[o + j] = (byte & 15) * d + m;
      out[o + j + 16] = (byte >> 4) * d + m;
    }
  }
}

function highBits(src: Uint8Array, at: number): number {
  return (
    ((src[at] ?? 0) | ((src[at + 1] ?? 0) << 8) | ((src[at + 2] ?? 0) << 16) | ((src[at + 3] ?? 0) << 24)) >>>
    0
  );
}

export function dequantQ5_0(src: Uint8Array, out: Float32Array): void {
  const half = f16Table();
  for (let b = 0, o = 0; o < out.length; b += 22, o += BLOCK) {
    const d = half[(src[b] ?? 0) | ((src[b + 1] ?? 0) << 8)] ?? 0;
    const qh = highBits(src, b + 2);
    for (let j = 0; j < 16; j++) {
      const byte = src[b + 6 + j] ?? 0;
      out[o + j] = (((byte & 15) | (((qh >>> j) & 1) << 4)) - 16) * d;
      out[o + j + 16] = (((byte >> 4) | (((qh >>> (j + 16)) & 1) << 4)) - 16) * d;
    }
  }
}

export function dequantQ5_1(src: Uint8Array, out: Float32Array): void {
  const half = f16Table();
  for (let b = 0, o = 0; o < out.length; b += 24, o += BLOCK) {
    const d = half[(src[b] ?? 0) | ((src[b + 1] ?? 0) << 8)] ?? 0;
    const m = half[(src[b + 2] ?? 0) | ((src[b + 3] ?? 0) << 8)] ?? 0;
    const qh = highBits(src, b + 4);
    for (let j = 0; j < 16; j++) {
      const byte = src[b + 8 + j] ?? 0;
      out[o + j] = ((byte & 15) | (((qh >>> j) & 1) << 4)) * d + m;
      out[o + j + 16] = ((byte >> 4) | (((qh >>> (j + 16)) & 1) << 4)) * d + m;
    }
  }
}

export function dequantQ8_0(src: Uint8Array, out: Float32Array): void {
  const half = f16Table();
  for (let b = 0, o = 0; o < out.length; b += 34, o += BLOCK) {
    const d = half[(src[b] ?? 0) | ((src[b + 1] ?? 0) << 8)] ?? 0;
    for (let j = 0; j < BLOCK; j++) out[o + j] = (((src[b + 2 + j] ?? 0) << 24) >> 24) * d;
  }
}
