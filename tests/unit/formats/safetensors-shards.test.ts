import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dtypeByteSize, type SafetensorsDType } from '../../../src/formats/dtype.ts';
import {
  ShardScatter,
  allocateMerged,
  mergeShardBytes,
  parseShardHeader,
  parseShardIndex,
  planShardMerge,
  shardHeaderEnd,
  type ShardHeader,
  type ShardIndex,
} from '../../../src/formats/safetensors-shards.ts';
import { writeSafetensors, type SafetensorsTensorInput } from '../../../src/formats/safetensors-write.ts';

const dtypes: SafetensorsDType[] = ['F64', 'I64', 'F32', 'I32', 'F16', 'BF16', 'I16', 'U8', 'I8', 'BOOL'];

const tensorSet = fc
  .uniqueArray(
    fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9._]{0,10}$/),
      dtype: fc.constantFrom(...dtypes),
      shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
      seed: fc.integer({ min: 0, max: 255 }),
    }),
    { minLength: 1, maxLength: 12, selector: (t) => t.name },
  )
  .map((specs) =>
    specs.map(({ name, dtype, shape, seed }): SafetensorsTensorInput => {
      const length = shape.reduce((a, b) => a * b, 1) * dtypeByteSize(dtype);
      return { name, dtype, shape, data: Uint8Array.from({ length }, (_, i) => (seed + 31 * i) % 256) };
    }),
  );

/** Tensors split over shards; only shards that hold a tensor exist, as with transformers. */
const shardedSet = tensorSet.chain((tensors) =>
  fc
    .array(fc.integer({ min: 0, max: 4 }), { minLength: tensors.length, maxLength: tensors.length })
    .map((shardOf) => {
      const shards = new Map<string, Uint8Array>();
      const weightMap: Record<string, string> = {};
      for (let s = 0; s <= 4; s++) {
        const held = tensors.filter((_, i) => shardOf[i] === s);
        if (held.length === 0) continue;
        const name = `model-0000${s + 1}-of-00005.safetensors`;
        shards.set(name, writeSafetensors(held, { metadata: { format: 'pt' } }));
        for (const t of held) weightMap[t.name] = name;
      }
      const index = parseShardIndex(
        new TextEncoder().encode(JSON.stringify({ weight_map: weightMap })),
        'index.json',
      );
      return { tensors, shards, index };
    }),
);

/** The streaming path: headers from each shard's first bytes, then the bytes in chunks of the given sizes. */
function mergeByStreaming(
  index: ShardIndex,
  shards: ReadonlyMap<string, Uint8Array>,
  chunkSizes: readonly number[],
): Uint8Array {
  const headers = new Map<string, ShardHeader>();
  for (const [name, bytes] of shards)
    headers.set(name, parseShardHeader(bytes.subarray(0, shardHeaderEnd(bytes, name)), name));
  const plan = planShardMerge(index, headers);
  const merged = allocateMerged(plan);
  let turn = 0;
  for (const [name, bytes] of shards) {
    const header = headers.get(name) as ShardHeader;
    expect(header.fileSize).toBe(bytes.length);
    const scatter = new ShardScatter(
      merged,
      plan.copies.get(name) ?? [],
      bytes.subarray(0, header.dataStart),
      header.fileSize,
      name,
    );
    for (let at = 0; at < bytes.length; turn++) {
      const size = chunkSizes[turn % chunkSizes.length] as number;
      scatter.write(bytes.subarray(at, at + size));
      at += size;
    }
    scatter.finish();
  }
  return merged;
}

describe('merging safetensors shards', () => {
  it('any split of a tensor set into shards merges to the file writeSafetensors writes for the whole set', () => {
    fc.assert(
      fc.property(shardedSet, ({ tensors, shards, index }) => {
        const whole = writeSafetensors(tensors, { metadata: { format: 'pt' } });
        expect(mergeShardBytes(index, shards)).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });

  it('streaming the shards in chunks of any size gives the same bytes', () => {
    fc.assert(
      fc.property(
        shardedSet,
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 6 }),
        ({ tensors, shards, index }, chunkSizes) => {
          const whole = writeSafetensors(tensors, { metadata: { format: 'pt' } });
          expect(mergeByStreaming(index, shards, chunkSizes)).toEqual(whole);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a streamed shard whose header differs, or that runs long or short, is refused', () => {
    const shard = writeSafetensors([
      { name: 'w', dtype: 'F32', shape: [2, 3], data: new Float32Array(6).fill(1.5) },
    ]);
    const header = parseShardHeader(shard, 's.safetensors');
    const plan = planShardMerge(
      parseShardIndex(new TextEncoder().encode('{"weight_map": {"w": "s.safetensors"}}'), 'i.json'),
      new Map([['s.safetensors', header]]),
    );
    const scatter = () =>
      new ShardScatter(
        allocateMerged(plan),
        plan.copies.get('s.safetensors') ?? [],
        shard.subarray(0, header.dataStart),
        header.fileSize,
        's.safetensors',
      );
    const changed = shard.slice();
    changed[9] = 0x20;
    expect(() => scatter().write(changed)).toThrow('s.safetensors: header changed between two reads');
    const long = new Uint8Array(shard.length + 1);
    long.set(shard);
    expect(() => scatter().write(long)).toThrow(/more than the \d+ bytes its header describes/);
    const short = scatter();
    short.write(shard.subarray(0, -1));
    expect(() => short.finish()).toThrow(`ended after ${shard.length - 1} of ${shard.length} bytes`);
  });

  it('says when the merged file is too large to allocate, from the headers alone', () => {
    const json = JSON.stringify({ w: { dtype: 'U8', shape: [2 ** 50], data_offsets: [0, 2 ** 50] } });
    const prefix = new Uint8Array(8 + json.length);
    new DataView(prefix.buffer).setUint32(0, json.length, true);
    prefix.set(new TextEncoder().encode(json), 8);
    const header = parseShardHeader(prefix, 'huge.safetensors');
    expect(header.fileSize).toBe(prefix.length + 2 ** 50);
    const plan = planShardMerge(
      parseShardIndex(new TextEncoder().encode('{"weight_map": {"w": "huge.safetensors"}}'), 'i.json'),
      new Map([['huge.safetensors', header]]),
    );
    expect(() => allocateMerged(plan)).toThrow(
      /needs \d+ bytes in one buffer, more than this JavaScript engine/,
    );
  });

  it('refuses a header length past the limit before reading it', () => {
    const prefix = new Uint8Array(8);
    new DataView(prefix.buffer).setUint32(4, 1, true);
    expect(() => shardHeaderEnd(prefix, 'big.safetensors')).toThrow(
      /big\.safetensors: header length .* exceeds/,
    );
  });
});
