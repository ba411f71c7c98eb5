/**
 * A few LoRA train steps on an imported chat model, over jokes given as the assistant's answer to one request,
 * on any Runtime: the Node tool (tools/models-lora-steps.ts), the SmolLM2 browser page and bench/models.ts run
 * this same code, so their losses and step times can be compared directly.
 */
import type { ModelConfig } from '../engine/arch/config.ts';
import { initLora } from '../engine/arch/init.ts';
import { loraTable, type LoraConfig } from '../engine/arch/lora.ts';
import { buildLmTrainGraph, gradName } from '../engine/graphs/train-lm.ts';
import { exportOnnx } from '../engine/onnx/serialize.ts';
import { readFloat32, readScalar } from '../runtime/tensors.ts';
import type { ExecutionProvider, OrtTensor, Runtime, SessionConfig } from '../runtime/types.ts';
import { AdamW } from '../train/optimizer.ts';
import type { ImportedTokenizer } from './imported-tokenizer.ts';

export interface ChatJokeBatch {
  batch: number;
  seq: number;
  /** [batch, seq] row-major. */
  inputIds: Int32Array;
  labels: Int32Array;
  lossMask: Float32Array;
  /** Positions whose label counts in the loss (the answer's tokens and its EOS). */
  targets: number;
}

/**
 * One row per joke: the chat prompt for `request`, then the joke and one EOS as the assistant's answer, cut
 * to seq + 1 tokens and right-padded with EOS. Only the answer's tokens are targets.
 */
export function chatJokeBatch(
  tokenizer: ImportedTokenizer,
  request: string,
  jokes: readonly string[],
  seq: number,
): ChatJokeBatch {
  if (jokes.length === 0) throw new RangeError('chatJokeBatch: give at least one joke');
  const eos = tokenizer.eosTokenIds[0];
  if (eos === undefined)
    throw new Error('chatJokeBatch: the tokenizer has no EOS token to end the answer with');
  const prompt = tokenizer.encodeChat([{ role: 'user', content: request }]);
  if (prompt.length >= seq)
    throw new RangeError(
      `chatJokeBatch: the chat prompt alone is ${prompt.length} tokens, so seq ${seq} leaves no answer token; use seq > ${prompt.length}`,
    );
  const B = jokes.length;
  const out: ChatJokeBatch = {
    batch: B,
    seq,
    inputIds: new Int32Array(B * seq),
    labels: new Int32Array(B * seq),
    lossMask: new Float32Array(B * seq),
    targets: 0,
  };
  jokes.forEach((joke, b) => {
    const answer = [...tokenizer.encode(joke), eos];
    const ids = [...prompt, ...answer].slice(0, seq + 1);
    while (ids.length < seq + 1) ids.push(eos);
    const firstTarget = prompt.length - 1;
    const endTarget = Math.min(prompt.length + answer.length - 1, seq);
    for (let t = 0; t < seq; t++) {
      out.inputIds[b * seq + t] = ids[t] as number;
      out.labels[b * seq + t] = ids[t + 1] as number;
      const on = t >= firstTarget && t < endTarget ? 1 : 0;
      out.lossMask[b * seq + t] = on;
      out.targets += on;
    }
  });
  return out;
}

export interface LoraStepsOptions {
  lora: LoraConfig;
  steps: number;
  lr: number;
  /** Seed of the lora_A initialisation (lora_B starts at zero, as PEFT does). */
  seed: number;
  session?: SessionConfig;
  onStep?: (step: number, loss: number, milliseconds: number) => void;
}

export interface LoraStepsResult {
  /** The loss before each update. */
  losses: number[];
  /** Wall time of each step: run, gradient read-back and AdamW update. */
  stepMs: number[];
  /** Building, serialising and creating the train-step session. */
  sessionMs: number;
  executionProvider: ExecutionProvider;
}

/**
 * `steps` AdamW updates (no weight decay) of fresh adapters on one fixed batch. `weights` are the base
 * weights already bound as graph inputs (src/runtime/weights.ts), e.g. a decoder's, so they are shared.
 */
export async function runChatLoraSteps(
  runtime: Runtime,
  config: ModelConfig,
  weights: Readonly<Record<string, OrtTensor>>,
  batch: ChatJokeBatch,
  options: LoraStepsOptions,
): Promise<LoraStepsResult> {
  const started = performance.now();
  const train = buildLmTrainGraph(config, { kind: 'lora', lora: options.lora, weights: { kind: 'inputs' } });
  const session = await runtime.createSession(exportOnnx(train.graph), {
    label: 'LoRA train step',
    ...options.session,
  });
  const sessionMs = performance.now() - started;
  const t = runtime.tensors;
  const specs = loraTable(config, options.lora);
  const params = Object.fromEntries(initLora(specs, options.seed));
  const shapes = new Map(specs.flatMap((s) => [[s.aName, s.aShape] as const, [s.bName, s.bShape] as const]));
  const optimizer = new AdamW({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
  const dims = [batch.batch, batch.seq];
  const result: LoraStepsResult = {
    losses: [],
    stepMs: [],
    sessionMs,
    executionProvider: session.executionProvider,
  };
  try {
    for (let step = 1; step <= options.steps; step++) {
      const stepStarted = performance.now();
      const feeds: Record<string, OrtTensor> = {
        ...weights,
        input_ids: t.int32(batch.inputIds, dims),
        labels: t.int32(batch.labels, dims),
        loss_mask: t.float32(batch.lossMask, dims),
      };
      for (const [name, data] of Object.entries(params))
        feeds[name] = t.float32(data, shapes.get(name) as readonly number[]);
      const out = await session.run(feeds);
      const loss = await readScalar(out['loss'] as OrtTensor, 'loss');
      const grads: Record<string, Float32Array> = {};
      for (const name of train.trainable)
        grads[name] = await readFloat32(out[gradName(name)] as OrtTensor, gradName(name));
      optimizer.update(params, grads, options.lr);
      const milliseconds = performance.now() - stepStarted;
      result.losses.push(loss);
      result.stepMs.push(milliseconds);
      options.onStep?.(step, loss, milliseconds);
    }
  } finally {
    await session.dispose();
  }
  return result;
}

/** Median of the step times after the first (which pays one-off allocation), as tokens per second. */
export function trainTokensPerSecond(
  result: Pick<LoraStepsResult, 'stepMs'>,
  batch: Pick<ChatJokeBatch, 'batch' | 'seq'>,
): number {
  const timed = (result.stepMs.length > 1 ? result.stepMs.slice(1) : result.stepMs)
    .slice()
    .sort((a, b) => a - b);
  if (timed.length === 0) throw new RangeError('trainTokensPerSecond: no step was run');
  const mid = timed.length / 2;
  const median = Number.isInteger(mid)
    ? ((timed[mid - 1] as number) + (timed[mid] as number)) / 2
    : (timed[Math.floor(mid)] as number);
  return (batch.batch * batch.seq * 1000) / median;
}
