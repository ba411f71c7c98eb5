import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SHARD_INDEX_FILE } from '../../../src/formats/safetensors-shards.ts';
import { writeSafetensors } from '../../../src/formats/safetensors-write.ts';
import { importFromUrl, type ImportProgress } from '../../../src/worker/models/model-sources.ts';
import { shardName, threeShardFolder, tinyLlamaTensors, unshardedFolder } from './sharded-fixture.ts';

const tensors = tinyLlamaTensors();
const expected = unshardedFolder(tensors).get('model.safetensors');
const shardBytes = (files: Map<string, Uint8Array>) =>
  [...files].filter(([name]) => name.includes('-of-')).reduce((sum, [, b]) => sum + b.byteLength, 0);

describe('importFromUrl with sharded weights (a local static server)', () => {
  let server: Server;
  let base: string;
  let folder: Map<string, Uint8Array>;
  /** Served instead of the folder's file from the second request for that name on. */
  let replacedLater: Map<string, Uint8Array>;
  const requested: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const name = (request.url ?? '').replace('/org/tiny/resolve/main/', '');
      const later = replacedLater.get(name);
      const bytes = later !== undefined && requested.includes(name) ? later : folder.get(name);
      requested.push(name);
      if (bytes === undefined) {
        response.writeHead(404).end();
        return;
      }
      // Odd-sized chunks so tensors straddle the chunks the client receives.
      response.writeHead(200, { 'content-length': bytes.byteLength });
      for (let at = 0; at < bytes.length; at += 997)
        response.write(Buffer.from(bytes.subarray(at, at + 997)));
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/org/tiny/resolve/main/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    folder = threeShardFolder(tensors);
    replacedLater = new Map();
    requested.length = 0;
  });

  it('fetches the index, then each shard, and stores the same model.safetensors as the unsharded folder', async () => {
    const progress: ImportProgress[] = [];
    const model = await importFromUrl(base, { onProgress: (p) => progress.push(p) });
    expect(model.files.get('model.safetensors')).toEqual(expected);
    expect(model.card.name).toBe('tiny');
    const shards = [0, 1, 2].map((i) => shardName(i, 3));
    expect(requested).toEqual([
      'config.json',
      'model.safetensors',
      SHARD_INDEX_FILE,
      ...shards,
      ...shards,
      'tokenizer.json',
      'tokenizer_config.json',
      'README.md',
      'generation_config.json',
    ]);

    const total = shardBytes(folder);
    const bytes = progress.filter((p) => p.file?.includes('-of-') && p.totalBytes !== null);
    expect(bytes.every((p) => p.totalBytes === total)).toBe(true);
    expect(bytes.at(-1)?.loadedBytes).toBe(total);
    for (let i = 1; i < bytes.length; i++)
      expect(bytes[i]?.loadedBytes).toBeGreaterThan(bytes[i - 1]?.loadedBytes ?? Infinity);
    const firstOfLast = bytes.find((p) => p.file === shards[2]);
    expect(firstOfLast?.loadedBytes).toBeGreaterThan(total - (folder.get(shards[2] as string)?.length ?? 0));
  });

  it('names a shard the server does not have', async () => {
    folder.delete(shardName(1, 3));
    await expect(importFromUrl(base, { onProgress: () => undefined })).rejects.toThrow(
      /model-00002-of-00003\.safetensors: HTTP 404; model\.safetensors\.index\.json names model-00002-of-00003\.safetensors/,
    );
  });

  it('checks the index against the shard headers before downloading any shard in full', async () => {
    const twice = tensors[1] as (typeof tensors)[number];
    folder.set(shardName(2, 3), writeSafetensors([...tensors.filter((_, i) => i % 3 === 2), twice]));
    await expect(importFromUrl(base, { onProgress: () => undefined })).rejects.toThrow(
      `${base}: ${shardName(2, 3)}: tensor "${twice.name}": also held by ${shardName(1, 3)}`,
    );
    expect(requested.filter((name) => name.includes('-of-'))).toEqual([0, 1, 2].map((i) => shardName(i, 3)));
  });

  it('refuses a shard that changed between its header read and its download', async () => {
    const shard = shardName(0, 3);
    const changed = (folder.get(shard) as Uint8Array).slice(0, -4);
    replacedLater.set(shard, changed);
    await expect(importFromUrl(base, { onProgress: () => undefined })).rejects.toThrow(
      /model-00001-of-00003\.safetensors: ended after \d+ of \d+ bytes/,
    );
  });

  it('names the index when it is not JSON', async () => {
    folder.set(SHARD_INDEX_FILE, new TextEncoder().encode('<html>'));
    await expect(importFromUrl(base, { onProgress: () => undefined })).rejects.toThrow(
      `${base}: ${SHARD_INDEX_FILE}: not valid JSON`,
    );
  });

  it('says when neither model.safetensors nor an index is served', async () => {
    folder.delete(SHARD_INDEX_FILE);
    await expect(importFromUrl(base, { onProgress: () => undefined })).rejects.toThrow(
      /HTTP 404 for both model\.safetensors and model\.safetensors\.index\.json/,
    );
  });
});
