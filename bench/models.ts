/**
 * Real-model benchmark: SmolLM2-135M-Instruct (public/models/smollm2-135m-instruct, from `npm run models:smollm2`)
 * in onnxruntime-node — load time, greedy decode tokens/s (float32 and 4-bit MatMulNBits weights) and LoRA
 * train-step tokens/s — side by side with PyTorch + transformers/PEFT (bench/models_torch.py) at the same
 * thread count, in the same run. Prints a table.
 *
 *   npx tsx bench/models.ts [--model DIR] [--threads 1] [--new-tokens 32] [--skip-torch]
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { initLora } from '../src/engine/arch/init.ts';
import { loraTable } from '../src/engine/arch/lora.ts';
import { parameterTable } from '../src/engine/arch/params.ts';
import { buildLmTrainGraph } from '../src/engine/graphs/train-lm.ts';
import { exportOnnx } from '../src/engine/onnx/serialize.ts';
import { createDecoder, type Decoder } from '../src/eval/decoder.ts';
import { loadImportedTokenizer } from '../src/models/load-tokenizer-node.ts';
import { GREEDY } from '../src/models/greedy-chat.ts';
import { createQuantizedDecoder } from '../src/models/quantized-decoder.ts';
import { generate } from '../src/runtime/generate.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import type { OrtTensor } from '../src/runtime/types.ts';
import { bindWeights } from '../src/runtime/weights.ts';
import { loadModelFolder } from '../tools/engine-io.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'public/models/smollm2-135m-instruct' },
    threads: { type: 'string', default: '1' },
    'new-tokens': { type: 'string', default: '32' },
    'skip-torch': { type: 'boolean', default: false },
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

/** Median tokens/s of LoRA train steps (rank 8, q/k/v/o) after one warm-up, batch 2 x 32 tokens. */
async function loraTrainRate(folder: ReturnType<typeof loadModelFolder>, tokens: number[]): Promise<number> {
  const { config, weights } = folder;
  const B = 2;
  const T = 32;
  const lora = { rank: 8, alpha: 16, targets: ['q', 'k', 'v', 'o'] };
  const train = buildLmTrainGraph(config, { kind: 'lora', lora, weights: { kind: 'inputs' } });
  const trainSession = await nodeRuntime.createSession(exportOnnx(train.graph), {
    ...session,
    label: 'LoRA train step',
  });
  const t = nodeRuntime.tensors;
  const bound = await bindWeights(
    nodeRuntime,
    Object.fromEntries(
      parameterTable(config).map((s) => [
        s.name,
        { data: weights.get(s.name) as Float32Array, dims: s.shape },
      ]),
    ),
    'cpu',
  );
  const ids = Int32Array.from({ length: B * T }, (_, i) => tokens[i % tokens.length] as number);
  const labels = Int32Array.from({ length: B * T }, (_, i) => tokens[(i + 1) % tokens.length] as number);
  const feeds: Record<string, OrtTensor> = {
    ...bound,
    input_ids: t.int32(ids, [B, T]),
    labels: t.int32(labels, [B, T]),
    loss_mask: t.float32(new Float32Array(B * T).fill(1), [B, T]),
  };
  for (const s of loraTable(config, lora)) {
    const adapters = initLora([s], 2);
    feeds[s.aName] = t.float32(adapters.get(s.aName) as Float32Array, s.aShape);
    feeds[s.bName] = t.float32(adapters.get(s.bName) as Float32Array, s.bShape);
  }
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await ((await trainSession.run(feeds))['loss'] as OrtTensor).getData();
    times.push(performance.now() - start);
  }
  await trainSession.dispose();
  const timed = times.slice(1).sort((a, b) => a - b);
  return (B * T * 1000) / (timed[Math.floor(timed.length / 2)] as number);
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
(rows[0] as Row).trainTps = await loraTrainRate(
  folder,
  tokenizer.encode('Why did the cat sit on the computer? To keep an eye on the mouse!'),
);

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
rows.push({ engine: 'llama.cpp (llama-cpp-python)', loadS: null, decodeTps: null, trainTps: null });

const cell = (v: number | null, digits: number): string =>
  (v === null ? 'n/a' : v.toFixed(digits)).padStart(18);
console.log(
  `SmolLM2-135M-Instruct, ${threads} thread(s), decode ${newTokens} tokens after the chat prompt, LoRA r8 q/k/v/o 2x32`,
);
console.log(
  `${'engine'.padEnd(32)}${'load s'.padStart(18)}${'decode tok/s'.padStart(18)}${'LoRA train tok/s'.padStart(18)}`,
);
for (const r of rows)
  console.log(`${r.engine.padEnd(32)}${cell(r.loadS, 1)}${cell(r.decodeTps, 2)}${cell(r.trainTps, 1)}`);
console.log(
  'llama.cpp: llama-cpp-python has no binary wheel here (pip download --only-binary :all: finds none); not measured.',
);
