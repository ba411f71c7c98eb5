/**
 * Messages between the model picker (src/app/areas/models) and the models worker. Each request carries an id;
 * a stream of `progress` replies with that id ends in `done` or `error`.
 */
import type { ImportedModelCard } from './imported-model.ts';
import type { ImportProgress } from './model-sources.ts';

export interface StoredModelSummary {
  id: string;
  name: string;
  source: string;
  totalBytes: number;
  createdAt: number;
}

export type ModelsRequest =
  | { id: string; type: 'list' }
  | { id: string; type: 'import-folder'; folderName: string; files: { path: string; bytes: ArrayBuffer }[] }
  | { id: string; type: 'import-gguf'; fileName: string; bytes: ArrayBuffer }
  | { id: string; type: 'import-url'; url: string }
  | { id: string; type: 'delete'; modelId: string };

export type ModelsReply =
  | {
      id: string;
      type: 'progress';
      progress: ImportProgress | { phase: 'store'; file: null; loadedBytes: number; totalBytes: number };
    }
  | {
      id: string;
      type: 'done';
      models: StoredModelSummary[];
      imported: { modelId: string; card: ImportedModelCard } | null;
    }
  | { id: string; type: 'error'; error: { name: string; message: string } };
