/**
 * Pretrains the embedded default model (punchline-tiny) with the engine's full-parameter train-step graph
 * on onnxruntime-node. Resumable: rerun the same command after an interruption and it continues from the
 * last checkpoint with the same data order and learning-rate schedule.
 *
 *   npm run pretrain                       (prepares nothing: run `npm run data:prepare` first)
 *   npm run pretrain -- --max-minutes 30   (stop cleanly after 30 minutes; rerun to continue)
 *   npm run pretrain -- --export           (write the current checkpoint into public/models/punchline-tiny)
 *   npm run pretrain -- --init-from public/models/punchline-tiny --steps 3000
 *                                          (a new stage: start from exported weights with a fresh AdamW and
 *                                           schedule; training.json keeps the earlier stages)
 *
 * Writes runs/pretrain/{checkpoint/, loss.csv, eval.csv, tokens/} and, when the last step is done,
 * public/models/punchline-tiny/{config.json, model.safetensors, training.json}.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelConfig, type ModelConfig } from '../src/engine/arch/config.ts';
import { initParameters } from '../src/engine/arch/init.ts';
import { parameterTable } from '../src/engine/arch/params.ts';
import { loadWeights } from '../src/engine/arch/weights.ts';
import { buildLmTrainGraph, gradName } from '../src/engine/graphs/train-lm.ts';
import { exportOnnx } from '../src/engine/onnx/serialize.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { readFloat32 } from '../src/runtime/tensors.ts';
import type { ModelSession, OrtTensor } from '../src/runtime/types.ts';
import { loadTokenizerFromDirectory } from '../src/tokenizer/load-node.ts';
import { AdamW, clipGradNorm } from '../src/train/optimizer.ts';
import { concatInOrder, evaluationWindows, PackedDataset, type Batch } from '../src/train/packing.ts';
import { learningRateAt, type LrSchedule } from '../src/train/schedule.ts';
import { parseArgs, readSafetensorsFile } from './engine-io.ts';
import {
  loadCheckpoint,
  readTrainingStages,
  saveCheckpoint,
  writeModelWeights,
  type LoopState,
  type TrainingStage,
} from './pretrain-checkpoint.ts';
import { tokenizeSplit, type TokenizedSplit } from './pretrain-data.ts';

const MODEL_DIR = 'public/models/punchline-tiny';

/** Llama-style: RMSNorm, RoPE, grouped-query attention, SwiGLU, tied head. 7.5M parameters at vocab 12.3k. */
function tinyConfigJson(vocabSize: number, eosId: number): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: vocabSize,
    hidden_size: 256,
    intermediate_size: 688,
    num_hidden_layers: 6,
    num_attention_heads: 8,
    num_key_value_heads: 4,
    max_position_embeddings: 256,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    tie_word_embeddings: true,
    bos_token_id: eosId,
    eos_token_id: eosId,
    torch_dtype: 'float32',
  };
}

/** Keeps a CSV log's header and the lines of steps up to `step`. */
function dropLinesAfter(path: string, step: number): void {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const kept = lines.filter((line) => Number(line.split(',')[0]) <= step);
  if (kept.length < lines.length) writeFileSync(path, [header, ...kept].join('\n') + '\n');
}

interface Options {
  dataDir: string;
  runDir: string;
  steps: number;
  batch: number;
  seq: number;
  peakLr: number;
  minLr: number;
  warmup: number;
  weightDecay: number;
  clip: number;
  evalEvery: number;
  evalWindows: number;
  checkpointEvery: number;
  maxMinutes: number;
  threads: number;
  seed: number;
  exportOnly: boolean;
  /** A model folder whose model.safetensors (and training.json, if any) this run continues from. */
  initFrom: string | null;
}

function options(argv: readonly string[]): Options {
  const args = parseArgs(argv);
  const num = (name: string, fallback: number): number => {
    const raw = args.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`--${name} must be a number >= 0, got "${raw}"`);
    return value;
  };
  return {
    dataDir: args.get('data') ?? 'runs/data',
    runDir: args.get('run') ?? 'runs/pretrain',
    steps: num('steps', 6000),
    batch: num('batch', 16),
    seq: num('seq', 128),
    peakLr: num('lr', 3e-3),
    minLr: num('min-lr', 3e-4),
    warmup: num('warmup', 200),
    weightDecay: num('weight-decay', 0.1),
    clip: num('clip', 1),
    evalEvery: num('eval-every', 500),
    evalWindows: num('eval-windows', 32),
    checkpointEvery: num('checkpoint-every', 100),
    maxMinutes: num('max-minutes', Infinity),
    threads: num('threads', 2),
    seed: num('seed', 1),
    exportOnly: args.has('export'),
    initFrom: args.get('init-from') ?? null,
  };
}

function feedsFor(
  params: Record<string, Float32Array>,
  config: ModelConfig,
  batch: Batch,
  B: number,
  T: number,
): Record<string, OrtTensor> {
  const t = nodeRuntime.tensors;
  const feeds: Record<string, OrtTensor> = {
    input_ids: t.int32(batch.inputIds, [B, T]),
    labels: t.int32(batch.labels, [B, T]),
    loss_mask: t.float32(new Float32Array(B * T).fill(1), [B, T]),
  };
  for (const spec of parameterTable(config))
    feeds[spec.name] = t.float32(params[spec.name] as Float32Array, spec.shape);
  return feeds;
}

/** Mean next-token loss over the first `limit` windows of each language's validation stream. */
async function evaluate(
  session: ModelSession,
  params: Record<string, Float32Array>,
  config: ModelConfig,
  validation: TokenizedSplit,
  opts: Options,
): Promise<Record<'en' | 'zh', number>> {
  const result = { en: NaN, zh: NaN };
  for (const language of ['en', 'zh'] as const) {
    const picked = validation.sequences.filter((_, i) => validation.languages[i] === language);
    const stream = concatInOrder(picked, Array.from(picked.keys()));
    const windows = evaluationWindows(stream, opts.seq, opts.evalWindows);
    let sum = 0;
    for (const w of windows) {
      const out = await session.run(feedsFor(params, config, w, 1, opts.seq), ['loss']);
      sum += (await readFloat32(out['loss'] as OrtTensor, 'loss'))[0] as number;
    }
    result[language] = sum / windows.length;
  }
  return result;
}

/**
 * Reads the weights a new stage starts from, checking every parameter's name and size against the
 * architecture, and the folder's training record (one stage, or an earlier `stages` list).
 */
function loadInitialStage(
  dir: string,
  config: ModelConfig,
): { weights: Map<string, Float32Array>; stages: TrainingStage[] } {
  const path = join(dir, 'model.safetensors');
  if (!existsSync(path)) throw new Error(`--init-from ${dir}: no model.safetensors there`);
  // loadWeights checks every tensor's name, shape and dtype against the architecture.
  return { weights: loadWeights(config, readSafetensorsFile(path)), stages: readTrainingStages(dir) };
}

function exportModel(
  configJson: Record<string, unknown>,
  config: ModelConfig,
  weights: Map<string, Float32Array>,
  loop: LoopState,
  opts: Options,
): void {
  writeFileSync(join(MODEL_DIR, 'config.json'), `${JSON.stringify(configJson, null, 2)}\n`);
  writeModelWeights(join(MODEL_DIR, 'model.safetensors'), config, weights, 'F16');
  const stage = {
    initializedFrom: opts.initFrom ?? 'random weights',
    steps: loop.step,
    plannedSteps: opts.steps,
    tokensSeen: loop.tokensSeen,
    trainHours: +(loop.trainSeconds / 3600).toFixed(3),
    batch: opts.batch,
    seq: opts.seq,
    optimizer: { name: 'AdamW', beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: opts.weightDecay },
    schedule: { kind: 'cosine', peakLr: opts.peakLr, minLr: opts.minLr, warmupSteps: opts.warmup },
    gradientClip: opts.clip,
    seed: opts.seed,
    command: ['npm run pretrain', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    // Free-text record of anything that changed mid-run (e.g. a shortened schedule), kept beside the checkpoint.
    notes: existsSync(join(opts.runDir, 'NOTES.txt'))
      ? readFileSync(join(opts.runDir, 'NOTES.txt'), 'utf8').trim().split('\n')
      : [],
  };
  const stages: TrainingStage[] = [...earlierStages(opts.runDir), stage];
  const training = {
    total: {
      steps: stages.reduce((n, s) => n + s.steps, 0),
      tokensSeen: stages.reduce((n, s) => n + s.tokensSeen, 0),
      trainHours: +stages.reduce((n, s) => n + s.trainHours, 0).toFixed(3),
    },
    stages,
  };
  writeFileSync(join(MODEL_DIR, 'training.json'), `${JSON.stringify(training, null, 2)}\n`);
  console.log(`exported step ${loop.step} to ${MODEL_DIR}`);
}

/** The stages before this run, recorded when it started from --init-from (the folder may be overwritten since). */
function earlierStages(runDir: string): TrainingStage[] {
  const path = join(runDir, 'earlier-stages.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as TrainingStage[]) : [];
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const tokenizer = loadTokenizerFromDirectory(MODEL_DIR);
  const eos = tokenizer.specialIds.get('<|endofjoke|>');
  if (eos === undefined) throw new Error(`${MODEL_DIR}/tokenizer.json has no <|endofjoke|> token`);
  const configJson = tinyConfigJson(tokenizer.vocabSize, eos);
  const config = parseModelConfig(configJson);
  const checkpointDir = join(opts.runDir, 'checkpoint');
  mkdirSync(opts.runDir, { recursive: true });

  const resumed = loadCheckpoint(checkpointDir);
  if (opts.exportOnly) {
    if (!resumed) throw new Error(`no checkpoint in ${checkpointDir}: nothing to export`);
    exportModel(configJson, config, resumed.weights, resumed.loop, opts);
    return;
  }
  let weights: Map<string, Float32Array>;
  if (resumed) weights = resumed.weights;
  else if (opts.initFrom) {
    const initial = loadInitialStage(opts.initFrom, config);
    weights = initial.weights;
    writeFileSync(join(opts.runDir, 'earlier-stages.json'), `${JSON.stringify(initial.stages, null, 2)}\n`);
  } else weights = initParameters(config, opts.seed);
  const noDecay = parameterTable(config)
    .filter((s) => s.shape.length === 1)
    .map((s) => s.name);
  const adamw = resumed?.optimizers['adamw']
    ? AdamW.fromState(resumed.optimizers['adamw'])
    : new AdamW({
        beta1: 0.9,
        beta2: 0.95,
        eps: 1e-8,
        weightDecay: opts.weightDecay,
        noWeightDecay: noDecay,
      });
  const loop: LoopState = resumed?.loop ?? {
    step: 0,
    position: { epoch: 0, window: 0 },
    tokensSeen: 0,
    trainSeconds: 0,
  };
  console.log(
    resumed
      ? `resuming at step ${loop.step}`
      : opts.initFrom
        ? `starting a new stage from ${opts.initFrom}`
        : 'starting from random weights',
  );

  const cacheDir = join(opts.runDir, 'tokens');
  const train = tokenizeSplit(opts.dataDir, cacheDir, 'train', tokenizer);
  const validation = tokenizeSplit(opts.dataDir, cacheDir, 'validation', tokenizer);
  const data = new PackedDataset(train.sequences, opts.seq, opts.seed);
  console.log(`${train.sequences.length} jokes, ${data.windowsPerEpoch} windows of ${opts.seq} per epoch`);

  const graph = buildLmTrainGraph(config, { kind: 'all' });
  const session = await nodeRuntime.createSession(exportOnnx(graph.graph), {
    label: 'pretraining step',
    intraOpNumThreads: opts.threads,
    allowSpinning: false,
  });
  const schedule: LrSchedule = {
    kind: 'cosine',
    peakLr: opts.peakLr,
    minLr: opts.minLr,
    warmupSteps: opts.warmup,
    totalSteps: opts.steps,
  };
  const params = Object.fromEntries(weights);
  const lossLog = join(opts.runDir, 'loss.csv');
  const evalLog = join(opts.runDir, 'eval.csv');
  if (!existsSync(lossLog)) writeFileSync(lossLog, 'step,lr,loss,grad_norm,tokens_per_s,train_seconds\n');
  if (!existsSync(evalLog)) writeFileSync(evalLog, 'step,val_loss_en,val_loss_zh,ppl_en,ppl_zh\n');
  // Steps logged after the checkpoint we resume from are run again: drop their old lines.
  for (const log of [lossLog, evalLog]) dropLinesAfter(log, loop.step);
  const checkpoint = () =>
    saveCheckpoint(checkpointDir, config, { weights, optimizers: { adamw: adamw.exportState() }, loop });

  const started = Date.now();
  const B = opts.batch;
  const T = opts.seq;
  while (loop.step < opts.steps) {
    if ((Date.now() - started) / 60000 >= opts.maxMinutes) {
      console.log(`--max-minutes ${opts.maxMinutes} reached at step ${loop.step}; rerun to continue`);
      break;
    }
    const stepStart = performance.now();
    const batch = data.batch(loop.position, B);
    const out = await session.run(feedsFor(params, config, batch, B, T));
    const loss = (await readFloat32(out['loss'] as OrtTensor, 'loss'))[0] as number;
    const grads: Record<string, Float32Array> = {};
    for (const name of graph.trainable)
      grads[name] = await readFloat32(out[gradName(name)] as OrtTensor, name);
    const norm = clipGradNorm(grads, opts.clip);
    const lr = learningRateAt(schedule, loop.step);
    adamw.update(params, grads, lr);
    const seconds = (performance.now() - stepStart) / 1000;
    loop.step += 1;
    loop.position = batch.next;
    loop.tokensSeen += B * T;
    loop.trainSeconds += seconds;
    appendFileSync(
      lossLog,
      `${loop.step},${lr.toExponential(4)},${loss.toFixed(5)},${norm.toFixed(4)},${((B * T) / seconds).toFixed(0)},${loop.trainSeconds.toFixed(1)}\n`,
    );
    if (loop.step % 10 === 0 || loop.step === 1)
      console.log(
        `step ${loop.step}/${opts.steps}  loss ${loss.toFixed(4)}  lr ${lr.toExponential(2)}  |g| ${norm.toFixed(3)}  ${((B * T) / seconds).toFixed(0)} tok/s`,
      );
    if (loop.step % opts.evalEvery === 0 || loop.step === opts.steps) {
      const v = await evaluate(session, params, config, validation, opts);
      appendFileSync(
        evalLog,
        `${loop.step},${v.en.toFixed(5)},${v.zh.toFixed(5)},${Math.exp(v.en).toFixed(3)},${Math.exp(v.zh).toFixed(3)}\n`,
      );
      console.log(
        `eval step ${loop.step}: ppl en ${Math.exp(v.en).toFixed(2)}, zh ${Math.exp(v.zh).toFixed(2)}`,
      );
    }
    if (loop.step % opts.checkpointEvery === 0 || loop.step === opts.steps) checkpoint();
  }
  checkpoint();
  await session.dispose();
  if (loop.step >= opts.steps) exportModel(configJson, config, weights, loop, opts);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
