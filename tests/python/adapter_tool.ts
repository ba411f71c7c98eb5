/**
 * The Punchline side of the adapter interop tests (tests/python/test_adapter_*.py, test_merge_*.py,
 * test_gpu_handoff.py), on onnxruntime-node:
 *
 *   train   --model DIR --out DIR --targets a,b --rank 4 --alpha 8 --steps 5 --lr 0.01 --seed 1 --ids ids.json
 *           LoRA train steps (engine train-step graph + AdamW) on the token rows in ids.json, every token a
 *           target; writes the adapter as PEFT files (adapter_config.json, adapter_model.safetensors, ...)
 *   logits  --model DIR --adapter DIR|ZIP --ids ids.json --out logits.safetensors
 *           imports the adapter against the model and runs the decode graph with the LoRA bound
 *   merge   --model DIR --adapter DIR|ZIP --out DIR
 *           merged model folder (model.safetensors, config.json, tokenizer files)
 *   train-classifier --model DIR --out DIR --targets a,b --num-labels K --ids ids.json --mask mask.json
 *           --labels labels.json [--rank --alpha --steps --lr --seed]
 *           the same for a SEQ_CLS adapter with a score head (engine classifier graph + AdamW)
 *   classify --model DIR --adapter DIR|ZIP --num-labels K --ids ids.json --mask mask.json --out logits.safetensors
 *           classifier logits [batch, K] of our classifier graph with the imported adapter and head
 *   handoff --request request.json --out bundle.zip
 *           the "continue on a GPU cluster" bundle for the examples, LoRA settings and hyperparameters in
 *           request.json
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGpuHandoff, type HandoffRequest } from '../../src/adapters/handoff.ts';
import { initLora, seededNormal } from '../../src/engine/arch/init.ts';
import { buildClassifierGraph, SCORE_WEIGHT } from '../../src/engine/graphs/classifier.ts';
import { loraTable, type LoraConfig } from '../../src/engine/arch/lora.ts';
import { buildDecodeGraph, pastKeyName, pastValueName } from '../../src/engine/graphs/decode.ts';
import { buildLmTrainGraph, gradName, nextTokenTargets } from '../../src/engine/graphs/train-lm.ts';
import { exportOnnx } from '../../src/engine/onnx/serialize.ts';
import { exportPeftFiles, importPeftAdapter, type AdapterSource } from '../../src/formats/peft/adapter-io.ts';
import { mergedModelFiles, mergeLora } from '../../src/formats/peft/merge.ts';
import type { PeftAdapter } from '../../src/formats/peft/types.ts';
import { nodeRuntime } from '../../src/runtime/ort-node.ts';
import { readFloat32 } from '../../src/runtime/tensors.ts';
import type { OrtTensor } from '../../src/runtime/types.ts';
import { AdamW } from '../../src/train/optimizer.ts';
import {
  loadModelFolder,
  parseArgs,
  requireArg,
  writeFloat32File,
  type ModelFolder,
} from '../../tools/engine-io.ts';

const USAGE = 'usage: npx tsx tests/python/adapter_tool.ts train|logits|merge|handoff --option value ...';
const t = nodeRuntime.tensors;

/** A JSON file of equal-length integer rows (token ids or an attention mask). */
function readIds(path: string): { data: Int32Array; dims: [number, number] } {
  const rows = JSON.parse(readFileSync(path, 'utf8')) as number[][];
  return { data: Int32Array.from(rows.flat()), dims: [rows.length, rows[0]?.length ?? 0] };
}

function adapterSource(path: string): AdapterSource {
  if (!statSync(path).isDirectory())
    return { kind: 'zip', bytes: new Uint8Array(readFileSync(path)), label: path };
  const meta = join(path, 'punchline.json');
  return {
    kind: 'files',
    config: readFileSync(join(path, 'adapter_config.json'), 'utf8'),
    weights: new Uint8Array(readFileSync(join(path, 'adapter_model.safetensors'))),
    ...(existsSync(meta) ? { meta: readFileSync(meta, 'utf8') } : {}),
  };
}

function loraOf(adapter: PeftAdapter): LoraConfig {
  return { rank: adapter.config.rank, alpha: adapter.config.alpha, targets: adapter.config.targetModules };
}

async function train(args: Map<string, string>): Promise<void> {
  const folder = loadModelFolder(requireArg(args, 'model', USAGE));
  const lora: LoraConfig = {
    rank: Number(args.get('rank') ?? 4),
    alpha: Number(args.get('alpha') ?? 8),
    targets: requireArg(args, 'targets', USAGE).split(','),
  };
  const seed = Number(args.get('seed') ?? 1);
  const steps = Number(args.get('steps') ?? 5);
  const lr = Number(args.get('lr') ?? 0.01);
  const ids = readIds(requireArg(args, 'ids', USAGE));
  const [B, T] = ids.dims;
  const targets = nextTokenTargets(ids.data, new Float32Array(B * T).fill(1), B, T);
  const specs = loraTable(folder.config, lora);
  const values = initLora(specs, seed);
  const shapes = new Map(specs.flatMap((s) => [[s.aName, s.aShape] as const, [s.bName, s.bShape] as const]));
  const graph = buildLmTrainGraph(folder.config, {
    kind: 'lora',
    lora,
    weights: { kind: 'initializers', data: folder.weights },
  });
  const session = await nodeRuntime.createSession(exportOnnx(graph.graph), { label: 'LoRA train step' });
  const optimizer = new AdamW({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
  const params = Object.fromEntries(values);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const feeds: Record<string, OrtTensor> = {
      input_ids: t.int32(ids.data, ids.dims),
      labels: t.int32(targets.labels, ids.dims),
      loss_mask: t.float32(targets.mask, ids.dims),
    };
    for (const [name, data] of values) feeds[name] = t.float32(data, shapes.get(name) as number[]);
    const out = await session.run(feeds);
    losses.push((await readFloat32(out['loss'] as OrtTensor, 'loss'))[0] as number);
    const grads: Record<string, Float32Array> = {};
    for (const name of graph.trainable)
      grads[name] = await readFloat32(out[gradName(name)] as OrtTensor, name);
    optimizer.update(params, grads, lr);
  }
  await session.dispose();
  const adapter: PeftAdapter = {
    config: {
      taskType: 'CAUSAL_LM',
      rank: lora.rank,
      alpha: lora.alpha,
      dropout: 0,
      targetModules: [...lora.targets],
      baseModelNameOrPath: null,
      fanInFanOut: folder.config.arch === 'gpt2',
    },
    tensors: new Map(
      specs.flatMap((s) =>
        [s.aName, s.bName].map(
          (n) => [n, { shape: shapes.get(n) as number[], data: values.get(n) as Float32Array }] as const,
        ),
      ),
    ),
    meta: null,
  };
  writeFolder(requireArg(args, 'out', USAGE), exportPeftFiles(adapter, { config: folder.config }));
  console.log(JSON.stringify({ losses }));
}

async function logits(args: Map<string, string>): Promise<void> {
  const folder = loadModelFolder(requireArg(args, 'model', USAGE));
  const adapter = importPeftAdapter(adapterSource(requireArg(args, 'adapter', USAGE)), {
    config: folder.config,
  });
  const ids = readIds(requireArg(args, 'ids', USAGE));
  const result = await loraLogits(folder, adapter, ids);
  writeFloat32File(requireArg(args, 'out', USAGE), [
    { name: 'logits', shape: [...ids.dims, folder.config.vocabSize], data: result },
  ]);
}

/** One decode call over the whole rows (empty cache), LoRA tensors bound as graph inputs. */
async function loraLogits(
  folder: ModelFolder,
  adapter: PeftAdapter,
  ids: { data: Int32Array; dims: [number, number] },
): Promise<Float32Array> {
  const { config } = folder;
  const graph = buildDecodeGraph(config, {
    weights: { kind: 'initializers', data: folder.weights },
    lora: loraOf(adapter),
  });
  const session = await nodeRuntime.createSession(exportOnnx(graph), { label: 'decode graph with LoRA' });
  const [B, T] = ids.dims;
  const feeds: Record<string, OrtTensor> = {
    input_ids: t.int32(ids.data, ids.dims),
    attention_mask: t.int32(new Int32Array(B * T).fill(1), ids.dims),
    position_ids: t.int32(
      Int32Array.from({ length: B * T }, (_, i) => i % T),
      ids.dims,
    ),
  };
  for (let i = 0; i < config.numLayers; i++) {
    const empty = [B, config.numKvHeads, 0, config.headDim];
    feeds[pastKeyName(i)] = t.float32(new Float32Array(0), empty);
    feeds[pastValueName(i)] = t.float32(new Float32Array(0), empty);
  }
  for (const [name, tensor] of adapter.tensors) feeds[name] = t.float32(tensor.data, tensor.shape);
  const out = await session.run(feeds);
  const data = await readFloat32(out['logits'] as OrtTensor, 'logits');
  await session.dispose();
  return data;
}

function merge(args: Map<string, string>): void {
  const dir = requireArg(args, 'model', USAGE);
  const folder = loadModelFolder(dir);
  const adapter = importPeftAdapter(adapterSource(requireArg(args, 'adapter', USAGE)), {
    config: folder.config,
  });
  const baseFiles = new Map(
    readdirSync(dir)
      .filter((name) => statSync(join(dir, name)).isFile())
      .map((name) => [name, new Uint8Array(readFileSync(join(dir, name)))] as const),
  );
  const merged = mergeLora(folder.config, folder.weights, adapter);
  writeFolder(
    requireArg(args, 'out', USAGE),
    mergedModelFiles(folder.config, baseFiles, merged, '# merged model\n'),
  );
}

function classifierFeeds(args: Map<string, string>): { feeds: Record<string, OrtTensor>; batch: number } {
  const ids = readIds(requireArg(args, 'ids', USAGE));
  const mask = readIds(requireArg(args, 'mask', USAGE));
  return {
    feeds: { input_ids: t.int32(ids.data, ids.dims), attention_mask: t.int32(mask.data, mask.dims) },
    batch: ids.dims[0],
  };
}

async function trainClassifier(args: Map<string, string>): Promise<void> {
  const folder = loadModelFolder(requireArg(args, 'model', USAGE));
  const K = Number(requireArg(args, 'num-labels', USAGE));
  const lora: LoraConfig = {
    rank: Number(args.get('rank') ?? 4),
    alpha: Number(args.get('alpha') ?? 8),
    targets: requireArg(args, 'targets', USAGE).split(','),
  };
  const seed = Number(args.get('seed') ?? 1);
  const specs = loraTable(folder.config, lora);
  const shapes = new Map<string, number[]>(
    specs.flatMap((s) => [[s.aName, [...s.aShape]] as const, [s.bName, [...s.bShape]] as const]),
  );
  shapes.set(SCORE_WEIGHT, [K, folder.config.hiddenSize]);
  const values = initLora(specs, seed);
  const normal = seededNormal(seed + 1);
  values.set(
    SCORE_WEIGHT,
    Float32Array.from({ length: K * folder.config.hiddenSize }, () => 0.1 * normal()),
  );
  const graph = buildClassifierGraph(folder.config, {
    numLabels: K,
    weights: { kind: 'initializers', data: folder.weights },
    lora,
    train: true,
  });
  const session = await nodeRuntime.createSession(exportOnnx(graph.graph), {
    label: 'classifier train step',
  });
  const { feeds: inputs, batch } = classifierFeeds(args);
  const labels = JSON.parse(readFileSync(requireArg(args, 'labels', USAGE), 'utf8')) as number[];
  inputs['labels'] = t.int32(Int32Array.from(labels), [batch]);
  inputs['sample_weight'] = t.float32(new Float32Array(batch).fill(1), [batch]);
  const optimizer = new AdamW({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
  const params = Object.fromEntries(values);
  const losses: number[] = [];
  for (let step = 0; step < Number(args.get('steps') ?? 5); step++) {
    const feeds = { ...inputs };
    for (const [name, data] of values) feeds[name] = t.float32(data, shapes.get(name) as number[]);
    const out = await session.run(feeds);
    losses.push((await readFloat32(out['loss'] as OrtTensor, 'loss'))[0] as number);
    const grads: Record<string, Float32Array> = {};
    for (const name of graph.trainable)
      grads[name] = await readFloat32(out[gradName(name)] as OrtTensor, name);
    optimizer.update(params, grads, Number(args.get('lr') ?? 0.01));
  }
  await session.dispose();
  const adapter: PeftAdapter = {
    config: {
      taskType: 'SEQ_CLS',
      rank: lora.rank,
      alpha: lora.alpha,
      dropout: 0,
      targetModules: [...lora.targets],
      baseModelNameOrPath: null,
      fanInFanOut: folder.config.arch === 'gpt2',
    },
    tensors: new Map(
      [...values].map(([name, data]) => [name, { shape: shapes.get(name) as number[], data }] as const),
    ),
    meta: null,
  };
  const base = { config: folder.config, numLabels: K };
  writeFolder(requireArg(args, 'out', USAGE), exportPeftFiles(adapter, base));
  console.log(JSON.stringify({ losses }));
}

async function classify(args: Map<string, string>): Promise<void> {
  const folder = loadModelFolder(requireArg(args, 'model', USAGE));
  const K = Number(requireArg(args, 'num-labels', USAGE));
  const base = { config: folder.config, numLabels: K };
  const adapter = importPeftAdapter(adapterSource(requireArg(args, 'adapter', USAGE)), base);
  const graph = buildClassifierGraph(folder.config, {
    numLabels: K,
    weights: { kind: 'initializers', data: folder.weights },
    lora: loraOf(adapter),
    train: false,
  });
  const session = await nodeRuntime.createSession(exportOnnx(graph.graph), { label: 'classifier graph' });
  const { feeds, batch } = classifierFeeds(args);
  for (const [name, tensor] of adapter.tensors) feeds[name] = t.float32(tensor.data, tensor.shape);
  const out = await session.run(feeds);
  const logits = await readFloat32(out['logits'] as OrtTensor, 'logits');
  await session.dispose();
  writeFloat32File(requireArg(args, 'out', USAGE), [{ name: 'logits', shape: [batch, K], data: logits }]);
}

function handoff(args: Map<string, string>): void {
  const request = JSON.parse(readFileSync(requireArg(args, 'request', USAGE), 'utf8')) as HandoffRequest;
  writeFileSync(requireArg(args, 'out', USAGE), buildGpuHandoff(request).zip);
}

function writeFolder(dir: string, files: Record<string, Uint8Array>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const args = parseArgs(rest);
  if (command === 'train') return train(args);
  if (command === 'logits') return logits(args);
  if (command === 'merge') return merge(args);
  if (command === 'handoff') return handoff(args);
  if (command === 'train-classifier') return trainClassifier(args);
  if (command === 'classify') return classify(args);
  throw new Error(USAGE);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
