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
import { loadModelFolder, type ModelFolder } from './engine-io.ts';

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

export async function runTask(request: DumpRequest): Promise<DumpTensor[]> {
  const T = request.input_ids[0]?.length ?? 0;
  switch (request.task) {
    case 'logits':
      return logits(request, T);
    case 'logits_cached':
      return logits(request, request.prefill ?? 1);
    default:
      throw new Error(`request: task "${request.task}" is not supported`);
  }
}
