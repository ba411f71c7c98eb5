import { describe, expect, it } from 'vitest';
import { parseSafetensors, tensorBytes } from '../../../src/formats/safetensors.ts';
import { SHARD_INDEX_FILE } from '../../../src/formats/safetensors-shards.ts';
import { writeSafetensors } from '../../../src/formats/safetensors-write.ts';
import { ModelImportError } from '../../../src/worker/models/imported-model.ts';
import { importFolder } from '../../../src/worker/models/model-sources.ts';
import {
  asEntries,
  shardName,
  threeShardFolder,
  tinyLlamaTensors,
  unshardedFolder,
} from './sharded-fixture.ts';

const tensors = tinyLlamaTensors();
const unsharded = importFolder(asEntries(unshardedFolder(tensors), 'tiny'), 'tiny');
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes)) as unknown;

function indexOf(files: Map<string, Uint8Array>): { weight_map: Record<string, string> } {
  return decode(files.get(SHARD_INDEX_FILE)) as { weight_map: Record<string, string> };
}

function importing(files: Map<string, Uint8Array>): () => unknown {
  return () => importFolder(asEntries(files, 'tiny'), 'tiny');
}

describe('importFolder with sharded weights', () => {
  it('merges three shards into the model.safetensors the unsharded folder stores, byte for byte', () => {
    const folder = threeShardFolder(tensors);
    expect([...folder.keys()].filter((f) => f.includes('-of-')).length).toBe(3);
    const sharded = importFolder(asEntries(folder, 'tiny'), 'tiny');
    const merged = sharded.files.get('model.safetensors') as Uint8Array;
    expect(merged).toEqual(unsharded.files.get('model.safetensors'));
    const file = parseSafetensors(merged, 'merged');
    for (const t of tensors) {
      expect(file.byName.get(t.name)?.dtype).toBe(t.dtype);
      expect(tensorBytes(file, t.name)).toEqual(
        new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
      );
    }
    expect(sharded.card).toEqual(unsharded.card);
    expect([...sharded.files.keys()].sort()).toEqual([...unsharded.files.keys()].sort());
  });

  it('keeps model.safetensors when the folder has it beside an index, as transformers does', () => {
    const folder = new Map([...threeShardFolder(tensors), ...unshardedFolder(tensors)]);
    expect(importFolder(asEntries(folder, 'tiny'), 'tiny').files.get('model.safetensors')).toBe(
      folder.get('model.safetensors'),
    );
  });

  it('refuses an index that is not JSON or has no weight_map', () => {
    const folder = threeShardFolder(tensors);
    folder.set(SHARD_INDEX_FILE, new TextEncoder().encode('{"weight_map": {'));
    expect(importing(folder)).toThrow(/^tiny: model\.safetensors\.index\.json: not valid JSON/);
    folder.set(SHARD_INDEX_FILE, encode({ metadata: {} }));
    expect(importing(folder)).toThrow(/model\.safetensors\.index\.json: has no "weight_map"/);
    folder.set(SHARD_INDEX_FILE, encode({ weight_map: { 'model.norm.weight': '../model.safetensors' } }));
    expect(importing(folder)).toThrow(/tensor "model\.norm\.weight": weight_map gives "\.\.\/model/);
  });

  it('names a missing shard and says to add it', () => {
    const folder = threeShardFolder(tensors);
    folder.delete(shardName(1, 3));
    expect(importing(folder)).toThrow(ModelImportError);
    expect(importing(folder)).toThrow(
      /index\.json: names shard model-00002-of-00003\.safetensors, which is missing; add every file/,
    );
  });

  it('names a tensor that is not in the shard the index says, and the shard that has it', () => {
    const folder = threeShardFolder(tensors);
    const index = indexOf(folder);
    const moved = tensors[0]?.name as string;
    index.weight_map[moved] = shardName(2, 3);
    folder.set(SHARD_INDEX_FILE, encode(index));
    expect(importing(folder)).toThrow(
      `tensor "${moved}": the index puts it in ${shardName(2, 3)}, but ${shardName(2, 3)} does not hold it (${shardName(0, 3)} does)`,
    );
    index.weight_map['model.extra.weight'] = shardName(1, 3);
    index.weight_map[moved] = shardName(0, 3);
    folder.set(SHARD_INDEX_FILE, encode(index));
    expect(importing(folder)).toThrow(/tensor "model\.extra\.weight": .* \(no shard does\)/);
  });

  it('refuses a tensor held by two shards', () => {
    const folder = threeShardFolder(tensors);
    const twice = tensors[1] as (typeof tensors)[number];
    const second = tensors.filter((_, i) => i % 3 === 2);
    folder.set(shardName(2, 3), writeSafetensors([...second, twice]));
    expect(importing(folder)).toThrow(
      `${shardName(2, 3)}: tensor "${twice.name}": also held by ${shardName(1, 3)}; a tensor must be in exactly one shard`,
    );
  });

  it('refuses a shard tensor the index does not name', () => {
    const folder = threeShardFolder(tensors);
    const index = indexOf(folder);
    const dropped = tensors[4]?.name as string;
    delete index.weight_map[dropped];
    folder.set(SHARD_INDEX_FILE, encode(index));
    expect(importing(folder)).toThrow(`tensor "${dropped}": not named in ${SHARD_INDEX_FILE}`);
  });

  it('reports shards the index does not name', () => {
    const folder = threeShardFolder(tensors);
    folder.set('model-00004-of-00004.safetensors', writeSafetensors([]));
    expect(importing(folder)).toThrow(
      /index\.json: does not name model-00004-of-00004\.safetensors; remove that file/,
    );
  });

  it('refuses shards without their index, and a folder without any weights', () => {
    const folder = threeShardFolder(tensors);
    folder.delete(SHARD_INDEX_FILE);
    expect(importing(folder)).toThrow(
      /sharded \(model-00001-of-00003.*\) but model\.safetensors\.index\.json is missing; add it/,
    );
    for (const name of [...folder.keys()]) if (name.includes('-of-')) folder.delete(name);
    expect(importing(folder)).toThrow(/missing model\.safetensors \(or model\.safetensors\.index\.json/);
  });

  it('still checks the merged weights against config.json', () => {
    const folder = threeShardFolder(tensors.filter((t) => t.name !== 'lm_head.weight'));
    expect(importing(folder)).toThrow(/tiny\/model\.safetensors: .*missing tensor "lm_head\.weight"/);
  });
});
