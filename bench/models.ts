/**
 * Real-model benchmark: SmolLM2-135M-Instruct (public/models/smollm2-135m-instruct, from `npm run models:smollm2`)
 * in onnxruntime-node and in headless Chromium (onnxruntime-web WASM, bench/models-browser.ts) — load time,
 * greedy decode tokens/s (float32; 4-bit MatMulNBits weights in Node) and LoRA train-step tokens/s — side by side
 * with PyTorch + transformers/PEFT (bench/models_torch.py) at the same thread count, in the same run. Prints a
 * table. The LoRA step is src/models/chat-lora-steps.ts in both of our columns.
 *
 * llama.cpp's decode column (node-llama-cpp on the package's Q4_1 GGUF) comes from tools/llama-cpp.ts when it is
 * installed outside the project as README.md describes; otherwise the row says how to install it.
 *
 *   npx tsx bench/models.ts [--model DIR] [--threads 1] [--new-tokens 32] [--skip-torch] [--skip-browser]
 *                           [--gguf runs/llama-cpp/SmolLM2-135M-Instruct.Q4_1.gguf] [--llama-cpp PREFIX]
 */
import { bindModelWeights } from '../src/models/bind-weights.ts';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDecoder, type Decoder } from '../src/eval/decoder.ts';
import { chatJokeBatch, runChatLoraSteps, trainTokensPerSecond } from '../src/models/chat-lora-steps.ts';
import type { ImportedTokenizer } from '../src/models/imported-tokenizer.ts';
import { loadImportedTokenizer } from '../src/models/load-tokenizer-node.ts';
import { GREEDY } from '../src/models/greedy-chat.ts';
import { createQuantizedDecoder } from '../src/models/quantized-decoder.ts';
import { generate } from '../src/runtime/generate.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import type { LoraStepSettings } from '../tests/browser/pages/models-smollm2-page.ts';
import { loadModelFolder } from '../tools/engine-io.ts';
import { llamaCppDecodeBench, LlamaCppMissingError, SMOLLM2_GGUF } from '../tools/llama-cpp.ts';
import { browserModelBench } from './models-browser.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'public/models/smollm2-135m-instruct' },
    threads: { type: 'string', default: '1' },
    'new-tokens': { type: 'string', default: '32' },
    'skip-torch': { type: 'boolean', default: false },
    'skip-browser': { type: 'boolean', default: false },
    gguf: { type: 'string', default: SMOLLM2_GGUF },
    'llama-cpp': { type: 'string' },
  },
});
const threads = Number(values.threads);
const newTokens = Number(values['new-tokens']);
const session = { intraOpNumThreads: threads };

interface Row {
  engine: string;
  loadS: number | null;
  decodeTps: number | null;
  trainTps: number | null;
}

async function decodeRate(decoder: Decoder, prompt: number[]): Promise<number> {
  const run = (maxNewTokens: number) =>
    generate(decoder.session, decoder.runtime.tensors, decoder.spec, {
      prompts: [prompt],
      maxNewTokens,
      eosTokenIds: [],
      sampling: GREEDY,
      seed: 0,
      boundInputs: decoder.weights,
    });
  await run(2);
  return (await run(newTokens)).decodeTokensPerSecond ?? 0;
}

/** The LoRA step every column times: rank 8 on q/k/v/o, two chat-formatted jokes of 64 tokens, 3 AdamW steps. */
const LORA: LoraStepSettings = {
  request: 'Tell me a joke.',
  jokes: [
    'Why did the cat sit on the computer? To keep an eye on the mouse!',
    'I told my cat a joke about dogs. He did not find it a-mew-sing.',
  ],
  seq: 64,
  steps: 3,
  lr: 0.002,
  seed: 2,
  lora: { rank: 8, alpha: 16, targets: ['q', 'k', 'v', 'o'] },
};

/** Median tokens/s of the LoRA steps after the first, with the same bound weights as decoding. */
async function loraTrainRate(
  folder: ReturnType<typeof loadModelFolder>,
  tokenizer: ImportedTokenizer,
): Promise<number> {
  const { config, weights } = folder;
  const bound = await bindModelWeights(nodeRuntime, { config, weights }, 'cpu');
  const batch = chatJokeBatch(tokenizer, LORA.request, LORA.jokes, LORA.seq);
  const result = await runChatLoraSteps(nodeRuntime, config, bound, batch, { ...LORA, session });
  return trainTokensPerSecond(result, batch);
}

const rows: Row[] = [];
let started = performance.now();
const tokenizer = loadImportedTokenizer(values.model);
const folder = loadModelFolder(values.model);
const prompt = tokenizer.encodeChat([{ role: 'user', content: 'Tell me a joke about cats.' }]);
const f32 = await createDecoder(nodeRuntime, folder.config, folder.weights, 'cpu', session);
const f32Load = (performance.now() - started) / 1000;
rows.push({
  engine: 'ours, onnxruntime-node f32',
  loadS: f32Load,
  decodeTps: await decodeRate(f32, prompt),
  trainTps: null,
});
await f32.dispose();

started = performance.now();
const q4 = await createQuantizedDecoder(
  nodeRuntime,
  folder.config,
  folder.weights,
  'cpu',
  { bits: 4, blockSize: 32 },
  session,
);
// Load time here is quantisation + session creation; the folder read (shared) is counted in the float32 row.
rows.push({
  engine: 'ours, node 4-bit MatMulNBits',
  loadS: (performance.now() - started) / 1000,
  decodeTps: await decodeRate(q4, prompt),
  trainTps: null,
});
await q4.dispose();
(rows[0] as Row).trainTps = await loraTrainRate(folder, tokenizer);

let browserNote = 'headless Chromium: skipped (--skip-browser).';
const pageModel = resolve('public/models/smollm2-135m-instruct');
if (!values['skip-browser'] && resolve(values.model) !== pageModel) {
  browserNote = `headless Chromium: not run, the test page serves only ${pageModel}.`;
} else if (!values['skip-browser']) {
  const browser = await browserModelBench(threads, newTokens, LORA);
  rows.push({
    engine: `ours, Chromium WASM f32`,
    loadS: browser.loadS,
    decodeTps: browser.decodeTps,
    trainTps: browser.trainTps,
  });
  const peak = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
  browserNote =
    `headless Chromium (${browser.chromiumPath}, onnxruntime-web WASM, ${browser.wasmThreads} thread(s)): weights ` +
    `${peak(browser.weightBytes)}; renderer peak RSS ${peak(browser.peakLoadBytes)} after loading, ` +
    `${peak(browser.peakEndBytes)} after decoding and training (the WASM heap takes a copy of the weights per run); ` +
    `LoRA losses ${browser.losses.map((l) => l.toFixed(4)).join(' ')}.`;
}

if (!values['skip-torch']) {
  const out = execFileSync(
    'python3',
    [
      'bench/models_torch.py',
      '--model',
      values.model,
      '--threads',
      String(threads),
      '--new-tokens',
      String(newTokens),
      '--batch',
      String(LORA.jokes.length),
      '--seq',
      String(LORA.seq),
      '--steps',
      String(LORA.steps),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const torch = JSON.parse(out.trim().split('\n').pop() as string) as {
    load_s: number;
    decode_tps: number;
    train_tps: number;
  };
  rows.push({
    engine: 'PyTorch + transformers/PEFT',
    loadS: torch.load_s,
    decodeTps: torch.decode_tps,
    trainTps: torch.train_tps,
  });
}
let llamaNote: string;
try {
  const llama = await llamaCppDecodeBench({
    gguf: values.gguf,
    threads,
    promptIds: prompt,
    newTokens,
    prefix: values['llama-cpp'],
  });
  rows.push({
    engine: 'llama.cpp Q4_1 (node-llama-cpp)',
    loadS: llama.loadS,
    decodeTps: llama.decodeTps,
    trainTps: null,
  });
  llamaNote = `llama.cpp: ${llama.build}, CPU, ${llama.threads} thread(s), the Q4_1 GGUF itself; no training.`;
} catch (error) {
  if (!(error instanceof LlamaCppMissingError)) throw error;
  rows.push({ engine: 'llama.cpp Q4_1 (node-llama-cpp)', loadS: null, decodeTps: null, trainTps: null });
  llamaNote = `llama.cpp: not measured. ${error.message}`;
}

const cell = (v: number | null, digits: number): string =>
  (v === null ? 'n/a' : v.toFixed(digits)).padStart(18);
console.log(
  `SmolLM2-135M-Instruct, ${threads} thread(s), decode ${newTokens} tokens after the chat prompt, LoRA r8 q/k/v/o ${LORA.jokes.length}x${LORA.seq}`,
);
console.log(
  `${'engine'.padEnd(32)}${'load s'.padStart(18)}${'decode tok/s'.padStart(18)}${'LoRA train tok/s'.padStart(18)}`,
);
for (const r of rows)
  console.log(`${r.engine.padEnd(32)}${cell(r.loadS, 1)}${cell(r.decodeTps, 2)}${cell(r.trainTps, 1)}`);
console.log(browserNote);
console.log(llamaNote);
