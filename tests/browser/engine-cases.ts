/**
 * One decode step (prompt, then a token through the KV cache) and one LoRA train step of tiny random
 * GPT-2 and Llama models, run on any Runtime. The browser page and the Node side of
 * engine-backends.test.ts run exactly this code, so their numbers can be compared value by value.
 */
import { parseModelConfig, type ModelConfig } from '../../src/engine/arch/config.ts';
import { initLora, seededNormal } from '../../src/engine/arch/init.ts';
import { loraTable, type LoraConfig } from '../../src/engine/arch/lora.ts';
import { parameterTable } from '../../src/engine/arch/params.ts';
import {
  buildDecodeGraph,
  pastKeyName,
  pastValueName,
  presentKeyName,
  presentValueName,
} from '../../src/engine/graphs/decode.ts';
import { buildLmTrainGraph, gradName } from '../../src/engine/graphs/train-lm.ts';
import { Graph } from '../../src/engine/builder.ts';
import { ModelProto } from '../../src/engine/onnx/schema.ts';
import { exportOnnx } from '../../src/engine/onnx/serialize.ts';
import type { OrtTensor, Runtime, SessionConfig } from '../../src/runtime/types.ts';

export const ENGINE_CASE_MODELS: Record<string, ModelConfig> = {
  llama: parseModelConfig({
    model_type: 'llama',
    vocab_size: 40,
    hidden_size: 16,
    intermediate_size: 24,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    max_position_embeddings: 32,
    tie_word_embeddings: true,
  }),
  gpt2: parseModelConfig({
    model_type: 'gpt2',
    vocab_size: 40,
    n_embd: 16,
    n_layer: 2,
    n_head: 2,
    n_positions: 32,
  }),
};

/** Output name -> values, as plain arrays so they cross from the page to Node as JSON. */
export type CaseOutputs = Record<string, number[]>;

function randomWeights(config: ModelConfig): Map<string, Float32Array> {
  const normal = seededNormal(5);
  return new Map(
    parameterTable(config).map((spec) => {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const gain = spec.shape.length === 1 && spec.name.endsWith('.weight');
      return [
        spec.name,
        Float32Array.from({ length: size }, () => (gain ? 1 + 0.1 * normal() : 0.3 * normal())),
      ];
    }),
  );
}

async function values(tensor: OrtTensor | undefined, name: string): Promise<number[]> {
  if (!tensor) throw new Error(`graph returned no "${name}"`);
  return Array.from((await tensor.getData()) as Float32Array);
}

/** Prompt of 4 tokens for 2 rows (row 1 left-padded by 1), then one more token per row through the cache. */
async function decodeCase(
  runtime: Runtime,
  config: ModelConfig,
  session: SessionConfig,
): Promise<CaseOutputs> {
  const t = runtime.tensors;
  const weights = randomWeights(config);
  const graph = buildDecodeGraph(config, { weights: { kind: 'inputs' } });
  const decode = await runtime.createSession(exportOnnx(graph), { ...session, label: 'decode graph' });
  const bound: Record<string, OrtTensor> = {};
  for (const spec of parameterTable(config))
    bound[spec.name] = t.float32(weights.get(spec.name) as Float32Array, spec.shape);
  const past: Record<string, OrtTensor> = {};
  for (let i = 0; i < config.numLayers; i++) {
    past[pastKeyName(i)] = t.float32(new Float32Array(0), [2, config.numKvHeads, 0, config.headDim]);
    past[pastValueName(i)] = t.float32(new Float32Array(0), [2, config.numKvHeads, 0, config.headDim]);
  }
  const prompt = await decode.run({
    ...bound,
    ...past,
    input_ids: t.int32(Int32Array.from([3, 17, 8, 30, 0, 12, 25, 6]), [2, 4]),
    attention_mask: t.int32(Int32Array.from([1, 1, 1, 1, 0, 1, 1, 1]), [2, 4]),
    position_ids: t.int32(Int32Array.from([0, 1, 2, 3, 0, 0, 1, 2]), [2, 4]),
  });
  const cache: Record<string, OrtTensor> = {};
  for (let i = 0; i < config.numLayers; i++) {
    cache[pastKeyName(i)] = prompt[presentKeyName(i)] as OrtTensor;
    cache[pastValueName(i)] = prompt[presentValueName(i)] as OrtTensor;
  }
  // The next token runs on a second graph that computes logits at the last position only.
  const lastOnly = buildDecodeGraph(config, { weights: { kind: 'inputs' }, logits: 'last' });
  const step = await runtime.createSession(exportOnnx(lastOnly), {
    ...session,
    label: 'decode graph (last logits)',
  });
  const next = await step.run({
    ...bound,
    ...cache,
    input_ids: t.int32(Int32Array.from([11, 19]), [2, 1]),
    attention_mask: t.int32(Int32Array.from([1, 1, 1, 1, 1, 0, 1, 1, 1, 1]), [2, 5]),
    position_ids: t.int32(Int32Array.from([4, 3]), [2, 1]),
  });
  const out: CaseOutputs = {
    'prompt.logits': await values(prompt['logits'], 'logits'),
    'next.logits': await values(next['logits'], 'logits'),
    'next.present.1.value': await values(next[presentValueName(1)], presentValueName(1)),
  };
  await decode.dispose();
  await step.dispose();
  return out;
}

/** One LoRA train step on 2 rows of 6 tokens (row 1 right-padded by 2): loss and every adapter gradient. */
async function loraStepCase(
  runtime: Runtime,
  config: ModelConfig,
  session: SessionConfig,
): Promise<CaseOutputs> {
  const t = runtime.tensors;
  const weights = randomWeights(config);
  const lora: LoraConfig = {
    rank: 2,
    alpha: 4,
    targets: config.arch === 'gpt2' ? ['c_attn', 'c_proj'] : ['q', 'v', 'down'],
  };
  const train = buildLmTrainGraph(config, {
    kind: 'lora',
    lora,
    weights: { kind: 'initializers', data: weights },
  });
  const step = await runtime.createSession(exportOnnx(train.graph), { ...session, label: 'LoRA train step' });
  const specs = loraTable(config, lora);
  // B nonzero, unlike a fresh PEFT adapter, so that every gradient is informative.
  const adapters = initLora(specs, 3);
  const normal = seededNormal(4);
  for (const spec of specs)
    adapters.set(
      spec.bName,
      Float32Array.from(adapters.get(spec.bName) as Float32Array, () => 0.2 * normal()),
    );
  const feeds: Record<string, OrtTensor> = {
    input_ids: t.int32(Int32Array.from([5, 9, 13, 2, 20, 7, 1, 18, 33, 4, 0, 0]), [2, 6]),
    labels: t.int32(Int32Array.from([9, 13, 2, 20, 7, 0, 18, 33, 4, 0, 0, 0]), [2, 6]),
    loss_mask: t.float32(Float32Array.from([1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0]), [2, 6]),
  };
  for (const spec of specs) {
    feeds[spec.aName] = t.float32(adapters.get(spec.aName) as Float32Array, spec.aShape);
    feeds[spec.bName] = t.float32(adapters.get(spec.bName) as Float32Array, spec.bShape);
  }
  const result = await step.run(feeds);
  const out: CaseOutputs = { loss: await values(result['loss'], 'loss') };
  for (const name of train.trainable)
    out[gradName(name)] = await values(result[gradName(name)], gradName(name));
  await step.dispose();
  return out;
}

export interface EngineCaseResults {
  /** "llama.decode.next.logits", "gpt2.lora.grad.<name>", ... */
  outputs: CaseOutputs;
  /** The execution provider each session actually ran on. */
  providers: string[];
}

/** Every case for every model. */
export async function runEngineCases(runtime: Runtime, session: SessionConfig): Promise<EngineCaseResults> {
  const providers: string[] = [];
  const recording: Runtime = {
    ...runtime,
    async createSession(model, config) {
      const created = await runtime.createSession(model, config);
      providers.push(created.executionProvider);
      return created;
    },
  };
  const outputs: CaseOutputs = {};
  for (const [model, config] of Object.entries(ENGINE_CASE_MODELS)) {
    const decode = await decodeCase(recording, config, session);
    for (const [name, v] of Object.entries(decode)) outputs[`${model}.decode.${name}`] = v;
    const lora = await loraStepCase(recording, config, session);
    for (const [name, v] of Object.entries(lora)) outputs[`${model}.lora.${name}`] = v;
  }
  return { outputs, providers };
}

/**
 * The control for disable_cpu_ep_fallback: LogSoftmax has no kernel in the WebGPU EP (DESIGN.md), so with
 * fallback disabled creating this session must fail. The builder has no LogSoftmax (on purpose), so a Softmax
 * graph is exported and its node renamed. Returns the error message, or null if the session was created.
 */
export async function cpuOnlyGraphError(runtime: Runtime, session: SessionConfig): Promise<string | null> {
  const g = new Graph();
  g.output('y', g.softmax(g.input('x', 'float32', [2, 3]), -1));
  const model = ModelProto.decode(exportOnnx(g));
  const nodes = (model as unknown as { graph: { node: { opType: string }[] } }).graph.node;
  for (const node of nodes) if (node.opType === 'Softmax') node.opType = 'LogSoftmax';
  try {
    const bytes = ModelProto.encode(model).finish();
    const created = await runtime.createSession(bytes, { ...session, label: 'LogSoftmax' });
    await created.dispose();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
