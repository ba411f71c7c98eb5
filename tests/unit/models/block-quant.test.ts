import { describe, expect, it } from 'vitest';
import { seededNormal } from '../../../src/engine/arch/init.ts';
import { dequantizeBlockwise, quantizeBlockwise } from '../../../src/models/block-quant.ts';

describe('quantizeBlockwise (MatMulNBits layout)', () => {
  it.each([4, 8] as const)('%i bits: every value within half a step of its block, zero exact', (bits) => {
    const normal = seededNormal(3);
    const N = 5;
    const K = 80; // 3 blocks of 32, the last padded
    const w = Float32Array.from({ length: N * K }, (_, i) => (i % 7 === 0 ? 0 : normal()));
    const q = quantizeBlockwise(w, N, K, bits, 32);
    expect(q.packed).toHaveLength((N * 3 * 32 * bits) / 8);
    expect(q.scales).toHaveLength(N * 3);
    expect(q.zeroPoints).toHaveLength(bits === 4 ? N * 2 : N * 3);
    const back = dequantizeBlockwise(q);
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) {
        const i = n * K + k;
        const step = q.scales[n * 3 + Math.floor(k / 32)] as number;
        expect(Math.abs((back[i] as number) - (w[i] as number))).toBeLessThanOrEqual(step / 2 + 1e-6);
        if (w[i] === 0) expect(back[i]).toBe(0);
      }
    }
  });

  it('4 bits: nibble order as MatMulNBits reads it (element 2i low, 2i+1 high; block 2j zero point low)', () => {
    // One row, two blocks of 16: block 0 holds the grid (q - 3) * 0.5 for q = 0..15, block 1 is (q - 0) * 2.
    const w = new Float32Array(32);
    for (let j = 0; j < 16; j++) {
      w[j] = (j - 3) * 0.5;
      w[16 + j] = j * 2;
    }
    const q = quantizeBlockwise(w, 1, 32, 4, 16);
    expect(Array.from(q.scales)).toEqual([0.5, 2]);
    expect(Array.from(q.zeroPoints)).toEqual([3 | (0 << 4)]);
    expect(q.packed[0]).toBe(0 | (1 << 4)); // elements 0 and 1 of block 0
    expect(q.packed[8]).toBe(0 | (1 << 4)); // block 1 starts at byte 8
    expect(Array.from(dequantizeBlockwise(q))).toEqual(Array.from(w));
  });

  it('float zero points: a block of GGUF Q4_1 form (q * d + m, q = 0..15) comes back to float32 rounding', () => {
    const w = Float32Array.from({ length: 32 }, (_, j) => (j % 16) * 0.37 - 0.81);
    const q = quantizeBlockwise(w, 1, 32, 4, 32, 'float');
    expect(q.zeroPoints).toBeInstanceOf(Float32Array);
    const back = dequantizeBlockwise(q);
    back.forEach((v, i) => expect(v).toBeCloseTo(w[i] as number, 6));
    // The same block with integer zero points is off by up to half a (wider) step.
    const integer = dequantizeBlockwise(quantizeBlockwise(w, 1, 32, 4, 32, 'uint8'));
    expect(Math.max(...integer.map((v, i) => Math.abs(v - (w[i] as number))))).toBeGreaterThan(1e-3);
  });

  it('refuses layouts MatMulNBits cannot run and mismatched sizes', () => {
    expect(() => quantizeBlockwise(new Float32Array(32), 1, 32, 4, 24)).toThrow(/power of two/);
    expect(() => quantizeBlockwise(new Float32Array(32), 1, 32, 3 as 4, 32)).toThrow(/4 or 8/);
    expect(() => quantizeBlockwise(new Float32Array(31), 1, 32, 4, 32)).toThrow(/N\*K/);
  });
});
