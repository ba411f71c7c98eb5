import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SHARD_INDEX_FILE } from '../../../src/formats/safetensors-shards.ts';
import { readModelSafetensors } from '../../../src/formats/safetensors-shards-node.ts';
import { writeSafetensors } from '../../../src/formats/safetensors-write.ts';
import { shardName, threeShardFolder, tinyLlamaTensors, unshardedFolder } from '../models/sharded-fixture.ts';

const tensors = tinyLlamaTensors();
const dirs: string[] = [];

function writeFolder(files: Map<string, Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'punchline-shards-'));
  dirs.push(dir);
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('readModelSafetensors (Node)', () => {
  it('reads a three-shard folder as the same file as the unsharded folder', () => {
    const single = readModelSafetensors(writeFolder(unshardedFolder(tensors)));
    const dir = writeFolder(threeShardFolder(tensors));
    const merged = readModelSafetensors(dir);
    expect(merged.bytes).toEqual(single.bytes);
    expect(merged.label).toBe(join(dir, SHARD_INDEX_FILE));
    expect(merged.tensors.map((t) => t.name).sort()).toEqual(tensors.map((t) => t.name).sort());
  });

  it('names a missing shard, an unnamed shard and a truncated shard', () => {
    const files = threeShardFolder(tensors);
    const dir = writeFolder(files);
    writeFileSync(join(dir, 'model-00004-of-00004.safetensors'), writeSafetensors([]));
    expect(() => readModelSafetensors(dir)).toThrow(/does not name model-00004-of-00004\.safetensors/);
    rmSync(join(dir, 'model-00004-of-00004.safetensors'));
    truncateSync(join(dir, shardName(2, 3)), (files.get(shardName(2, 3))?.length ?? 0) - 1);
    expect(() => readModelSafetensors(dir)).toThrow(
      new RegExp(`${shardName(2, 3)}: is \\d+ bytes but its header describes \\d+`),
    );
    writeFileSync(join(dir, shardName(2, 3)), files.get(shardName(2, 3)) as Uint8Array);
    rmSync(join(dir, shardName(0, 3)));
    expect(() => readModelSafetensors(dir)).toThrow(
      /names shard model-00001-of-00003\.safetensors, which is missing/,
    );
  });

  it('says when a folder has no weights at all', () => {
    const dir = writeFolder(new Map());
    expect(() => readModelSafetensors(dir)).toThrow(
      /has neither model\.safetensors nor model\.safetensors\.index\.json/,
    );
  });
});
