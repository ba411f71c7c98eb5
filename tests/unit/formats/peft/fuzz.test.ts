import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exportPeftZip,
  importPeftAdapter,
  type AdapterSource,
} from '../../../../src/formats/peft/adapter-io.ts';
import { PeftError } from '../../../../src/formats/peft/errors.ts';
import { adapterFiles, filesSource, llamaBase } from './fixtures.ts';

const base = { config: llamaBase };
const lora = adapterFiles('llama-lora');
const validZip = exportPeftZip(importPeftAdapter(filesSource(lora), base), base);

/** An imported adapter, or a PeftError that names its file: never another exception. */
function importOrCleanError(source: AdapterSource): 'imported' | 'rejected' {
  try {
    const adapter = importPeftAdapter(source, base);
    for (const tensor of adapter.tensors.values()) {
      expect(tensor.data.length).toBe(tensor.shape.reduce((a, b) => a * b, 1));
    }
    return 'imported';
  } catch (error) {
    if (!(error instanceof PeftError)) throw error;
    expect(error.message.length).toBeGreaterThan(error.file.length + 2);
    return 'rejected';
  }
}

const edit = fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }), truncate: fc.boolean() });

function mutate(
  bytes: Uint8Array,
  edits: Array<{ at: number; value: number; truncate: boolean }>,
): Uint8Array {
  let out = bytes.slice();
  for (const e of edits) {
    const at = e.at % Math.max(1, out.length);
    if (e.truncate) out = out.slice(0, at);
    else out[at] = e.value;
  }
  return out;
}

describe('adapter importer fuzzing', () => {
  it('rejects random bytes given as a zip or as safetensors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expect(importOrCleanError({ kind: 'zip', bytes })).toBe('rejected');
        expect(
          importOrCleanError({ kind: 'files', config: JSON.stringify(lora.config), weights: bytes }),
        ).toBe('rejected');
      }),
      { numRuns: 200 },
    );
  });

  it('imports or cleanly rejects mutated zips', () => {
    const seen = { imported: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        seen[importOrCleanError({ kind: 'zip', bytes: mutate(validZip, edits) })]++;
      }),
      { numRuns: 300 },
    );
    expect(seen.rejected).toBeGreaterThan(0);
    expect(seen.imported).toBeGreaterThan(0);
  });

  it('imports or cleanly rejects mutated safetensors and configs', () => {
    const configBytes = new TextEncoder().encode(JSON.stringify(lora.config));
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), fc.boolean(), (edits, inConfig) => {
        const source: AdapterSource = inConfig
          ? { kind: 'files', config: mutate(configBytes, edits), weights: lora.weights }
          : { kind: 'files', config: configBytes, weights: mutate(lora.weights, edits) };
        importOrCleanError(source);
      }),
      { numRuns: 300 },
    );
  });
});
