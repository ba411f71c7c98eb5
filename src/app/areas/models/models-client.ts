/**
 * The picker's client of the models worker: one worker, requests matched to replies by id, progress streamed to
 * a callback, errors rebuilt as Error objects with the worker's name and message.
 */
import type { ModelsReply, ModelsRequest } from '../../../worker/models/protocol.ts';

type Done = Extract<ModelsReply, { type: 'done' }>;
type Progress = Extract<ModelsReply, { type: 'progress' }>['progress'];
/** A request without its id: the client assigns one. */
export type ModelsCommand = ModelsRequest extends infer R
  ? R extends { id: string }
    ? Omit<R, 'id'>
    : never
  : never;

export interface ModelsClient {
  send(
    command: ModelsCommand,
    onProgress?: (progress: Progress) => void,
    transfer?: Transferable[],
  ): Promise<Done>;
}

export function createModelsClient(): ModelsClient {
  const worker = new Worker(new URL('../../../worker/models/models-worker.ts', import.meta.url), {
    type: 'module',
    name: 'punchline-models',
  });
  const pending = new Map<
    string,
    { resolve: (done: Done) => void; reject: (error: Error) => void; onProgress?: (p: Progress) => void }
  >();
  worker.onmessage = (event: MessageEvent<ModelsReply>) => {
    const reply = event.data;
    const entry = pending.get(reply.id);
    if (entry === undefined) return;
    if (reply.type === 'progress') entry.onProgress?.(reply.progress);
    else {
      pending.delete(reply.id);
      if (reply.type === 'done') entry.resolve(reply);
      else entry.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    }
  };
  return {
    send(command, onProgress, transfer = []) {
      const id = crypto.randomUUID();
      return new Promise<Done>((resolve, reject) => {
        pending.set(id, { resolve, reject, onProgress });
        worker.postMessage({ ...command, id } as ModelsRequest, transfer);
      });
    },
  };
}
