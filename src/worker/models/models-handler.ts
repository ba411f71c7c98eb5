/**
 * The models worker's requests: list the models stored in IndexedDB, import one (folder files, GGUF, URL),
 * store it by content hash, delete one. Testable without a Worker: `handle` posts replies through a callback.
 */
import { deleteModel, listModels, putModel, sha256Hex, type PunchlineDb } from '../../storage/index.ts';
import type { ImportedModel } from './imported-model.ts';
import { importFolder, importFromUrl, importGguf, type OnImportProgress } from './model-sources.ts';
import type { ModelsReply, ModelsRequest, StoredModelSummary } from './protocol.ts';

const toBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.byteOffset === 0 &&
  bytes.byteLength === bytes.buffer.byteLength &&
  bytes.buffer instanceof ArrayBuffer
    ? bytes.buffer
    : (bytes.slice().buffer as ArrayBuffer);

export class ModelsHandler {
  constructor(
    private readonly database: () => Promise<PunchlineDb>,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  private async summaries(): Promise<StoredModelSummary[]> {
    const models = await listModels(await this.database());
    return models
      .map(({ id, name, source, totalBytes, createdAt }) => ({ id, name, source, totalBytes, createdAt }))
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Stores under "imported-<first 16 hex of the weights' sha256>", so the same weights are stored once. */
  private async store(model: ImportedModel, source: string, post: (reply: ModelsReply) => void, id: string) {
    const weights = model.files.get('model.safetensors') as Uint8Array;
    const modelId = `imported-${(await sha256Hex(toBuffer(weights))).slice(0, 16)}`;
    const db = await this.database();
    post({
      id,
      type: 'progress',
      progress: { phase: 'store', file: null, loadedBytes: 0, totalBytes: model.card.bytes },
    });
    await deleteModel(db, modelId);
    await putModel(
      db,
      { id: modelId, name: model.card.name, source },
      [...model.files].map(([name, bytes]) => ({ name, bytes: toBuffer(bytes) })),
    );
    post({
      id,
      type: 'progress',
      progress: { phase: 'store', file: null, loadedBytes: model.card.bytes, totalBytes: model.card.bytes },
    });
    return { modelId, card: model.card };
  }

  async handle(request: ModelsRequest, post: (reply: ModelsReply) => void): Promise<void> {
    const { id } = request;
    const onProgress: OnImportProgress = (progress) => post({ id, type: 'progress', progress });
    try {
      let imported: { modelId: string; card: ImportedModel['card'] } | null = null;
      switch (request.type) {
        case 'list':
          break;
        case 'delete':
          await deleteModel(await this.database(), request.modelId);
          break;
        case 'import-folder': {
          const files = request.files.map((f) => ({ path: f.path, bytes: new Uint8Array(f.bytes) }));
          imported = await this.store(importFolder(files, request.folderName), request.folderName, post, id);
          break;
        }
        case 'import-gguf':
          imported = await this.store(
            importGguf(new Uint8Array(request.bytes), request.fileName, onProgress),
            request.fileName,
            post,
            id,
          );
          break;
        case 'import-url':
          imported = await this.store(
            await importFromUrl(request.url, { fetchImpl: this.fetchImpl, onProgress }),
            request.url,
            post,
            id,
          );
          break;
        default: {
          const unknown: never = request;
          throw new Error(`unknown request ${JSON.stringify(unknown)}`);
        }
      }
      post({ id, type: 'done', models: await this.summaries(), imported });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      post({ id, type: 'error', error: { name: e.name, message: e.message } });
    }
  }
}
