import 'fake-indexeddb/auto';
import { benchmarkMatMul, probeBackend } from '../../../src/runtime/backend.ts';
import { WorkerClient } from '../../../src/app/client/workerClient.ts';
import { openDatabase, saveSettings, type PunchlineDb } from '../../../src/storage/index.ts';
import { WorkerHandler } from '../../../src/worker/handler.ts';
import type { FromWorker, MessageEndpoint, ToWorker } from '../../../src/worker/protocol.ts';

const ortFiles = new URL('../../../node_modules/onnxruntime-web/dist/', import.meta.url).href;

export interface Wired {
  client: WorkerClient;
  handler: WorkerHandler;
  db: PunchlineDb;
  /** The raw client-side port, for tests that send malformed messages. */
  clientPort: MessagePort;
  close(): void;
}

/** The real handler and client joined by a MessageChannel, as a Worker would join them, over a fresh database. */
export async function wire(): Promise<Wired> {
  const db = await openDatabase({ name: `protocol-${crypto.randomUUID()}` });
  // Node has no WebGPU; the WASM backend is the real one here.
  await saveSettings(db, { backendPreference: 'wasm' });
  const channel = new MessageChannel();
  const handler = new WorkerHandler(channel.port2 as MessageEndpoint<FromWorker, ToWorker>, {
    database: async () => db,
    probeBackend: (preferWasm) => probeBackend({ preferWasm, wasmPaths: ortFiles }),
    benchmark: benchmarkMatMul,
  });
  const client = new WorkerClient(channel.port1 as MessageEndpoint<ToWorker, FromWorker>);
  channel.port1.start();
  channel.port2.start();
  return {
    client,
    handler,
    db,
    clientPort: channel.port1,
    close() {
      channel.port1.close();
      channel.port2.close();
      db.close();
    },
  };
}
