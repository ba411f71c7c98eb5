/**
 * A few LoRA train steps on an imported model (default SmolLM2-135M-Instruct) over jokes formatted with its chat
 * template, on onnxruntime-node: prints the loss of each step, which should fall. The browser page
 * tests/browser/pages/models-smollm2-page.ts runs the same steps (src/models/chat-lora-steps.ts) on WASM.
 *
 *   npx tsx tools/models-lora-steps.ts [--model DIR] [--data runs/data/validation.jsonl | --jokes FILE]
 *     [--batch 2] [--steps 8] [--seq 48] [--lr 0.002] [--seed 2] [--json OUT]
 *
 * --jokes FILE takes one joke per line (the first --batch lines); --data takes the first --batch English rows of a
 * prepared JSONL split. --json writes the settings and losses, e.g. the reference the browser test compares with:
 *
 *   npx tsx tools/models-lora-steps.ts --jokes tests/fixtures/models/smollm2-lora-jokes.txt --steps 5 --seq 64 \
 *     --json tests/fixtures/models/smollm2-lora-node.json
 */
import { bindModelWeights } from '../src/models/bind-weights.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chatJokeBatch, runChatLoraSteps } from '../src/models/chat-lora-steps.ts';
import { loadImportedTokenizer } from '../src/models/load-tokenizer-node.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { loadModelFolder } from './engine-io.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'public/models/smollm2-135m-instruct' },
    data: { type: 'string', default: 'runs/data/validation.jsonl' },
    jokes: { type: 'string' },
    batch: { type: 'string', default: '2' },
    steps: { type: 'string', default: '8' },
    seq: { type: 'string', default: '48' },
    lr: { type: 'string', default: '0.002' },
    seed: { type: 'string', default: '2' },
    json: { type: 'string' },
  },
});
const batchSize = Number(values.batch);
const request = 'Tell me a joke.';

function readJokes(): string[] {
  if (values.jokes !== undefined) {
    const lines = readFileSync(values.jokes, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    if (lines.length < batchSize)
      throw new Error(`${values.jokes}: ${lines.length} jokes, but --batch ${batchSize} needs one per row`);
    return lines.slice(0, batchSize);
  }
  const rows = readFileSync(values.data, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { text: string; language: string })
    .filter((r) => r.language === 'en')
    .slice(0, batchSize);
  if (rows.length < batchSize)
    throw new Error(
      `${values.data}: ${rows.length} English rows, but --batch ${batchSize} needs one per row`,
    );
  return rows.map((r) => r.text);
}

const jokes = readJokes();
const tokenizer = loadImportedTokenizer(values.model);
const { config, weights } = loadModelFolder(values.model);
const batch = chatJokeBatch(tokenizer, request, jokes, Number(values.seq));
const lora = { rank: 8, alpha: 16, targets: ['q', 'k', 'v', 'o'] };
const settings = {
  request,
  jokes,
  seq: batch.seq,
  steps: Number(values.steps),
  lr: Number(values.lr),
  seed: Number(values.seed),
  lora,
};
const bound = await bindModelWeights(nodeRuntime, { config, weights }, 'cpu');
console.log(`${batch.batch} x ${batch.seq} tokens, ${batch.targets} targets`);
const result = await runChatLoraSteps(nodeRuntime, config, bound, batch, {
  ...settings,
  onStep: (step, loss, ms) =>
    console.log(`step ${step}  loss ${loss.toFixed(4)}  ${(ms / 1000).toFixed(1)} s`),
});
if (values.json !== undefined) {
  const command = `npx tsx tools/models-lora-steps.ts ${process.argv.slice(2).join(' ')}`;
  const out = { source: 'onnxruntime-node', command, ...settings, losses: result.losses };
  writeFileSync(values.json, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${values.json}`);
}
