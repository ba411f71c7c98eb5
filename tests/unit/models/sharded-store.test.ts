import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { getModel, openDatabase, readModelFile } from '../../../src/storage/index.ts';
import { ModelsHandler } from '../../../src/worker/models/models-handler.ts';
import type { ModelsReply } from '../../../src/worker/models/protocol.ts';
import { threeShardFolder, tinyLlamaTensors, unshardedFolder } from './sharded-fixture.ts';

const tensors = tinyLlamaTensors();

async function importFiles(handler: ModelsHandler, files: Map<string, Uint8Array>): Promise<ModelsReply> {
  const replies: ModelsReply[] = [];
  const request = {
    id: crypto.randomUUID(),
    type: 'import-folder' as const,
    folderName: 'tiny',
    files: [...files].map(([name, bytes]) => ({ path: `tiny/${name}`, bytes: bytes.slice().buffer })),
  };
  await handler.handle(request, (reply) => replies.push(reply));
  return replies.at(-1) as ModelsReply;
}

describe('storing a sharded import', () => {
  it('stores one model.safetensors, under the same id as the unsharded folder', async () => {
    const db = openDatabase({ name: `sharded-${crypto.randomUUID()}` });
    const handler = new ModelsHandler(() => db);
    const sharded = await importFiles(handler, threeShardFolder(tensors));
    if (sharded.type !== 'done') throw new Error(JSON.stringify(sharded));
    const modelId = sharded.imported?.modelId as string;
    const stored = await getModel(await db, modelId);
    expect(stored?.files.map((f) => f.name).sort()).toEqual([
      'config.json',
      'model.safetensors',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    const unsharded = unshardedFolder(tensors);
    expect(new Uint8Array(await readModelFile(await db, modelId, 'model.safetensors'))).toEqual(
      unsharded.get('model.safetensors'),
    );
    const again = await importFiles(handler, unsharded);
    expect(again.type === 'done' && again.models.map((m) => m.id)).toEqual([modelId]);
  });
});
