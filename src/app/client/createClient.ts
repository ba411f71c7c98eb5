import type { FromWorker, MessageEndpoint, ToWorker } from '../../worker/protocol.ts';
import { WorkerClient } from './workerClient.ts';

/** Starts the app's one worker and wraps it in a typed client. */
export function createWorkerClient(): WorkerClient {
  const worker = new Worker(new URL('../../worker/worker.ts', import.meta.url), {
    type: 'module',
    name: 'punchline',
  });
  const client = new WorkerClient(worker as MessageEndpoint<ToWorker, FromWorker>);
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    client.fail(event.message || 'the worker script failed to load');
  });
  worker.addEventListener('messageerror', () => client.fail('a message from the worker could not be read'));
  return client;
}
