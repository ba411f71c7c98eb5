import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseSafetensors,
  parseSafetensorsHeader,
  readFloat32,
  readInt32,
  SafetensorsError,
  tensorBytes,
} from '../../../src/formats/safetensors.ts';
import { writeSafetensors } from '../../../src/formats/safetensors-write.ts';
import { f32ArrayToBf16, f32ArrayToF16 } from '../../../src/formats/dtype.ts';

const fixtureDir = new URL('../../fixtures/safetensors/', import.meta.url);
const fixture = new Uint8Array(readFileSync(new URL('tiny.safetensors', fixtureDir)));
const expected = JSON.parse(readFileSync(new URL('tiny.expected.json', fixtureDir), 'utf8')) as {
  metadata: Record<string, string>;
  tensors: Record<string, { shape: number[]; values: number[] }>;
};

/** Builds a file from a raw header object, for malformed-header cases the writer would refuse to produce. */
function rawFile(header: unknown, dataBytes: number, headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  return out;
}

function expectError(bytes: Uint8Array, pattern: RegExp): SafetensorsError {
  let caught: unknown;
  try {
    parseSafetensors(bytes, 'bad.safetensors');
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SafetensorsError);
  expect((caught as Error).message).toMatch(/^bad\.safetensors: /);
  expect((caught as Error).message).toMatch(pattern);
  return caught as SafetensorsError;
}

describe('reading a file written by Python safetensors', () => {
  const file = parseSafetensors(fixture, 'tiny.safetensors');

  it('reads metadata, names and shapes', () => {
    expect(file.metadata).toEqual(expected.metadata);
    expect(file.tensors.map((t) => t.name).sort()).toEqual(Object.keys(expected.tensors).sort());
    for (const [name, ref] of Object.entries(expected.tensors))
      expect(file.byName.get(name)?.shape).toEqual(ref.shape);
  });

  it('decodes F32, F16 and BF16 to the values torch reads', () => {
    for (const name of ['wte.weight', 'half', 'brain', 'empty']) {
      const values = readFloat32(file, name);
      const ref = expected.tensors[name]?.values ?? [];
      expect(values.length).toBe(ref.length);
      ref.forEach((v, i) => expect(values[i]).toBe(Math.fround(v)));
    }
  });

  it('decodes I64 and BOOL', () => {
    expect(Array.from(readInt32(file, 'ids'))).toEqual(expected.tensors.ids?.values);
    expect(Array.from(readInt32(file, 'flag'))).toEqual(expected.tensors.flag?.values);
  });

  it('refuses float reads of integer tensors and unknown names', () => {
    expect(() => readFloat32(file, 'ids')).toThrow(/tensor "ids": dtype I64 is not a float type/);
    expect(() => readFloat32(file, 'missing')).toThrow(/tensor "missing": tensor not found/);
  });
});

describe('writer', () => {
  it('round-trips every dtype through the reader', () => {
    const f32 = new Float32Array([1.5, -2.25, 3e-8, 1e20, 0, -0]);
    const tensors = [
      { name: 'a.f32', dtype: 'F32' as const, shape: [2, 3], data: f32 },
      {
        name: 'b.f16',
        dtype: 'F16' as const,
        shape: [6],
        data: f32ArrayToF16(new Float32Array([1, -0.5, 2048, 0.099975586, 6e-8, 65504])),
      },
      {
        name: 'c.bf16',
        dtype: 'BF16' as const,
        shape: [3],
        data: f32ArrayToBf16(new Float32Array([1, -0.375, 256])),
      },
      { name: 'd.i64', dtype: 'I64' as const, shape: [2], data: new BigInt64Array([5n, -9n]) },
      { name: 'e.u8', dtype: 'U8' as const, shape: [1, 3], data: new Uint8Array([0, 7, 255]) },
      { name: 'f.f64', dtype: 'F64' as const, shape: [], data: new Float64Array([0.1]) },
    ];
    const bytes = writeSafetensors(tensors, { metadata: { format: 'pt' } });
    const headerLength = new DataView(bytes.buffer).getUint32(0, true);
    expect(headerLength % 8).toBe(0);
    const file = parseSafetensors(bytes, 'roundtrip');
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(Array.from(readFloat32(file, 'a.f32'))).toEqual(Array.from(f32));
    expect(Array.from(readFloat32(file, 'b.f16'))).toEqual([
      1, -0.5, 2048, 0.0999755859375, 5.960464477539063e-8, 65504,
    ]);
    expect(Array.from(readFloat32(file, 'c.bf16'))).toEqual([1, -0.375, 256]);
    expect(Array.from(readInt32(file, 'd.i64'))).toEqual([5, -9]);
    expect(Array.from(readInt32(file, 'e.u8'))).toEqual([0, 7, 255]);
    expect(readFloat32(file, 'f.f64')[0]).toBe(Math.fround(0.1));
    for (const info of file.tensors)
      expect(info.byteOffset % (info.dtype === 'F64' || info.dtype === 'I64' ? 8 : 1)).toBe(0);
  });

  it('reproduces the Python-written fixture byte for byte', () => {
    const file = parseSafetensors(fixture, 'tiny.safetensors');
    const rewritten = writeSafetensors(
      file.tensors.map((t) => ({
        name: t.name,
        dtype: t.dtype,
        shape: t.shape,
        data: tensorBytes(file, t.name),
      })),
      { metadata: file.metadata },
    );
    expect(rewritten).toEqual(fixture);
  });

  it('rejects data whose size does not match the shape, and duplicate names', () => {
    expect(() =>
      writeSafetensors([{ name: 'w', dtype: 'F32', shape: [2, 2], data: new Float32Array(3) }]),
    ).toThrow(/tensor "w": data has 12 bytes; shape \[2,2\] of F32 needs 16/);
    const t = { name: 'w', dtype: 'F32' as const, shape: [1], data: new Float32Array(1) };
    expect(() => writeSafetensors([t, t])).toThrow(/tensor "w": name given more than once/);
  });
});

describe('header validation', () => {
  const entry = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };

  it('accepts a minimal valid file and an empty one', () => {
    expect(parseSafetensors(rawFile({ w: entry }, 8), 'ok').tensors).toHaveLength(1);
    expect(parseSafetensors(rawFile({}, 0), 'ok').tensors).toHaveLength(0);
  });

  it('rejects a header length beyond the limit before reading it', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setUint32(0, 200_000_000, true);
    expectError(bytes, /header length 200000000 exceeds the 100000000-byte limit/);
    new DataView(bytes.buffer).setUint32(4, 1, true);
    expectError(bytes, /exceeds/);
  });

  it('rejects a header length past the end of the file', () => {
    const bytes = rawFile({ w: entry }, 8).subarray(0, 20);
    expectError(bytes, /runs past the end of the 20-byte file/);
    expectError(new Uint8Array(5), /file is 5 bytes/);
  });

  it('rejects invalid JSON and non-object headers', () => {
    expectError(rawFile(null, 0, '{"w": '), /not valid JSON/);
    expectError(rawFile(null, 0, '[1, 2]'), /starting with "\{"/);
  });

  it('names the tensor with an unknown dtype, bad shape or bad offsets', () => {
    expect(expectError(rawFile({ w: { ...entry, dtype: 'F13' } }, 8), /unsupported dtype "F13"/).tensor).toBe(
      'w',
    );
    expectError(
      rawFile({ w: { ...entry, shape: [-2] } }, 8),
      /tensor "w": shape \[-2\] has an invalid dimension -2/,
    );
    expectError(rawFile({ w: { ...entry, shape: [1.5] } }, 8), /invalid dimension 1.5/);
    expectError(
      rawFile({ w: { ...entry, data_offsets: [8, 0] } }, 8),
      /tensor "w": "data_offsets" \[8,0\] must be integers/,
    );
    expectError(
      rawFile({ w: { ...entry, shape: [3] } }, 8),
      /tensor "w": data_offsets \[0, 8\] hold 8 bytes; shape \[3\] of F32 needs 12/,
    );
  });

  it('rejects overlapping tensors, gaps and trailing or missing bytes', () => {
    const overlap = { a: entry, b: { ...entry, data_offsets: [4, 12] } };
    expectError(rawFile(overlap, 12), /tensor "b": data_offsets overlaps the previous tensor/);
    const gap = { a: entry, b: { ...entry, data_offsets: [12, 20] } };
    expectError(rawFile(gap, 20), /tensor "b": data_offsets leaves a gap/);
    expectError(rawFile({ w: entry }, 12), /cover 8 data bytes but the file has 12/);
    expectError(
      rawFile({ w: { ...entry, shape: [4], data_offsets: [0, 16] } }, 8),
      /cover 16 data bytes but the file has 8/,
    );
  });

  it('rejects a name given twice and malformed metadata', () => {
    const text = `{"w":${JSON.stringify(entry)},"w":${JSON.stringify(entry)}}`;
    expectError(rawFile(null, 8, text), /tensor "w": name appears more than once/);
    expectError(rawFile({ __metadata__: { step: 3 } }, 0), /__metadata__ "step" must be a string/);
  });

  it('validates a large file from its first bytes only', () => {
    const file = rawFile({ w: { dtype: 'F32', shape: [1000, 1000], data_offsets: [0, 4_000_000] } }, 0);
    const header = parseSafetensorsHeader(file, file.length + 4_000_000, 'big.safetensors');
    expect(header.tensors[0]?.byteOffset).toBe(header.dataStart);
  });
});
