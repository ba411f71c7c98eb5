import { CancelledError, rebuildError, WorkerCrashedError, WorkerError } from '../../worker/errors.ts';
import type {
  FromWorker,
  MessageEndpoint,
  Payload,
  Progress,
  RequestKind,
  RequestMessage,
  Result,
  ToWorker,
} from '../../worker/protocol.ts';

export interface RequestOptions<K extends RequestKind> {
  onProgress?: (progress: Progress<K>) => void;
  /** Aborting sends a cancel; the promise then rejects with CancelledError once the worker has stopped. */
  signal?: AbortSignal;
  /** Buffers inside the payload to transfer instead of copy; the caller must not use them afterwards. */
  transfer?: Transferable[];
}

interface Pending {
  onProgress: ((progress: never) => void) | undefined;
  resolve: (result: never) => void;
  reject: (error: WorkerError) => void;
}

export type WorkerState = { kind: 'ready'; running: number } | { kind: 'crashed'; message: string };

/** The UI's only way to talk to the worker: typed requests in, typed results, progress and errors out. */
export class WorkerClient {
  private readonly pending = new Map<string, Pending>();
  private crashed: WorkerCrashedError | null = null;
  private readonly listeners = new Set<(state: WorkerState) => void>();

  constructor(private readonly port: MessageEndpoint<ToWorker, FromWorker>) {
    port.addEventListener('message', (event) => this.receive(event.data));
  }

  request<K extends RequestKind>(
    kind: K,
    payload: Payload<K>,
    options: RequestOptions<K> = {},
  ): Promise<Result<K>> {
    if (this.crashed) return Promise.reject(this.crashed);
    if (options.signal?.aborted) return Promise.reject(new CancelledError());
    const id = crypto.randomUUID();
    return new Promise<Result<K>>((resolve, reject) => {
      const onAbort = () => this.port.postMessage({ type: 'cancel', id }, []);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => {
        options.signal?.removeEventListener('abort', onAbort);
        this.pending.delete(id);
        this.notify();
      };
      this.pending.set(id, {
        onProgress: options.onProgress as ((progress: never) => void) | undefined,
        resolve: (result) => {
          cleanup();
          resolve(result);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      });
      // The union is rebuilt from its parts; TypeScript cannot see that kind and payload stay paired here.
      const message = { type: 'request', id, kind, payload } as RequestMessage;
      this.port.postMessage(message, options.transfer ?? []);
      this.notify();
    });
  }

  /** Fails every outstanding and future request; called when the worker dies. */
  fail(message: string): void {
    this.crashed = new WorkerCrashedError(
      'WorkerCrashed',
      `The background worker stopped: ${message}. Reload the page.`,
    );
    for (const entry of [...this.pending.values()]) entry.reject(this.crashed);
    this.notify();
  }

  onStateChange(listener: (state: WorkerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get state(): WorkerState {
    return this.crashed
      ? { kind: 'crashed', message: this.crashed.message }
      : { kind: 'ready', running: this.pending.size };
  }

  private receive(message: FromWorker): void {
    const entry = this.pending.get(message.id);
    if (!entry) return;
    switch (message.type) {
      case 'progress':
        entry.onProgress?.(message.progress as never);
        return;
      case 'done':
        entry.resolve(message.result as never);
        return;
      case 'error':
        entry.reject(rebuildError(message.error));
        return;
    }
  }

  private notify(): void {
    const state = this.state;
    for (const listener of this.listeners) listener(state);
  }
}
