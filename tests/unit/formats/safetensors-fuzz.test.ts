import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSafetensors, SafetensorsError, tensorBytes } from '../../../src/formats/safetensors.ts';
import { writeSafetensors } from '../../../src/formats/safetensors-write.ts';

/** Either a parsed file whose tensors all lie inside the buffer, or a SafetensorsError: nothing else. */
function parseOrCleanError(bytes: Uint8Array): 'parsed' | 'rejected' {
  try {
    const file = parseSafetensors(bytes, 'fuzz.safetensors');
    for (const info of file.tensors) {
      expect(info.byteOffset).toBeGreaterThanOrEqual(file.dataStart);
      expect(info.byteOffset + info.byteLength).toBeLessThanOrEqual(bytes.length);
      expect(tensorBytes(file, info.name).length).toBe(info.byteLength);
    }
    return 'parsed';
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw error;
    expect(error.message.startsWith('fuzz.safetensors: ')).toBe(true);
    return 'rejected';
  }
}

const validFile = writeSafetensors(
  [
    {
      name: 'transformer.h.0.attn.c_attn.weight',
      dtype: 'F32',
      shape: [2, 6],
      data: new Float32Array(12).fill(0.5),
    },
    { name: 'ids', dtype: 'I64', shape: [3], data: new BigInt64Array([1n, 2n, 3n]) },
    { name: 'mask', dtype: 'BOOL', shape: [2, 2], data: new Uint8Array([1, 0, 0, 1]) },
  ],
  { metadata: { format: 'pt' } },
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('digit' as const), at: fc.nat(), digit: fc.integer({ min: 0, max: 9 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'flip') out[at] = m.value;
    else if (m.kind === 'truncate') out = out.slice(0, at);
    else if (m.kind === 'insert')
      out = new Uint8Array([...out.subarray(0, at), ...m.bytes, ...out.subarray(at)]);
    else {
      // Digits inside the JSON header hit shapes and offsets, the fields a hostile file would forge.
      const digits = [...out.keys()].filter((i) => i >= 8 && (out[i] ?? 0) >= 0x30 && (out[i] ?? 0) <= 0x39);
      const target = digits[at % Math.max(1, digits.length)];
      if (target !== undefined) out[target] = 0x30 + m.digit;
    }
  }
  return out;
}

describe('safetensors parser under fuzzing', () => {
  it('the unmutated file parses', () => {
    expect(parseOrCleanError(validFile)).toBe('parsed');
  });

  it('random bytes are parsed or cleanly rejected', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        parseOrCleanError(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes behind a plausible header length are parsed or cleanly rejected', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.nat({ max: 2 ** 32 - 1 }),
        fc.nat({ max: 2 ** 32 - 1 }),
        (body, low, high) => {
          const bytes = new Uint8Array(8 + body.length);
          new DataView(bytes.buffer).setUint32(0, low % (body.length + 1), true);
          if (high % 4 === 0) new DataView(bytes.buffer).setUint32(4, high, true);
          bytes.set(body, 8);
          parseOrCleanError(bytes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('mutated valid files are parsed or cleanly rejected', () => {
    const outcomes = { parsed: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        outcomes[parseOrCleanError(mutate(validFile, mutations))]++;
      }),
      { numRuns: 1000 },
    );
    // Both paths were exercised: some mutations land in tensor data (still valid), many break the header.
    expect(outcomes.parsed).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });
});
