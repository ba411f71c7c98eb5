/**
 * Engine benchmark on onnxruntime-node: decode tokens/s (KV cache, greedy, batch 1 and 4), LoRA
 * train-step tokens/s and full-parameter train-step tokens/s, for a ~10M-parameter Llama and a
 * SmolLM2-135M-shaped Llama, all with random weights; peak RSS per case. Each case runs in its own
 * process so that its peak memory is its own. Weights are graph inputs bound once (src/runtime/weights.ts).
 *
 *   npx tsx bench/engine.ts [--models tiny10m,smollm2] [--threads 2]
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseModelConfig, type ModelConfig } from '../src/engine/arch/config.ts';
import { initLora, initParameters } from '../src/engine/arch/init.ts';
import { loraTable } from '../src/engine/arch/lora.ts';
import { parameterCount, parameterTable } from '../src/engine/arch/params.ts';
import { buildDecodeGraph } from '../src/engine/graphs/decode.ts';
import { buildLmTrainGraph } from '../src/engine/graphs/train-lm.ts';
import { exportOnnx } from '../src/engine/onnx/serialize.ts';
import { decodeSpecFromSession } from '../src/runtime/decode-io.ts';
import { generate } from '../src/runtime/generate.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import type { OrtTensor } from '../src/runtime/types.ts';
import { bindWeights } from '../src/runtime/weights.ts';

const MODELS: Record<string, Record<string, unknown>> = {
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
    rope_theta: 100000,
    tie_word_embeddings: true,
  },
};

type CaseKind = 'decode1' | 'decode4' | 'lora' | 'full';
const CASES: CaseKind[] = ['decode1', 'decode4', 'lora', 'full'];
const CASE_LABEL: Record<CaseKind, string> = {
  decode1: 'decode, batch 1',
  decode4: 'decode, batch 4',
  lora: 'LoRA step r=8 qkvo, 4x64',
  full: 'full step, 4x64',
};

interface CaseResult {
  tokensPerSecond: number;
  msPerCall: number;
  peakRssMb: number;
}

async function weightFeeds(config: ModelConfig): Promise<Record<string, OrtTensor>> {
  const weights = initParameters(config, 1);
  const specs = parameterTable(config).map((s) => [
    s.name,
    { data: weights.get(s.name) as Float32Array, dims: s.shape },
  ]);
  return bindWeights(nodeRuntime, Object.fromEntries(specs), 'cpu');
}

async function decodeCase(
  config: ModelConfig,
  batch: number,
  threads: number,
): Promise<Omit<CaseResult, 'peakRssMb'>> {
  const graph = buildDecodeGraph(config, { weights: { kind: 'inputs' } });
  const session = await nodeRuntime.createSession(exportOnnx(graph), {
    label: 'decode',
    intraOpNumThreads: threads,
  });
  const spec = decodeSpecFromSession(session, config.maxPositions);
  const prompt = Array.from({ length: 16 }, (_, i) => (i * 37) % config.vocabSize);
  const run = (maxNewTokens: number) =>
    generate(session, nodeRuntime.tensors, spec, {
      prompts: Array.from({ length: batch }, () => prompt),
      maxNewTokens,
      eosTokenIds: [],
      sampling: { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 },
      seed: 0,
      boundInputs: bound,
    });
  const bound = await weightFeeds(config);
  await run(4);
  const result = await run(64);
  await session.dispose();
  const rate = result.decodeTokensPerSecond ?? 0;
  return { tokensPerSecond: rate, msPerCall: (1000 * batch) / rate };
}

async function trainCase(
  config: ModelConfig,
  kind: 'lora' | 'full',
  threads: number,
): Promise<Omit<CaseResult, 'peakRssMb'>> {
  const B = 4;
  const T = 64;
  const lora = { rank: 8, alpha: 16, targets: ['q', 'k', 'v', 'o'] };
  const train = buildLmTrainGraph(
    config,
    kind === 'lora' ? { kind: 'lora', lora, weights: { kind: 'inputs' } } : { kind: 'all' },
  );
  const session = await nodeRuntime.createSession(exportOnnx(train.graph), {
    label: kind,
    intraOpNumThreads: threads,
  });
  const t = nodeRuntime.tensors;
  const ids = Int32Array.from({ length: B * T }, (_, i) => (i * 7919) % config.vocabSize);
  const feeds: Record<string, OrtTensor> = {
    ...(await weightFeeds(config)),
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
  await session.run(feeds);
  const repeats = 3;
  const start = performance.now();
  for (let i = 0; i < repeats; i++) await session.run(feeds);
  const ms = (performance.now() - start) / repeats;
  await session.dispose();
  return { tokensPerSecond: (B * T * 1000) / ms, msPerCall: ms };
}

async function runCase(model: string, kind: CaseKind, threads: number): Promise<void> {
  const config = parseModelConfig(MODELS[model]);
  const result =
    kind === 'decode1' || kind === 'decode4'
      ? await decodeCase(config, kind === 'decode1' ? 1 : 4, threads)
      : await trainCase(config, kind, threads);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ...result, peakRssMb }));
}

function main(): void {
  const args = process.argv.slice(2);
  const value = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const threads = Number(value('threads') ?? 2);
  const single = value('case');
  if (single) {
    void runCase(value('model') as string, single as CaseKind, threads);
    return;
  }
  const models = (value('models') ?? 'tiny10m,smollm2').split(',');
  const self = fileURLToPath(import.meta.url);
  console.log(
    `onnxruntime-node 1.30.0, ${threads} intra-op threads, ${os.cpus().length} vCPU, fp32, random weights`,
  );
  console.log('| model | params | case | tokens/s | ms per call | peak RSS MB |');
  console.log('|---|---|---|---|---|---|');
  for (const model of models) {
    if (!MODELS[model])
      throw new Error(`unknown --models entry "${model}"; known: ${Object.keys(MODELS).join(', ')}`);
    const params = (parameterCount(parseModelConfig(MODELS[model])) / 1e6).toFixed(1);
    for (const kind of CASES) {
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, self, '--case', kind, '--model', model, '--threads', String(threads)],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      const r = JSON.parse(out.trim().split('\n').pop() as string) as CaseResult;
      console.log(
        `| ${model} | ${params}M | ${CASE_LABEL[kind]} | ${r.tokensPerSecond.toFixed(1)} | ${r.msPerCall.toFixed(1)} | ${r.peakRssMb.toFixed(0)} |`,
      );
    }
  }
}

main();
