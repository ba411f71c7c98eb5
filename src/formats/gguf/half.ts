import { f16BitsToF32 } from '../dtype.ts';

let table: Float32Array | null = null;

/** All 65,536 half-precision values as float32, built on first use (256 KiB). */
export function f16Table(): Float32Array {
  if (table === null) {
    table = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) table[bits] = f16BitsToF32(bits);
  }
  return table;
}
