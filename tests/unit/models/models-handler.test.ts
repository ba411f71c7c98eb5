import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, readModelFile } from '../../../src/storage/index.ts';
import { ModelsHandler } from '../../../src/worker/models/models-handler.ts';
import type { ModelsReply, ModelsRequest } from '../../../src/worker/models/protocol.ts';

const gguf = readFileSync(join(import.meta.dirname, '../../fixtures/gguf/tiny-llama.gguf'));

async function run(handler: ModelsHandler, request: ModelsRequest): Promise<ModelsReply[]> {
  const replies: ModelsReply[] = [];
  await handler.handle(request, (reply) => replies.push(reply));
  return replies;
}

describe('ModelsHandler over IndexedDB', () => {
  it('imports a GGUF, stores it by content hash once, lists it with its size, deletes it', async () => {
    const db = openDatabase({ name: `imported-${crypto.randomUUID()}` });
    const handler = new ModelsHandler(() => db);
    const bytes = gguf.buffer.slice(gguf.byteOffset, gguf.byteOffset + gguf.byteLength);
    const replies = await run(handler, { id: 'a', type: 'import-gguf', fileName: 'tiny-llama.gguf', bytes });
    const done = replies.at(-1);
    if (done?.type !== 'done') throw new Error(JSON.stringify(done));
    expect(
      replies.filter((r) => r.type === 'progress').map((r) => r.type === 'progress' && r.progress.phase),
    ).toEqual(['convert', 'convert', 'validate', 'store', 'store']);
    const modelId = done.imported?.modelId as string;
    expect(modelId).toMatch(/^imported-[0-9a-f]{16}$/);
    expect(done.models).toEqual([
      expect.objectContaining({
        id: modelId,
        name: 'tiny-llama',
        source: 'tiny-llama.gguf',
        totalBytes: done.imported?.card.bytes,
      }),
    ]);
    const config = JSON.parse(
      new TextDecoder().decode(await readModelFile(await db, modelId, 'config.json')),
    ) as {
      vocab_size: number;
    };
    expect(config.vocab_size).toBe(316);

    // The same weights again: still one stored model.
    const again = (await run(handler, { id: 'b', type: 'import-gguf', fileName: 'copy.gguf', bytes })).at(-1);
    expect(again?.type === 'done' && again.models.map((m) => m.id)).toEqual([modelId]);

    const deleted = (await run(handler, { id: 'c', type: 'delete', modelId })).at(-1);
    expect(deleted).toEqual({ id: 'c', type: 'done', models: [], imported: null });
  });

  it('replies with the error as data, naming the file', async () => {
    const handler = new ModelsHandler(() => openDatabase({ name: `imported-${crypto.randomUUID()}` }));
    const replies = await run(handler, {
      id: 'x',
      type: 'import-folder',
      folderName: 'empty',
      files: [{ path: 'empty/config.json', bytes: new TextEncoder().encode('{').buffer as ArrayBuffer }],
    });
    expect(replies).toEqual([
      {
        id: 'x',
        type: 'error',
        error: {
          name: 'ModelImportError',
          message: expect.stringMatching(/^empty: missing model.safetensors/),
        },
      },
    ]);
  });
});
