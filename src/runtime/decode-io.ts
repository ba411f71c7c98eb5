import type { ModelSession, OrtTensor, OutputLocation, TensorFactory } from './types.ts';

/**
 * What the generate loop must know about a decode graph with Hugging Face ONNX names:
 *   inputs  input_ids [batch, seq], attention_mask [batch, past + seq], position_ids [batch, seq] (optional),
 *           past_key_values.N.key / .value [batch, kvHeads, past, headDim]
 *   outputs logits [batch, seq, vocab] (seq may be 1: only the last position is read),
 *           present.N.key / .value [batch, kvHeads, past + seq, headDim]
 */
export interface DecodeSpec {
  numLayers: number;
  numKvHeads: number;
  headDim: number;
  /** Element type of input_ids, attention_mask and position_ids. */
  idType: 'int32' | 'int64';
  /** Whether the graph takes position_ids (some GPT-2 exports derive positions from the mask instead). */
  hasPositionIds: boolean;
  /** The model's context window (max_position_embeddings); generation stops there. */
  maxPositions?: number;
}

export const pastKeyName = (layer: number) => `past_key_values.${layer}.key`;
export const pastValueName = (layer: number) => `past_key_values.${layer}.value`;
export const presentKeyName = (layer: number) => `present.${layer}.key`;
export const presentValueName = (layer: number) => `present.${layer}.value`;

/** Reads the spec from the graph's declared inputs; past_key_values dims 1 and 3 must be static numbers. */
export function decodeSpecFromSession(
  session: Pick<ModelSession, 'label' | 'inputs' | 'outputs'>,
  maxPositions?: number,
): DecodeSpec {
  const byName = new Map(session.inputs.map((s) => [s.name, s]));
  const fail = (problem: string): never => {
    throw new Error(`${session.label}: not a decode graph with Hugging Face names: ${problem}`);
  };
  const ids = byName.get('input_ids') ?? fail('no input "input_ids"');
  if (!byName.has('attention_mask')) fail('no input "attention_mask"');
  if (ids.type !== 'int32' && ids.type !== 'int64') fail(`input_ids must be int32 or int64, not ${ids.type}`);
  let numLayers = 0;
  while (byName.has(pastKeyName(numLayers))) numLayers++;
  if (numLayers === 0) fail('no input "past_key_values.0.key"');
  const key0 = byName.get(pastKeyName(0));
  const [, kvHeads, , headDim] = key0?.shape ?? [];
  if (typeof kvHeads !== 'number' || typeof headDim !== 'number') {
    fail(`past_key_values.0.key must have static kv-head and head dims, got [${key0?.shape.join(', ')}]`);
  }
  for (let layer = 0; layer < numLayers; layer++) {
    if (!byName.has(pastValueName(layer))) fail(`no input "${pastValueName(layer)}"`);
    for (const name of [presentKeyName(layer), presentValueName(layer)]) {
      if (!session.outputs.some((o) => o.name === name)) fail(`no output "${name}"`);
    }
  }
  if (!session.outputs.some((o) => o.name === 'logits')) fail('no output "logits"');
  return {
    numLayers,
    numKvHeads: kvHeads as number,
    headDim: headDim as number,
    idType: ids.type as 'int32' | 'int64',
    hasPositionIds: byName.has('position_ids'),
    ...(maxPositions === undefined ? {} : { maxPositions }),
  };
}

/** preferredOutputLocation for a decode session that keeps its KV cache on the GPU and reads logits on the CPU. */
export function kvCacheOnGpu(numLayers: number): Record<string, OutputLocation> {
  const locations: Record<string, OutputLocation> = { logits: 'cpu' };
  for (let layer = 0; layer < numLayers; layer++) {
    locations[presentKeyName(layer)] = 'gpu-buffer';
    locations[presentValueName(layer)] = 'gpu-buffer';
  }
  return locations;
}

export function idTensor(
  tensors: TensorFactory,
  spec: DecodeSpec,
  values: readonly number[],
  dims: readonly number[],
): OrtTensor {
  return spec.idType === 'int32' ? tensors.int32(Int32Array.from(values), dims) : tensors.int64(values, dims);
}

/** The empty cache for the first (prompt) step: [batch, kvHeads, 0, headDim] per layer. */
export function emptyPast(
  tensors: TensorFactory,
  spec: DecodeSpec,
  batch: number,
): Record<string, OrtTensor> {
  const past: Record<string, OrtTensor> = {};
  const dims = [batch, spec.numKvHeads, 0, spec.headDim];
  for (let layer = 0; layer < spec.numLayers; layer++) {
    past[pastKeyName(layer)] = tensors.float32(new Float32Array(0), dims);
    past[pastValueName(layer)] = tensors.float32(new Float32Array(0), dims);
  }
  return past;
}

/** The present.N tensors of one step, renamed as the next step's past, after checking their shapes. */
export function presentsAsPast(
  outputs: Record<string, OrtTensor>,
  spec: DecodeSpec,
  batch: number,
  length: number,
  label: string,
): Record<string, OrtTensor> {
  const past: Record<string, OrtTensor> = {};
  for (let layer = 0; layer < spec.numLayers; layer++) {
    for (const [present, pastName] of [
      [presentKeyName(layer), pastKeyName(layer)],
      [presentValueName(layer), pastValueName(layer)],
    ] as const) {
      const t = outputs[present];
      if (!t) throw new Error(`${label}: decode graph returned no "${present}"`);
      const expected = [batch, spec.numKvHeads, length, spec.headDim];
      if (t.dims.length !== 4 || t.dims.some((d, i) => d !== expected[i])) {
        throw new Error(
          `${label}: "${present}" has dims [${t.dims.join(', ')}], expected [${expected.join(', ')}]`,
        );
      }
      past[pastName] = t;
    }
  }
  return past;
}
