import { describe, expect, it } from 'vitest';
import { SHARD_INDEX_FILE } from '../../../src/formats/safetensors-shards.ts';
import { writeSafetensors } from '../../../src/formats/safetensors-write.ts';
import { importFolder, importFolderFiles } from '../../../src/worker/models/model-sources.ts';
import {
  asEntries,
  folderWithoutWeights,
  shardName,
  threeShardFolder,
  tinyLlamaTensors,
  unshardedFolder,
} from './sharded-fixture.ts';

const tensors = tinyLlamaTensors();
const expected = unshardedFolder(tensors).get('model.safetensors');

/** A File stand-in that records how many bytes each read asks for. */
class RecordingBlob extends Blob {
  readonly reads: number[] = [];

  override slice(start = 0, end = this.size, contentType?: string): Blob {
    this.reads.push(Math.min(end, this.size) - start);
    return super.slice(start, end, contentType);
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    this.reads.push(this.size);
    return super.arrayBuffer();
  }
}

function asBlobs(files: ReadonlyMap<string, Uint8Array>): Map<string, RecordingBlob> {
  return new Map([...files].map(([name, bytes]) => [name, new RecordingBlob([bytes.slice()])]));
}

const entries = (blobs: ReadonlyMap<string, Blob>) =>
  [...blobs].map(([name, file]) => ({ path: `tiny/${name}`, file }));

describe('importFolderFiles (unread Files)', () => {
  it('reads the shards tensor by tensor into the same model.safetensors as the unsharded folder', async () => {
    const folder = threeShardFolder(tensors);
    folder.set('pytorch_model.bin', new Uint8Array(1000));
    const blobs = asBlobs(folder);
    const model = await importFolderFiles(entries(blobs), 'tiny');
    expect(model.files.get('model.safetensors')).toEqual(expected);
    expect(model.card.name).toBe('tiny');

    const largestTensor = Math.max(...tensors.map((t) => t.data.byteLength));
    for (const i of [0, 1, 2]) {
      const shard = blobs.get(shardName(i, 3)) as RecordingBlob;
      expect(shard.reads.length).toBeGreaterThan(2);
      expect(Math.max(...shard.reads.slice(2))).toBeLessThanOrEqual(largestTensor);
      expect(shard.reads).not.toContain(shard.size);
    }
    expect(blobs.get('pytorch_model.bin')?.reads).toEqual([]);
  });

  it('accepts shards under any name the index gives them', async () => {
    const folder = folderWithoutWeights();
    const weightMap: Record<string, string> = {};
    const halves = [tensors.slice(0, 5), tensors.slice(5)];
    halves.forEach((held, i) => {
      folder.set(`part-${'ab'[i]}.safetensors`, writeSafetensors(held, { metadata: { format: 'pt' } }));
      for (const t of held) weightMap[t.name] = `part-${'ab'[i]}.safetensors`;
    });
    folder.set(SHARD_INDEX_FILE, new TextEncoder().encode(JSON.stringify({ weight_map: weightMap })));
    const fromFiles = await importFolderFiles(entries(asBlobs(folder)), 'tiny');
    expect(fromFiles.files.get('model.safetensors')).toEqual(expected);
    expect(importFolder(asEntries(folder, 'tiny'), 'tiny').files.get('model.safetensors')).toEqual(expected);
  });

  it('names a missing shard, a truncated shard, and shards without an index', async () => {
    const folder = threeShardFolder(tensors);
    const shard = shardName(2, 3);
    const full = folder.get(shard) as Uint8Array;
    folder.set(shard, full.subarray(0, full.length - 1));
    await expect(importFolderFiles(entries(asBlobs(folder)), 'tiny')).rejects.toThrow(
      `tiny: ${shard}: is ${full.length - 1} bytes but its header describes ${full.length}`,
    );
    folder.delete(shard);
    await expect(importFolderFiles(entries(asBlobs(folder)), 'tiny')).rejects.toThrow(
      `names shard ${shard}, which is missing`,
    );
    folder.delete(SHARD_INDEX_FILE);
    await expect(importFolderFiles(entries(asBlobs(folder)), 'tiny')).rejects.toThrow(
      /sharded .* but model\.safetensors\.index\.json is missing/,
    );
  });

  it('reads an unsharded folder as importFolder does', async () => {
    const folder = unshardedFolder(tensors);
    const model = await importFolderFiles(entries(asBlobs(folder)), 'tiny');
    expect(model.card).toEqual(importFolder(asEntries(folder, 'tiny'), 'tiny').card);
  });
});
