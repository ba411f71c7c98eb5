/** The tasks behind tools/engine-dump.ts: build a graph, run it on onnxruntime-node, collect outputs. */
import { exportOnnx } from '../src/engine/onnx/serialize.ts';
import {
  buildDecodeGraph,
  pastKeyName,
  pastValueName,
  presentKeyName,
  presentValueName,
} from '../src/engine/graphs/decode.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import type { ModelSession, OrtTensor } from '../src/runtime/types.ts';
import { readFloat32 } from '../src/runtime/tensors.ts';
import { buildClassifierGraph, SCORE_WEIGHT } from '../src/engine/graphs/classifier.ts';
import {
  buildLmTrainGraph,
  gradName,
  nextTokenTargets,
  type TrainGraph,
} from '../src/engine/graphs/train-lm.ts';
import { parameterTable } from '../src/engine/arch/params.ts';
import { loraTable } from '../src/engine/arch/lora.ts';
import type { ModelConfig } from '../src/engine/arch/config.ts';
import { loadModelFolder, readAllFloat32, type ModelFolder } from './engine-io.ts';

export interface DumpRequest {
  model: string;
  task: 'logits' | 'logits_cached' | 'lm_grad' | 'classifier';
  input_ids: number[][];
  attention_mask?: number[][];
  position_ids?: number[][];
  prefill?: number;
  loss_mask?: number[][];
  lora?: { rank: number; alpha: number; targets: string[]; file: string };
  classifier?: { num_labels: number; head_file: string; labels: number[]; class_weights: number[] | null };
}

export interface DumpTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

const t = nodeRuntime.tensors;

function matrix(
  rows: number[][] | undefined,
  what: string,
  from = 0,
  to?: number,
): { data: Int32Array; dims: number[] } {
  if (!rows) throw new Error(`request: "${what}" is required for this task`);
  const sliced = rows.map((r) => r.slice(from, to));
  const width = sliced[0]?.length ?? 0;
  return { data: Int32Array.from(sliced.flat()), dims: [sliced.length, width] };
}

async function decodeSession(folder: ModelFolder): Promise<ModelSession> {
  const graph = buildDecodeGraph(folder.config, { weights: { kind: 'initializers', data: folder.weights } });
  return nodeRuntime.createSession(exportOnnx(graph), { label: 'decode graph' });
}

function emptyPast(folder: ModelFolder, batch: number): Record<string, OrtTensor> {
  const { numLayers, numKvHeads, headDim } = folder.config;
  const past: Record<string, OrtTensor> = {};
  for (let i = 0; i < numLayers; i++) {
    past[pastKeyName(i)] = t.float32(new Float32Array(0), [batch, numKvHeads, 0, headDim]);
    past[pastValueName(i)] = t.float32(new Float32Array(0), [batch, numKvHeads, 0, headDim]);
  }
  return past;
}

/** Logits [B, T, V], computed in one call (prefill = T) or a prefill followed by one token per call. */
async function logits(request: DumpRequest, prefill: number): Promise<DumpTensor[]> {
  const folder = loadModelFolder(request.model);
  const session = await decodeSession(folder);
  const B = request.input_ids.length;
  const T = request.input_ids[0]?.length ?? 0;
  const V = folder.config.vocabSize;
  const result = new Float32Array(B * T * V);
  let past = emptyPast(folder, B);
  for (let start = 0; start < T;) {
    const end = start === 0 ? prefill : start + 1;
    const ids = matrix(request.input_ids, 'input_ids', start, end);
    const mask = matrix(request.attention_mask, 'attention_mask', 0, end);
    const positions = matrix(request.position_ids, 'position_ids', start, end);
    const out = await session.run({
      input_ids: t.int32(ids.data, ids.dims),
      attention_mask: t.int32(mask.data, mask.dims),
      position_ids: t.int32(positions.data, positions.dims),
      ...past,
    });
    const step = await readFloat32(out['logits'] as OrtTensor, 'logits');
    const width = end - start;
    for (let b = 0; b < B; b++) {
      result.set(step.subarray(b * width * V, (b + 1) * width * V), (b * T + start) * V);
    }
    past = {};
    for (let i = 0; i < folder.config.numLayers; i++) {
      past[pastKeyName(i)] = out[presentKeyName(i)] as OrtTensor;
      past[pastValueName(i)] = out[presentValueName(i)] as OrtTensor;
    }
    start = end;
  }
  await session.dispose();
  return [{ name: 'logits', shape: [B, T, V], data: result }];
}

/** Shapes of every trainable tensor: weights from the parameter table, LoRA from the LoRA table. */
function trainableShapes(
  config: ModelConfig,
  request: DumpRequest,
  numLabels?: number,
): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  if (numLabels !== undefined) shapes.set(SCORE_WEIGHT, [numLabels, config.hiddenSize]);
  if (request.lora) {
    for (const spec of loraTable(config, request.lora)) {
      shapes.set(spec.aName, spec.aShape);
      shapes.set(spec.bName, spec.bShape);
    }
  } else if (numLabels === undefined) {
    for (const spec of parameterTable(config)) shapes.set(spec.name, [...spec.shape]);
  }
  return shapes;
}

/** Feeds the trainable tensors, runs the graph and returns loss (+ logits) and one gradient per tensor. */
async function runTrainGraph(
  train: TrainGraph,
  feeds: Record<string, OrtTensor>,
  values: ReadonlyMap<string, Float32Array>,
  shapes: ReadonlyMap<string, number[]>,
  extraOutputs: { name: string; shape: number[] }[],
): Promise<DumpTensor[]> {
  for (const name of train.trainable) {
    const data = values.get(name);
    const shape = shapes.get(name);
    if (!data || !shape) throw new Error(`request: no value for trainable tensor "${name}"`);
    feeds[name] = t.float32(data, shape);
  }
  const session = await nodeRuntime.createSession(exportOnnx(train.graph), { label: 'train graph' });
  const out = await session.run(feeds);
  const result: DumpTensor[] = [];
  for (const { name, shape } of [{ name: 'loss', shape: [] }, ...extraOutputs]) {
    result.push({ name, shape, data: await readFloat32(out[name] as OrtTensor, name) });
  }
  for (const name of train.trainable) {
    result.push({
      name: gradName(name),
      shape: shapes.get(name) as number[],
      data: await readFloat32(out[gradName(name)] as OrtTensor, name),
    });
  }
  await session.dispose();
  return result;
}

async function lmGrad(request: DumpRequest): Promise<DumpTensor[]> {
  const folder = loadModelFolder(request.model);
  const ids = matrix(request.input_ids, 'input_ids');
  const lossMask = matrix(request.loss_mask, 'loss_mask');
  const [B, T] = ids.dims as [number, number];
  const targets = nextTokenTargets(ids.data, lossMask.data, B, T);
  const train = buildLmTrainGraph(
    folder.config,
    request.lora
      ? { kind: 'lora', lora: request.lora, weights: { kind: 'initializers', data: folder.weights } }
      : { kind: 'all' },
  );
  const values = request.lora ? readAllFloat32(request.lora.file) : folder.weights;
  const feeds = {
    input_ids: t.int32(ids.data, ids.dims),
    labels: t.int32(targets.labels, ids.dims),
    loss_mask: t.float32(targets.mask, ids.dims),
  };
  return runTrainGraph(train, feeds, values, trainableShapes(folder.config, request), []);
}

async function classifier(request: DumpRequest): Promise<DumpTensor[]> {
  const spec = request.classifier;
  if (!spec) throw new Error('request: "classifier" is required for this task');
  const folder = loadModelFolder(request.model);
  const K = spec.num_labels;
  const train = buildClassifierGraph(folder.config, {
    numLabels: K,
    weights: { kind: 'initializers', data: folder.weights },
    train: true,
    ...(request.lora ? { lora: request.lora } : {}),
  });
  const ids = matrix(request.input_ids, 'input_ids');
  const mask = matrix(request.attention_mask, 'attention_mask');
  const B = ids.dims[0] as number;
  const weights = spec.labels.map((label) => spec.class_weights?.[label] ?? 1);
  const values = new Map([
    ...(request.lora ? readAllFloat32(request.lora.file) : []),
    ...readAllFloat32(spec.head_file),
  ]);
  const feeds = {
    input_ids: t.int32(ids.data, ids.dims),
    attention_mask: t.int32(mask.data, mask.dims),
    labels:
      K === 1 ? t.float32(Float32Array.from(spec.labels), [B]) : t.int32(Int32Array.from(spec.labels), [B]),
    sample_weight: t.float32(Float32Array.from(weights), [B]),
  };
  return runTrainGraph(train, feeds, values, trainableShapes(folder.config, request, K), [
    { name: 'logits', shape: [B, K] },
  ]);
}

export async function runTask(request: DumpRequest): Promise<DumpTensor[]> {
  const T = request.input_ids[0]?.length ?? 0;
  switch (request.task) {
    case 'logits':
      return logits(request, T);
    case 'logits_cached':
      return logits(request, request.prefill ?? 1);
    case 'lm_grad':
      return lmGrad(request);
    case 'classifier':
      return classifier(request);
    default:
      throw new Error(`request: task "${request.task}" is not supported`);
  }
}
