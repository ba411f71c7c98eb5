/**
 * The worker path end to end in Node: a model folder imported by the models worker's handler into IndexedDB
 * (fake-indexeddb), then loaded and run by the Generate service from that stored copy alone.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { BackendReport } from '../../../src/runtime/backend.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import type { Runtime } from '../../../src/runtime/types.ts';
import { openDatabase } from '../../../src/storage/index.ts';
import { GenerateService, type JobContext } from '../../../src/worker/generate/generate-service.ts';
import { ModelsHandler } from '../../../src/worker/models/models-handler.ts';
import type { ModelsReply } from '../../../src/worker/models/protocol.ts';
import { createImportedTokenizer } from '../../../src/models/imported-tokenizer.ts';
import { importedTinyFiles, withConfig, writingSequence } from './imported-tiny-model.ts';

const JOKE = '冷笑话';

/** The fixture with a context long enough for a chat prompt, writing JOKE after the assistant turn opens. */
function jokerFiles(): Map<string, ArrayBuffer> {
  const files = withConfig(importedTinyFiles(), { max_position_embeddings: 256 });
  const json = (name: string) => JSON.parse(new TextDecoder().decode(files.get(name))) as unknown;
  const tokenizer = createImportedTokenizer(json('tokenizer.json'), json('tokenizer_config.json'));
  return writingSequence(files, [
    ...tokenizer.encode('\n'),
    ...tokenizer.encode(JOKE),
    ...tokenizer.eosTokenIds,
  ]);
}

// The service asks for the 'wasm' backend, which only onnxruntime-web has; the same graph runs on Node's CPU EP.
const cpuRuntime: Runtime = {
  ...nodeRuntime,
  createSession: (model, config = {}) =>
    nodeRuntime.createSession(model, { ...config, executionProviders: ['cpu'] }),
};

const report: BackendReport = {
  backend: 'wasm',
  label: 'onnxruntime-node CPU',
  reason: 'unit test',
  webgpu: null,
  wasmThreads: 1,
  crossOriginIsolated: false,
  ortVersion: 'node',
  checkMs: 0,
};

function job<P>(): JobContext<P> {
  const controller = new AbortController();
  return { signal: controller.signal, checkpoint: () => Promise.resolve(), progress: () => undefined };
}

describe('GenerateService with a model imported by the models worker', () => {
  it('loads it from IndexedDB only and answers through its chat template until its EOS', async () => {
    const db = openDatabase({ name: `generate-imported-${crypto.randomUUID()}` });
    const replies: ModelsReply[] = [];
    await new ModelsHandler(() => db).handle(
      {
        id: 'import',
        type: 'import-folder',
        folderName: 'tiny-joker',
        files: [...jokerFiles()].map(([name, bytes]) => ({ path: `tiny-joker/${name}`, bytes })),
      },
      (reply) => replies.push(reply),
    );
    const done = replies.at(-1);
    if (done?.type !== 'done' || done.imported === null) throw new Error(JSON.stringify(done));
    const { modelId } = done.imported;

    const service = new GenerateService(
      () => db,
      () => Promise.resolve(report),
      cpuRuntime,
    );
    await expect(service.loadModel({ modelId, folderUrl: '', refresh: true }, job())).rejects.toThrow(
      /no folder to read again/,
    );
    await expect(
      service.loadModel({ modelId: 'imported-0000000000000000', folderUrl: '' }, job()),
    ).rejects.toThrow(/is not stored in this browser/);

    const loaded = await service.loadModel({ modelId, folderUrl: '' }, job());
    expect(loaded.source).toBe('storage');
    expect(loaded.card.name).toBe('tiny-joker');
    expect(loaded.card.prompting).toEqual({
      kind: 'chat-template',
      style: false,
      language: true,
      continuesPrompt: false,
    });

    const result = await service.generate(
      {
        modelId,
        prompt: '猫',
        language: 'zh',
        control: 'funny',
        sampling: { temperature: 0.8, topK: 50, topP: 0.95, repetitionPenalty: 1 },
        maxNewTokens: 30,
        candidates: 2,
        seed: 1,
        adapterId: null,
        strictness: 'standard',
      },
      job(),
    );
    expect(result.candidates.map((c) => [c.text, c.finish, c.tokens])).toEqual([
      [JOKE, 'eos', 9],
      [JOKE, 'eos', 9],
    ]);
    expect((await service.history(10)).map((h) => [h.modelId, h.output])).toEqual([
      [modelId, JOKE],
      [modelId, JOKE],
    ]);
  });
});
