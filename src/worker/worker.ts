/// <reference lib="webworker" />
import { benchmarkMatMul, probeBackend } from '../runtime/backend.ts';
import { openDatabase, type PunchlineDb } from '../storage/index.ts';
import { WorkerHandler } from './handler.ts';
import type { FromWorker, MessageEndpoint, ToWorker } from './protocol.ts';

let database: Promise<PunchlineDb> | null = null;
const wasmPaths = new URL(`${import.meta.env.BASE_URL}ort/`, self.location.href).href;

// tsconfig types `self` as a Window (DOM lib); in this file it is the dedicated worker scope.
new WorkerHandler(self as unknown as MessageEndpoint<FromWorker, ToWorker>, {
  database: () => (database ??= openDatabase()),
  probeBackend: (preferWasm) => probeBackend({ preferWasm, wasmPaths }),
  benchmark: benchmarkMatMul,
});
