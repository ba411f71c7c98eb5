import { create } from 'zustand';
import type { ImportedModelCard } from '../../../worker/models/imported-model.ts';
import type { ModelsReply, StoredModelSummary } from '../../../worker/models/protocol.ts';
import { createModelsClient, type ModelsClient, type ModelsCommand } from './models-client.ts';

type Progress = Extract<ModelsReply, { type: 'progress' }>['progress'];

export interface ModelsState {
  models: StoredModelSummary[];
  busy: boolean;
  progress: Progress | null;
  lastImported: { modelId: string; card: ImportedModelCard } | null;
  error: string | null;
  actions: {
    refresh(): Promise<void>;
    importFolder(folderName: string, files: readonly File[]): Promise<void>;
    importGguf(file: File): Promise<void>;
    importUrl(url: string): Promise<void>;
    remove(modelId: string): Promise<void>;
  };
}

let client: ModelsClient | null = null;
const models = (): ModelsClient => (client ??= createModelsClient());

export const useModels = create<ModelsState>()((set) => {
  const run = async (command: ModelsCommand, transfer: Transferable[] = []): Promise<void> => {
    set({ busy: true, progress: null, error: null });
    try {
      const done = await models().send(command, (progress) => set({ progress }), transfer);
      set({ models: done.models, lastImported: done.imported ?? null });
    } catch (error) {
      set({ error: (error as Error).message });
    } finally {
      set({ busy: false, progress: null });
    }
  };
  return {
    models: [],
    busy: false,
    progress: null,
    lastImported: null,
    error: null,
    actions: {
      refresh: () => run({ type: 'list' }),
      async importFolder(folderName, files) {
        const entries = await Promise.all(
          files.map(async (f) => ({ path: f.webkitRelativePath || f.name, bytes: await f.arrayBuffer() })),
        );
        await run(
          { type: 'import-folder', folderName, files: entries },
          entries.map((e) => e.bytes),
        );
      },
      async importGguf(file) {
        const bytes = await file.arrayBuffer();
        await run({ type: 'import-gguf', fileName: file.name, bytes }, [bytes]);
      },
      importUrl: (url) => run({ type: 'import-url', url }),
      remove: (modelId) => run({ type: 'delete', modelId }),
    },
  };
});
