/**
 * Runs N LoRA train steps on a text file and prints the loss of each step.
 *
 *   npx tsx tools/lora-steps.ts --model public/models/punchline-tiny --text jokes.txt --steps 50
 *   npx tsx tools/lora-steps.ts --tiny-random --text jokes.txt --steps 50     (random tiny Llama, byte tokens)
 *
 * Options: --steps 50 --batch 4 --seq 32 --rank 8 --alpha 16 --targets q,k,v,o --lr 0.01 --seed 0
 * Windows of seq + 1 tokens are read round-robin from the tokenized text; every token is a target.
 */
import { bindModelWeights } from '../src/models/bind-weights.ts';
import { readFileSync } from 'node:fs';
import { parseModelConfig, type ModelConfig } from '../src/engine/arch/config.ts';
import { initLora, initParameters } from '../src/engine/arch/init.ts';
import { loraTable, type LoraConfig } from '../src/engine/arch/lora.ts';
import { buildLmTrainGraph, gradName } from '../src/engine/graphs/train-lm.ts';
import { exportOnnx } from '../src/engine/onnx/serialize.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { readFloat32 } from '../src/runtime/tensors.ts';
import type { OrtTensor } from '../src/runtime/types.ts';
import { loadTokenizerFromDirectory } from '../src/tokenizer/load-node.ts';
import { AdamW } from '../src/train/optimizer.ts';
import { loadModelFolder, parseArgs, requireArg } from './engine-io.ts';

const USAGE =
  'usage: npx tsx tools/lora-steps.ts (--model DIR | --tiny-random) --text FILE [--steps 50] [--batch 4] [--seq 32]\n' +
  '       [--rank 8] [--alpha 16] [--targets q,k,v,o] [--lr 0.01] [--seed 0]';

/** A 0.2M-parameter Llama over UTF-8 bytes: enough to show that LoRA learns, fast on any CPU. */
const TINY_RANDOM = parseModelConfig({
  model_type: 'llama',
  vocab_size: 256,
  hidden_size: 64,
  intermediate_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 256,
  tie_word_embeddings: true,
});

function numberArg(args: Map<string, string>, name: string, fallback: number): number {
  const raw = args.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, got "${raw}"`);
  return value;
}

function loadModel(
  args: Map<string, string>,
  seed: number,
): { config: ModelConfig; weights: Map<string, Float32Array>; encode: (text: string) => number[] } {
  if (args.has('tiny-random')) {
    return {
      config: TINY_RANDOM,
      weights: initParameters(TINY_RANDOM, seed, 0.3),
      encode: (text) => Array.from(new TextEncoder().encode(text)),
    };
  }
  const dir = requireArg(args, 'model', USAGE);
  const folder = loadModelFolder(dir);
  const tokenizer = loadTokenizerFromDirectory(dir);
  return { ...folder, encode: (text) => tokenizer.encode(text) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const seed = numberArg(args, 'seed', 1);
  const steps = numberArg(args, 'steps', 50);
  const B = numberArg(args, 'batch', 4);
  const T = numberArg(args, 'seq', 32);
  const { config, weights, encode } = loadModel(args, seed);
  const tokens = encode(readFileSync(requireArg(args, 'text', USAGE), 'utf8'));
  if (tokens.length < T + 1)
    throw new Error(`--text holds ${tokens.length} tokens; --seq ${T} needs at least ${T + 1}`);
  const defaultTargets = config.arch === 'gpt2' ? 'c_attn,c_proj' : 'q,k,v,o';
  const lora: LoraConfig = {
    rank: numberArg(args, 'rank', 8),
    alpha: numberArg(args, 'alpha', 16),
    targets: (args.get('targets') ?? defaultTargets).split(','),
  };
  const specs = loraTable(config, lora);
  const adapters = initLora(specs, seed + 1);
  const shapes = new Map(specs.flatMap((s) => [[s.aName, s.aShape] as const, [s.bName, s.bShape] as const]));

  const train = buildLmTrainGraph(config, { kind: 'lora', lora, weights: { kind: 'inputs' } });
  const session = await nodeRuntime.createSession(exportOnnx(train.graph), { label: 'LoRA train step' });
  const t = nodeRuntime.tensors;
  const base = await bindModelWeights(nodeRuntime, { config, weights }, 'cpu');
  const optimizer = new AdamW({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
  const lr = numberArg(args, 'lr', 0.01);
  const params = Object.fromEntries(adapters);
  const windows = Math.max(1, tokens.length - T);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const ids = new Int32Array(B * T);
    const labels = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      const start = ((step * B + b) * 7) % windows;
      for (let i = 0; i < T; i++) {
        ids[b * T + i] = tokens[start + i] as number;
        labels[b * T + i] = tokens[start + i + 1] as number;
      }
    }
    const feeds: Record<string, OrtTensor> = {
      ...base,
      input_ids: t.int32(ids, [B, T]),
      labels: t.int32(labels, [B, T]),
      loss_mask: t.float32(new Float32Array(B * T).fill(1), [B, T]),
    };
    for (const [name, data] of adapters) feeds[name] = t.float32(data, shapes.get(name) as number[]);
    const out = await session.run(feeds);
    const loss = (await readFloat32(out['loss'] as OrtTensor, 'loss'))[0] as number;
    const grads: Record<string, Float32Array> = {};
    for (const name of train.trainable)
      grads[name] = await readFloat32(out[gradName(name)] as OrtTensor, name);
    optimizer.update(params, grads, lr);
    losses.push(loss);
    console.log(`step ${String(step + 1).padStart(3)}  loss ${loss.toFixed(4)}`);
  }
  await session.dispose();
  const first = losses[0] as number;
  const last = losses[losses.length - 1] as number;
  console.log(
    `loss ${first.toFixed(4)} -> ${last.toFixed(4)} (${((last / first) * 100).toFixed(1)}% of the first step)`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
