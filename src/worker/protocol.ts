/**
 * The one contract between the UI and the worker. To add a request type: add one entry to `Requests`
 * (payload, result, progress) and one method to WorkerHandler; the handler's exhaustive switch will not
 * compile until the method is wired.
 */
import type { BackendReport, BenchmarkStep } from '../runtime/backend.ts';
import type { ChunkCheck, ModelManifest, Settings, StorageStatus } from '../storage/index.ts';
import type { SerializedError } from './errors.ts';
import type { AdapterRequests } from './adapters/types.ts';
import type { DataRequests } from './data/requests.ts';
import type { GenerateRequests } from './generate/requests.ts';
import type { TrainRequests } from './train/requests.ts';

export type { BackendReport, BenchmarkStep, ChunkCheck, ModelManifest, Settings, StorageStatus };

type NoPayload = Record<string, never>;

export interface Requests extends DataRequests, GenerateRequests, AdapterRequests, TrainRequests {
  /** Chooses WebGPU or WASM by running a check model; the setting decides whether WebGPU is tried. */
  probeBackend: { payload: NoPayload; result: BackendReport; progress: never };
  storageStatus: { payload: NoPayload; result: StorageStatus; progress: never };
  getSettings: { payload: NoPayload; result: Settings; progress: never };
  saveSettings: { payload: Partial<Settings>; result: Settings; progress: never };
  /** Square MatMuls of size n on the probed backend, one progress event per timed run. */
  benchmarkBackend: {
    payload: { size: number; steps: number };
    result: { backend: string; size: number; medianGflops: number };
    progress: BenchmarkStep;
  };
  /** File bytes are transferred, not copied. */
  storeModel: {
    payload: { id: string; name: string; source: string; files: { name: string; bytes: ArrayBuffer }[] };
    result: ModelManifest;
    progress: never;
  };
  listModels: { payload: NoPayload; result: ModelManifest[]; progress: never };
  /** Re-hashes every stored chunk of a model. */
  verifyModel: {
    payload: { id: string };
    result: { chunks: number; bad: number; bytes: number };
    progress: ChunkCheck & { done: number; total: number };
  };
  /** The bytes of one stored model file, transferred to the caller. */
  readModelFile: { payload: { id: string; name: string }; result: ArrayBuffer; progress: never };
}

export type RequestKind = keyof Requests;
export type Payload<K extends RequestKind> = Requests[K]['payload'];
export type Result<K extends RequestKind> = Requests[K]['result'];
export type Progress<K extends RequestKind> = Requests[K]['progress'];

export interface RequestEnvelope<K extends RequestKind> {
  type: 'request';
  id: string;
  kind: K;
  payload: Payload<K>;
}

/** Every request the worker accepts; narrowing on `kind` narrows `payload`. */
export type RequestMessage = { [K in RequestKind]: RequestEnvelope<K> }[RequestKind];

export interface CancelMessage {
  type: 'cancel';
  id: string;
}

export type ToWorker = RequestMessage | CancelMessage;

export interface ProgressMessage<K extends RequestKind = RequestKind> {
  type: 'progress';
  id: string;
  kind: K;
  progress: Progress<K>;
}

export interface DoneMessage<K extends RequestKind = RequestKind> {
  type: 'done';
  id: string;
  kind: K;
  result: Result<K>;
}

export interface ErrorMessage {
  type: 'error';
  id: string;
  kind: RequestKind;
  error: SerializedError;
}

/** A request ends with exactly one `done` or `error`; any number of `progress` events come first. */
export type FromWorker = ProgressMessage | DoneMessage | ErrorMessage;

/** The part of a Worker, MessagePort or worker scope that both sides need; lets tests wire a MessageChannel. */
export interface MessageEndpoint<Out, In> {
  postMessage(message: Out, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<In>) => void): void;
}
