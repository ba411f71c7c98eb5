/// <reference lib="webworker" />
import { openDatabase, type PunchlineDb } from '../../storage/index.ts';
import { ModelsHandler } from './models-handler.ts';
import type { ModelsReply, ModelsRequest } from './protocol.ts';

let database: Promise<PunchlineDb> | null = null;
const handler = new ModelsHandler(() => (database ??= openDatabase()));
// tsconfig types `self` as a Window (DOM lib); in this file it is the dedicated worker scope.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ModelsRequest>) => void) | null;
  postMessage(reply: ModelsReply): void;
};
scope.onmessage = (event) => void handler.handle(event.data, (reply) => scope.postMessage(reply));
