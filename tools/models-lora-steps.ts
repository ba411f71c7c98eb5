/**
 * A few LoRA train steps on an imported model (default SmolLM2-135M-Instruct) over jokes formatted with its chat
 * template, on onnxruntime-node: prints the loss of each step, which should fall.
 *
 *   npx tsx tools/models-lora-steps.ts [--model DIR] [--data runs/data/validation.jsonl] [--steps 8] [--seq 48] [--lr 0.002]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { initLora } from '../src/engine/arch/init.ts';
import { loraTable } from '../src/engine/arch/lora.ts';
import { parameterTable } from '../src/engine/arch/params.ts';
import { buildLmTrainGraph, gradName } from '../src/engine/graphs/train-lm.ts';
import { exportOnnx } from '../src/engine/onnx/serialize.ts';
import { loadImportedTokenizer } from '../src/models/load-tokenizer-node.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { readFloat32 } from '../src/runtime/tensors.ts';
import type { OrtTensor } from '../src/runtime/types.ts';
import { bindWeights } from '../src/runtime/weights.ts';
import { AdamW } from '../src/train/optimizer.ts';
import { loadModelFolder } from './engine-io.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'public/models/smollm2-135m-instruct' },
    data: { type: 'string', default: 'runs/data/validation.jsonl' },
    steps: { type: 'string', default: '8' },
    seq: { type: 'string', default: '48' },
    lr: { type: 'string', default: '0.002' },
  },
});
const steps = Number(values.steps);
const T = Number(values.seq);
const B = 2;

const tokenizer = loadImportedTokenizer(values.model);
const { config, weights } = loadModelFolder(values.model);
// Two jokes as the assistant's answer to the request the model is asked at generation time.
const rows = readFileSync(values.data, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { text: string; language: string })
  .filter((r) => r.language === 'en')
  .slice(0, B);
const sequences = rows.map((r) => {
  const prompt = tokenizer.encodeChat([{ role: 'user', content: 'Tell me a joke.' }]);
  const answer = [...tokenizer.encode(r.text), ...tokenizer.eosTokenIds.slice(0, 1)];
  const ids = [...prompt, ...answer].slice(0, T + 1);
  while (ids.length < T + 1) ids.push(tokenizer.eosTokenIds[0] as number);
  // Only the answer's tokens are targets.
  return { ids, firstTarget: prompt.length - 1, lastTarget: Math.min(prompt.length + answer.length - 1, T) };
});
const inputIds = new Int32Array(B * T);
const labels = new Int32Array(B * T);
const lossMask = new Float32Array(B * T);
sequences.forEach((s, b) => {
  for (let t = 0; t < T; t++) {
    inputIds[b * T + t] = s.ids[t] as number;
    labels[b * T + t] = s.ids[t + 1] as number;
    lossMask[b * T + t] = t >= s.firstTarget && t < s.lastTarget ? 1 : 0;
  }
});

const lora = { rank: 8, alpha: 16, targets: ['q', 'k', 'v', 'o'] };
const train = buildLmTrainGraph(config, { kind: 'lora', lora, weights: { kind: 'inputs' } });
const session = await nodeRuntime.createSession(exportOnnx(train.graph), { label: 'LoRA train step' });
const t = nodeRuntime.tensors;
const base = await bindWeights(
  nodeRuntime,
  Object.fromEntries(
    parameterTable(config).map((s) => [s.name, { data: weights.get(s.name) as Float32Array, dims: s.shape }]),
  ),
  'cpu',
);
const specs = loraTable(config, lora);
const params = Object.fromEntries(initLora(specs, 2));
const shapes = new Map(specs.flatMap((s) => [[s.aName, s.aShape] as const, [s.bName, s.bShape] as const]));
const optimizer = new AdamW({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
for (let step = 1; step <= steps; step++) {
  const started = performance.now();
  const feeds: Record<string, OrtTensor> = {
    ...base,
    input_ids: t.int32(inputIds, [B, T]),
    labels: t.int32(labels, [B, T]),
    loss_mask: t.float32(lossMask, [B, T]),
  };
  for (const [name, data] of Object.entries(params))
    feeds[name] = t.float32(data, shapes.get(name) as number[]);
  const out = await session.run(feeds);
  const loss = (await readFloat32(out['loss'] as OrtTensor, 'loss'))[0] as number;
  const grads: Record<string, Float32Array> = {};
  for (const name of train.trainable) grads[name] = await readFloat32(out[gradName(name)] as OrtTensor, name);
  optimizer.update(params, grads, Number(values.lr));
  console.log(
    `step ${step}  loss ${loss.toFixed(4)}  ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
await session.dispose();
