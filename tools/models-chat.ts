/**
 * Asks an imported instruct model (a Hugging Face folder, e.g. public/models/smollm2-135m-instruct) one
 * question with its chat template and greedy decoding, on onnxruntime-node; prints one JSON line.
 *
 *   npx tsx tools/models-chat.ts --model DIR [--prompt "Tell me a joke about cats."] [--max-new-tokens 20] [--threads 1]
 */
import { parseArgs } from 'node:util';
import { createDecoder } from '../src/eval/decoder.ts';
import { greedyChat } from '../src/models/greedy-chat.ts';
import { loadImportedTokenizer } from '../src/models/load-tokenizer-node.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { loadModelFolder } from './engine-io.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'public/models/smollm2-135m-instruct' },
    prompt: { type: 'string', default: 'Tell me a joke about cats.' },
    'max-new-tokens': { type: 'string', default: '20' },
    threads: { type: 'string', default: '1' },
  },
});
const maxNewTokens = Number(values['max-new-tokens']);
const threads = Number(values.threads);
if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1)
  throw new Error(`--max-new-tokens must be a positive integer, got ${values['max-new-tokens']}`);
if (!Number.isInteger(threads) || threads < 1)
  throw new Error(`--threads must be a positive integer, got ${values.threads}`);

const started = performance.now();
const tokenizer = loadImportedTokenizer(values.model);
const { config, weights } = loadModelFolder(values.model);
const decoder = await createDecoder(nodeRuntime, config, weights, 'cpu', {
  label: `decode graph (${values.model})`,
  intraOpNumThreads: threads,
});
const loadMs = performance.now() - started;
try {
  const answer = await greedyChat(
    decoder,
    tokenizer,
    [{ role: 'user', content: values.prompt }],
    maxNewTokens,
  );
  console.log(JSON.stringify({ loadMs: Math.round(loadMs), ...answer }));
} finally {
  await decoder.dispose();
}
