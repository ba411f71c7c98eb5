/**
 * The engine benchmark cases, on any Runtime: bench/engine.ts runs them on onnxruntime-node and, through
 * bench/engine-page.ts, on onnxruntime-web (wasm, webgpu). Weights are random and bound as graph inputs,
 * as the app binds them (src/runtime/weights.ts).
 */
import { parseModelConfig, type ModelConfig } from '../src/engine/arch/config.ts';
import { initLora, initParameters } from '../src/engine/arch/init.ts';
import { loraTable } from '../src/engine/arch/lora.ts';
import { parameterTable } from '../src/engine/arch/params.ts';
import { buildDecodeGraph } from '../src/engine/graphs/decode.ts';
import { buildLmTrainGraph } from '../src/engine/graphs/train-lm.ts';
import { exportOnnx } from '../src/engine/onnx/serialize.ts';
import { decodeSpecFromSession } from '../src/runtime/decode-io.ts';
import { generate } from '../src/runtime/generate.ts';
import type { OrtTensor, Runtime, SessionConfig, WeightPlacement } from '../src/runtime/types.ts';
import { bindWeights, releaseWeights } from '../src/runtime/weights.ts';

export const BENCH_MODELS: Record<string, Record<string, unknown>> = {
  // ~9.5M parameters with the punchline tokenizer's vocabulary.
  tiny10m: {
    model_type: 'llama',
    vocab_size: 12341,
    hidden_size: 256,
    intermediate_size: 768,
    num_hidden_layers: 8,
    num_attention_heads: 8,
    num_key_value_heads: 4,
    max_position_embeddings: 512,
    tie_word_embeddings: true,
  },
  // The shape of HuggingFaceTB/SmolLM2-135M.
  smollm2: {
    model_type: 'llama',
    vocab_size: 49152,
    hidden_size: 576,
    intermediate_size: 1536,
    num_hidden_layers: 30,
    num_attention_heads: 9,
    num_key_value_heads: 3,
    max_position_embeddings: 8192,
    rms_norm_eps: 1e-5,
    rope_theta: 100000,
    tie_word_embeddings: true,
  },
};

export type BenchCase = 'decode1' | 'decode4' | 'lora' | 'full';
export const BENCH_CASES: BenchCase[] = ['decode1', 'decode4', 'lora', 'full'];
export const BENCH_CASE_LABELS: Record<BenchCase, string> = {
  decode1: 'decode, batch 1',
  decode4: 'decode, batch 4',
  lora: 'LoRA step r=8 qkvo, 4x64',
  full: 'full step, 4x64',
};

export interface BenchTiming {
  tokensPerSecond: number;
  msPerCall: number;
}

export interface BenchOptions {
  session: SessionConfig;
  placement: WeightPlacement;
  /** Tokens generated per candidate in the timed decode run. */
  decodeTokens: number;
  /** Timed train steps (after one untimed warm-up step). */
  trainSteps: number;
}

async function bindRandomWeights(runtime: Runtime, config: ModelConfig, placement: WeightPlacement) {
  const weights = initParameters(config, 1);
  const specs = parameterTable(config).map((s) => [
    s.name,
    { data: weights.get(s.name) as Float32Array, dims: s.shape },
  ]);
  return bindWeights(runtime, Object.fromEntries(specs), placement);
}

async function decodeCase(
  runtime: Runtime,
  config: ModelConfig,
  batch: number,
  options: BenchOptions,
): Promise<BenchTiming> {
  const graph = buildDecodeGraph(config, { weights: { kind: 'inputs' }, logits: 'last' });
  const session = await runtime.createSession(exportOnnx(graph), { ...options.session, label: 'decode' });
  const spec = decodeSpecFromSession(session, config.maxPositions);
  const bound = await bindRandomWeights(runtime, config, options.placement);
  const prompt = Array.from({ length: 16 }, (_, i) => (i * 37) % config.vocabSize);
  const run = (maxNewTokens: number) =>
    generate(session, runtime.tensors, spec, {
      prompts: Array.from({ length: batch }, () => prompt),
      maxNewTokens,
      eosTokenIds: [],
      sampling: { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 },
      seed: 0,
      boundInputs: bound,
    });
  await run(2);
  const result = await run(options.decodeTokens);
  await session.dispose();
  releaseWeights(bound);
  const rate = result.decodeTokensPerSecond ?? 0;
  return { tokensPerSecond: rate, msPerCall: (1000 * batch) / rate };
}

async function trainCase(
  runtime: Runtime,
  config: ModelConfig,
  kind: 'lora' | 'full',
  options: BenchOptions,
): Promise<BenchTiming> {
  const B = 4;
  const T = 64;
  const lora = { rank: 8, alpha: 16, targets: ['q', 'k', 'v', 'o'] };
  const train = buildLmTrainGraph(
    config,
    kind === 'lora' ? { kind: 'lora', lora, weights: { kind: 'inputs' } } : { kind: 'all' },
  );
  const session = await runtime.createSession(exportOnnx(train.graph), { ...options.session, label: kind });
  const t = runtime.tensors;
  const ids = Int32Array.from({ length: B * T }, (_, i) => (i * 7919) % config.vocabSize);
  const bound = await bindRandomWeights(runtime, config, options.placement);
  const feeds: Record<string, OrtTensor> = {
    ...bound,
    input_ids: t.int32(ids, [B, T]),
    labels: t.int32(ids, [B, T]),
    loss_mask: t.float32(new Float32Array(B * T).fill(1), [B, T]),
  };
  if (kind === 'lora') {
    const specs = loraTable(config, lora);
    const adapters = initLora(specs, 2);
    for (const s of specs) {
      feeds[s.aName] = t.float32(adapters.get(s.aName) as Float32Array, s.aShape);
      feeds[s.bName] = t.float32(adapters.get(s.bName) as Float32Array, s.bShape);
    }
  }
  // Reading the loss back waits for the device, so each step is timed to completion.
  const step = async () => {
    const out = await session.run(feeds);
    await (out['loss'] as OrtTensor).getData();
  };
  await step();
  const start = performance.now();
  for (let i = 0; i < options.trainSteps; i++) await step();
  const ms = (performance.now() - start) / options.trainSteps;
  await session.dispose();
  releaseWeights(bound);
  return { tokensPerSecond: (B * T * 1000) / ms, msPerCall: ms };
}

export async function runBenchCase(
  runtime: Runtime,
  model: string,
  kind: BenchCase,
  options: BenchOptions,
): Promise<BenchTiming> {
  const json = BENCH_MODELS[model];
  if (!json)
    throw new Error(`unknown benchmark model "${model}"; known: ${Object.keys(BENCH_MODELS).join(', ')}`);
  const config = parseModelConfig(json);
  if (kind === 'decode1' || kind === 'decode4')
    return decodeCase(runtime, config, kind === 'decode1' ? 1 : 4, options);
  return trainCase(runtime, config, kind, options);
}
