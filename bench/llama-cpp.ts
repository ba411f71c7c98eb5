/**
 * llama.cpp's decode column for bench/models.ts on its own: SmolLM2-135M-Instruct's Q4_1 GGUF in llama.cpp
 * (node-llama-cpp, installed outside the project: see tools/llama-cpp.ts), greedy decoding after the chat prompt
 * of tests/fixtures/models/smollm2-greedy.json, measured as bench/models.ts measures ours. Prints a one-row table.
 *
 *   npx tsx bench/llama-cpp.ts [--gguf runs/llama-cpp/SmolLM2-135M-Instruct.Q4_1.gguf] [--threads 1]
 *                              [--new-tokens 32] [--runs 1] [--prefix runs/llama-cpp]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { llamaCppDecodeBench, SMOLLM2_GGUF } from '../tools/llama-cpp.ts';

const { values } = parseArgs({
  options: {
    gguf: { type: 'string', default: SMOLLM2_GGUF },
    threads: { type: 'string', default: '1' },
    'new-tokens': { type: 'string', default: '32' },
    runs: { type: 'string', default: '1' },
    prefix: { type: 'string' },
  },
});
const positive = (name: string, text: string | undefined): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return n;
};
const threads = positive('threads', values.threads);
const newTokens = positive('new-tokens', values['new-tokens']);
const runs = positive('runs', values.runs);

const { promptIds } = JSON.parse(readFileSync('tests/fixtures/models/smollm2-greedy.json', 'utf8')) as {
  promptIds: number[];
};
const result = await llamaCppDecodeBench({
  gguf: values.gguf,
  threads,
  promptIds,
  newTokens,
  runs,
  prefix: values.prefix,
});
console.log(
  `SmolLM2-135M-Instruct, ${result.threads} thread(s), decode ${newTokens} tokens after the chat prompt (${promptIds.length} ids), ` +
    `median of ${runs} run(s) after a warm-up`,
);
console.log(`${'engine'.padEnd(32)}${'load s'.padStart(18)}${'decode tok/s'.padStart(18)}`);
console.log(
  `${'llama.cpp Q4_1 (node-llama-cpp)'.padEnd(32)}${result.loadS.toFixed(1).padStart(18)}${(result.decodeTps?.toFixed(2) ?? 'n/a').padStart(18)}`,
);
console.log(`llama.cpp: ${result.build}, CPU only; first ids ${result.ids.slice(0, 8).join(' ')} …`);
