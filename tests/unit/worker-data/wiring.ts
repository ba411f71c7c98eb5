import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { WorkerClient } from '../../../src/app/client/workerClient.ts';
import { openDatabase, type PunchlineDb } from '../../../src/storage/index.ts';
import { WorkerHandler } from '../../../src/worker/handler.ts';
import type { FromWorker, MessageEndpoint, ToWorker } from '../../../src/worker/protocol.ts';

export interface DataWiring {
  client: WorkerClient;
  db: PunchlineDb;
  close(): void;
}

/** The real handler and client over a MessageChannel and a fresh fake-indexeddb; no model backend is needed. */
export async function wireData(): Promise<DataWiring> {
  const db = await openDatabase({ name: `worker-data-${crypto.randomUUID()}` });
  const channel = new MessageChannel();
  new WorkerHandler(channel.port2 as MessageEndpoint<FromWorker, ToWorker>, {
    database: async () => db,
    probeBackend: () => Promise.reject(new Error('The data tests run no model.')),
    benchmark: () => Promise.reject(new Error('The data tests run no model.')),
  });
  const client = new WorkerClient(channel.port1 as MessageEndpoint<ToWorker, FromWorker>);
  channel.port1.start();
  channel.port2.start();
  return {
    client,
    db,
    close() {
      channel.port1.close();
      channel.port2.close();
      db.close();
    },
  };
}

export function fixtureBytes(name: string): ArrayBuffer {
  const bytes = readFileSync(new URL(`../../fixtures/data/${name}`, import.meta.url));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function textBytes(text: string): ArrayBuffer {
  return new TextEncoder().encode(text).buffer as ArrayBuffer;
}
