import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dequantize, dequantizeTensor } from '../../../../src/formats/gguf/dequantize.ts';
import { parseGguf, rowMajorShape } from '../../../../src/formats/gguf/reader.ts';
import { parseSafetensors, readFloat32 } from '../../../../src/formats/safetensors.ts';
import { expectGgufError } from './expect-gguf-error.ts';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../../fixtures/gguf/${name}`, import.meta.url)));

// Written by tests/fixtures/gguf/make.py with the PyPI gguf package (GGUFWriter + gguf.quants).
const quants = parseGguf(fixture('quants.gguf'), 'quants.gguf');
const expected = parseSafetensors(fixture('quants.expected.safetensors'), 'quants.expected.safetensors');

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return worst;
}

describe('GGUF dequantisation against the Python gguf reference', () => {
  const types = [
    'F32',
    'F16',
    'BF16',
    'Q8_0',
    'Q4_0',
    'Q4_1',
    'Q5_0',
    'Q5_1',
    'Q2_K',
    'Q3_K',
    'Q4_K',
    'Q5_K',
    'Q6_K',
    'Q8_K',
  ];

  it('holds one (4, 256) tensor of every type', () => {
    expect(quants.tensors.map((t) => t.type.name).sort()).toEqual([...types].sort());
    for (const t of quants.tensors) expect(rowMajorShape(t)).toEqual([4, 256]);
  });

  it.each(types)('%s matches bit for bit', (type) => {
    const info = quants.tensors.find((t) => t.type.name === type);
    if (info === undefined) throw new Error(`fixture lacks ${type}`);
    const ours = dequantizeTensor(quants, info);
    const reference = readFloat32(expected, info.name);
    expect(ours.length).toBe(1024);
    expect(reference.some((v) => v !== 0)).toBe(true);
    expect(maxAbsDiff(ours, reference)).toBe(0);
  });

  it('refuses a type it cannot decode, naming the tensor and the supported types', () => {
    expectGgufError(
      () => dequantize('IQ2_XXS', new Uint8Array(66), 256, 'x.gguf', 'tensor "w"'),
      'tensor "w"',
      /^x\.gguf: tensor "w": tensor type IQ2_XXS cannot be dequantised here; supported: .*Q4_K/,
    );
  });
});
