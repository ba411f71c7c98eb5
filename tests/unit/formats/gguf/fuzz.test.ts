import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertLlamaGguf } from '../../../../src/formats/gguf/convert-llama.ts';
import { dequantizeTensor } from '../../../../src/formats/gguf/dequantize.ts';
import { GgufError } from '../../../../src/formats/gguf/errors.ts';
import { parseGguf } from '../../../../src/formats/gguf/reader.ts';
import { tokenizerFromGguf } from '../../../../src/formats/gguf/tokenizer-json.ts';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../../fixtures/gguf/${name}`, import.meta.url)));
const seeds = [fixture('quants.gguf'), fixture('tiny-llama.gguf')];

/** Whatever the bytes: a parsed file whose tensors lie inside it and dequantise, or a GgufError. */
function parseOrCleanError(bytes: Uint8Array): 'parsed' | 'rejected' {
  try {
    const file = parseGguf(bytes, 'fuzz.gguf');
    for (const info of file.tensors) {
      expect(info.byteOffset + info.byteLength).toBeLessThanOrEqual(bytes.length);
      if (info.elementCount <= 1 << 16) expect(dequantizeTensor(file, info).length).toBe(info.elementCount);
    }
    if (file.metadata.has('tokenizer.ggml.tokens')) {
      tokenizerFromGguf(file);
      convertLlamaGguf(file);
    }
    return 'parsed';
  } catch (error) {
    if (!(error instanceof GgufError)) throw error;
    expect(error.message.startsWith('fuzz.gguf: ')).toBe(true);
    return 'rejected';
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 8 }) }),
  // Large counts and lengths are what hostile headers use: write an 8-byte little-endian value.
  fc.record({
    kind: fc.constant('u64' as const),
    at: fc.nat(),
    value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(source: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = source.slice();
  // Most fields live in the header, so aim most mutations there.
  const headerEnd = Math.min(bytes.length, 4096);
  for (const m of mutations) {
    const at = m.at % Math.max(1, m.kind === 'truncate' ? bytes.length : headerEnd);
    if (m.kind === 'set') bytes[at] = m.value;
    else if (m.kind === 'truncate') bytes = bytes.slice(0, at);
    else if (m.kind === 'insert')
      bytes = Uint8Array.from([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
    else if (at + 8 <= bytes.length) new DataView(bytes.buffer).setBigUint64(at, m.value, true);
  }
  return bytes;
}

describe('GGUF reader fuzzing', () => {
  it('turns random bytes into a clean GgufError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        expect(parseOrCleanError(bytes)).toBe('rejected');
      }),
      { numRuns: 300 },
    );
  });

  it('parses or cleanly rejects mutated real files, without hangs or huge allocations', () => {
    const outcomes = { parsed: 0, rejected: 0 };
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (seed, ms) => {
          outcomes[parseOrCleanError(mutate(seeds[seed] ?? new Uint8Array(), ms))]++;
        },
      ),
      { numRuns: 300 },
    );
    expect(outcomes.rejected).toBeGreaterThan(0);
    expect(outcomes.parsed).toBeGreaterThan(0);
  });
});
