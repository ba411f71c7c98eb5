// Used by test_sharded_weights.py: reads a Hugging Face folder with sharded weights the two ways the project
// does (the worker's folder import and the Node tools' reader) and writes each merged model.safetensors.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readModelSafetensors } from '../../src/formats/safetensors-shards-node.ts';
import { importFolder } from '../../src/worker/models/model-sources.ts';

const [folder, workerOut, nodeOut] = process.argv.slice(2);
if (!folder || !workerOut || !nodeOut)
  throw new Error('usage: tsx tests/python/sharded_weights_read.ts FOLDER WORKER_OUT NODE_OUT');
const entries = readdirSync(folder).map((name) => ({
  path: `${basename(folder)}/${name}`,
  bytes: new Uint8Array(readFileSync(join(folder, name))),
}));
const imported = importFolder(entries, basename(folder));
writeFileSync(workerOut, imported.files.get('model.safetensors') as Uint8Array);
writeFileSync(nodeOut, readModelSafetensors(folder).bytes);
console.log(`${imported.card.parameters} parameters, ${imported.card.bytes} bytes stored`);
