import { describe, expect, it } from 'vitest';
import { dequantizeTensor } from '../../../../src/formats/gguf/dequantize.ts';
import { parseGguf, parseGgufHeader, rowMajorShape } from '../../../../src/formats/gguf/reader.ts';
import { expectGgufError } from './expect-gguf-error.ts';
import { f32Bytes, writeGguf, type TestGguf } from './gguf-writer.ts';

const weights = { name: 'w', dims: [3, 2], typeId: 0, data: f32Bytes([1, 2, 3, 4, 5, 6]) };

function withU64At(bytes: Uint8Array, offset: number, value: bigint): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setBigUint64(offset, value, true);
  return copy;
}

/** Byte offset of the data-offset field of a one-letter, two-dimensional tensor's info. */
function offsetField(bytes: Uint8Array, name: string): number {
  const at = bytes.indexOf(name.charCodeAt(0), 24);
  return at + 1 + 4 + 16 + 4; // name, n_dims, two dims, type
}

describe('GGUF header', () => {
  it('reads metadata of every value type, including nested arrays', () => {
    const file = parseGguf(
      writeGguf({
        metadata: {
          u8: { type: 'UINT8', value: 255 },
          i8: { type: 'INT8', value: -128 },
          u16: { type: 'UINT16', value: 65535 },
          i16: { type: 'INT16', value: -32768 },
          u32: { type: 'UINT32', value: 4294967295 },
          i32: { type: 'INT32', value: -2147483648 },
          f32: { type: 'FLOAT32', value: 0.1 },
          f64: { type: 'FLOAT64', value: 0.1 },
          bool: { type: 'BOOL', value: true },
          str: { type: 'STRING', value: '笑话 ✓' },
          u64: { type: 'UINT64', value: 2n ** 64n - 1n },
          i64: { type: 'INT64', value: -5n },
          arr: {
            type: 'ARRAY',
            itemType: 'ARRAY',
            items: [
              { type: 'ARRAY', itemType: 'STRING', items: [{ type: 'STRING', value: 'a' }] },
              { type: 'ARRAY', itemType: 'INT32', items: [] },
            ],
          },
        },
      }),
      'all.gguf',
    );
    const value = (key: string): unknown => file.metadata.get(key)?.value;
    expect([value('u8'), value('i8'), value('u16'), value('i16'), value('u32'), value('i32')]).toEqual([
      255, -128, 65535, -32768, 4294967295, -2147483648,
    ]);
    expect(value('f32')).toBe(Math.fround(0.1));
    expect(value('f64')).toBe(0.1);
    expect(value('bool')).toBe(true);
    expect(value('str')).toBe('笑话 ✓');
    expect(value('u64')).toBe(2n ** 64n - 1n);
    expect(value('i64')).toBe(-5);
    expect(file.metadata.get('arr')).toEqual({
      type: 'ARRAY',
      value: {
        itemType: 'ARRAY',
        items: [
          { itemType: 'STRING', items: ['a'] },
          { itemType: 'INT32', items: [] },
        ],
      },
    });
  });

  it('places tensor data by general.alignment and reads v2 files', () => {
    for (const spec of [{ alignment: 64 }, { alignment: 8, version: 2 }, {}] as TestGguf[]) {
      const bias = { name: 'b', dims: [2], typeId: 0, data: f32Bytes([7, 8]) };
      const file = parseGguf(writeGguf({ ...spec, tensors: [weights, bias] }), 'aligned.gguf');
      const alignment = spec.alignment ?? 32;
      expect(file.alignment).toBe(alignment);
      expect(file.version).toBe(spec.version ?? 3);
      expect(file.dataStart % alignment).toBe(0);
      const w = file.byName.get('w');
      const b = file.byName.get('b');
      if (!w || !b) throw new Error('tensors missing');
      expect(rowMajorShape(w)).toEqual([2, 3]);
      expect(Array.from(dequantizeTensor(file, w))).toEqual([1, 2, 3, 4, 5, 6]);
      expect(Array.from(dequantizeTensor(file, b))).toEqual([7, 8]);
      expect(b.byteOffset - w.byteOffset).toBe(Math.ceil(24 / alignment) * alignment);
    }
  });

  it('validates a large file from its header alone', () => {
    const bytes = writeGguf({ tensors: [weights] });
    const header = parseGgufHeader(bytes.subarray(0, bytes.length - 24), bytes.length, 'big.gguf');
    expect(header.tensors[0]?.byteOffset).toBe(bytes.length - 32);
    expectGgufError(
      () => parseGgufHeader(bytes.subarray(0, 40), bytes.length, 'big.gguf'),
      'tensor "w" dims[0]',
      /in the first 40 bytes given; pass a longer prefix of the file/,
    );
  });
});

describe('GGUF hostile and malformed files', () => {
  const good = writeGguf({ metadata: { k: { type: 'STRING', value: 'v' } }, tensors: [weights] });
  // Byte layout of `good`: magic 0, version 4, tensor_count 8, kv_count 16, key length 24.

  it('rejects a wrong magic or version', () => {
    expectGgufError(() => parseGguf(new Uint8Array([1, 2, 3]), 'x.gguf'), 'magic', /not a GGUF file/);
    expectGgufError(() => parseGguf(writeGguf({ version: 1 }), 'x.gguf'), 'version', /v1 is not supported/);
    expectGgufError(() => parseGguf(writeGguf({ version: 4 }), 'x.gguf'), 'version', /version 4/);
  });

  it('bounds counts and lengths by the bytes present before allocating', () => {
    expectGgufError(
      () => parseGguf(withU64At(good, 8, 2n ** 62n), 'x.gguf'),
      'tensor_count',
      /exceeds the limit/,
    );
    expectGgufError(
      () => parseGguf(withU64At(good, 16, 2n ** 40n), 'x.gguf'),
      'metadata_kv_count',
      /exceeds the limit/,
    );
    expectGgufError(
      () => parseGguf(withU64At(good, 24, 2n ** 63n), 'x.gguf'),
      'metadata entry #0 key',
      /string length/,
    );
    const hugeArray = writeGguf({ metadata: { a: { type: 'ARRAY', itemType: 'UINT64', items: [] } } });
    // The array length sits after: header 24 + key (8 + 1) + value type 4 + item type 4.
    expectGgufError(
      () => parseGguf(withU64At(hugeArray, 41, 2n ** 50n), 'x.gguf'),
      'a (array length)',
      /exceeds/,
    );
  });

  it('rejects truncated files, naming where they end', () => {
    expectGgufError(() => parseGguf(good.subarray(0, 30), 'x.gguf'), 'tensor_count', /exceeds the limit/);
    const inTensorInfo = good.subarray(0, offsetField(good, 'w') + 4);
    expectGgufError(
      () => parseGguf(inTensorInfo, 'x.gguf'),
      'tensor "w" offset',
      /needs 8 bytes .* \(truncated file\?\)/,
    );
    expectGgufError(
      () => parseGguf(good.subarray(0, good.length - 12), 'x.gguf'),
      'tensor "w"',
      /runs past the end/,
    );
  });

  it('rejects bad alignment, offsets, shapes and types', () => {
    expectGgufError(
      () => parseGguf(writeGguf({ alignment: 24, tensors: [weights] }), 'x.gguf'),
      'general.alignment',
      /power of two/,
    );
    const bad = (tensor: Partial<typeof weights>): Uint8Array =>
      writeGguf({ tensors: [{ ...weights, ...tensor }] });
    expectGgufError(
      () => parseGguf(bad({ typeId: 99 }), 'x.gguf'),
      'tensor "w"',
      /unknown ggml tensor type 99/,
    );
    expectGgufError(
      () => parseGguf(bad({ typeId: 2 }), 'x.gguf'),
      'tensor "w"',
      /not a multiple of the Q4_0 block size 32/,
    );
    expectGgufError(() => parseGguf(bad({ dims: [1, 1, 1, 1, 6] }), 'x.gguf'), 'tensor "w"', /n_dims is 5/);
    expectGgufError(
      () => parseGguf(bad({ dims: [2 ** 26, 2 ** 26] }), 'x.gguf'),
      'tensor "w"',
      /needs \d+ bytes/,
    );
    const offsetAt = offsetField(good, 'w');
    expect(new DataView(good.buffer).getBigUint64(offsetAt, true)).toBe(0n);
    expectGgufError(
      () => parseGguf(withU64At(good, offsetAt, 8n), 'x.gguf'),
      'tensor "w"',
      /not a multiple of the alignment/,
    );
    expectGgufError(
      () => parseGguf(withU64At(good, offsetAt, 2n ** 60n), 'x.gguf'),
      'tensor "w" offset',
      /exceeds/,
    );
  });

  it('rejects duplicate keys, duplicate tensors, overlaps and bad bools', () => {
    const twice = writeGguf({ tensors: [weights, { ...weights }] });
    expectGgufError(() => parseGguf(twice, 'x.gguf'), 'tensor "w"', /appears more than once/);
    const boolFile = writeGguf({ metadata: { flag: { type: 'BOOL', value: true } } });
    boolFile[24 + 8 + 4 + 4] = 7; // header, key length, "flag", value type
    expectGgufError(() => parseGguf(boolFile, 'x.gguf'), 'flag', /bool value must be 0 or 1, got 7/);
    const renamed = writeGguf({
      metadata: { ab: { type: 'UINT8', value: 1 }, ac: { type: 'UINT8', value: 2 } },
    });
    const key2 = renamed.indexOf(0x63, 40); // the "c" of the second key
    renamed[key2] = 0x62;
    expectGgufError(() => parseGguf(renamed, 'x.gguf'), 'ab', /appears more than once/);
    const overlapping = writeGguf({ tensors: [weights, { ...weights, name: 'v' }] });
    expectGgufError(
      () => parseGguf(withU64At(overlapping, offsetField(overlapping, 'v'), 0n), 'x.gguf'),
      'tensor "v"',
      /overlaps tensor "w"/,
    );
  });
});
