/**
 * Fine-tunes a LoRA adapter (generator or classifier) with the same trainer the browser uses, on a CSV
 * or on files of the shared corpora, and prints validation figures before/after.
 *
 *   npx tsx tools/finetune.ts --model public/models/punchline-tiny --csv jokes.csv --task generator --steps 100
 *   npx tsx tools/finetune.ts --data ../shared/data --source en-hahackathon --file train.csv,dev.csv \
 *     --task classifier --holdout pretraining --rows 2000 --baseline --json runs/ft-en-cls.json
 *
 * Options: every TrainConfig field as --name value (--rank 8 --alpha 16 --learningRate 2e-3 --batchSize 8
 * --maxSeqLength 64 --steps 100 --targets q,k,v,o ...), --file A,B (text files of --source; all when
 * absent), --positive VALUE (label VALUE = funny, others not), --holdout pretraining (validate on exactly
 * the rows pretraining held out, train on the others; validation is then not capped unless
 * --maxValidationItems is given), --rows N (seeded sample of the training rows), --out DIR (adapter zip
 * and checkpoints), --resume (from --out's checkpoint), --threads 1, --baseline (classifier: the audit's
 * char-n-gram logistic regression on the same split), --json OUT (final figures as JSON).
 */
import { bindModelWeights } from '../src/models/bind-weights.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exportPeftZip } from '../src/formats/peft/index.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { loadTokenizerFromDirectory } from '../src/tokenizer/load-node.ts';
import { resultMetrics, toPeftAdapter } from '../src/train/adapter-export.ts';
import { DEFAULT_TRAIN_CONFIG, resolveTrainConfig, type TrainConfig } from '../src/train/config.ts';
import { train, type TrainProgress } from '../src/train/trainer.ts';
import { classifierBaseline } from './finetune-baseline.ts';
import { describeLabels, readFinetuneRows, type Holdout } from './finetune-data.ts';
import { loadModelFolder, parseArgs } from './engine-io.ts';

function configFromArgs(args: Map<string, string>): TrainConfig {
  const config: Record<string, unknown> = {};
  for (const [key, fallback] of Object.entries(DEFAULT_TRAIN_CONFIG)) {
    const raw = args.get(key);
    if (raw === undefined) continue;
    if (Array.isArray(fallback)) config[key] = raw.split(',');
    else if (typeof fallback === 'number') config[key] = Number(raw);
    else if (typeof fallback === 'boolean') config[key] = raw !== 'false';
    else config[key] = raw;
  }
  return resolveTrainConfig(config as Partial<TrainConfig>);
}

function holdoutOf(args: Map<string, string>): Holdout {
  const value = args.get('holdout') ?? 'none';
  if (value !== 'none' && value !== 'pretraining')
    throw new Error(`--holdout must be "pretraining" or "none", got "${value}"`);
  return value;
}

interface TimingSummary {
  totalSeconds: number;
  /** Until the first update is done: sessions, the step-0 validation pass, the first update. */
  setupSeconds: number;
  /** Updates after the first. */
  secondsPerUpdate: number;
  secondsPerValidation: number;
  updates: number;
  validations: number;
}

/** Wall time spent in updates and in validation passes, from the arrival times of the progress events. */
class Timing {
  private readonly started = performance.now();
  private last = this.started;
  private setupSeconds = 0;
  private updateSeconds = 0;
  private validationSeconds = 0;
  private updates = 0;
  private validations = 0;

  on(p: TrainProgress): void {
    const now = performance.now();
    const seconds = (now - this.last) / 1000;
    if (p.kind === 'step' && this.setupSeconds === 0) this.setupSeconds = (now - this.started) / 1000;
    else if (p.kind === 'step') {
      this.updateSeconds += seconds;
      this.updates += 1;
    } else if (p.kind === 'validation') {
      this.validationSeconds += seconds;
      this.validations += 1;
    }
    this.last = now;
  }

  summary(): TimingSummary {
    return {
      totalSeconds: (performance.now() - this.started) / 1000,
      setupSeconds: this.setupSeconds,
      secondsPerUpdate: this.updates > 0 ? this.updateSeconds / this.updates : 0,
      secondsPerValidation: this.validations > 0 ? this.validationSeconds / this.validations : 0,
      updates: this.updates,
      validations: this.validations,
    };
  }
}

function printProgress(p: TrainProgress): void {
  if (p.kind === 'validation')
    console.log(`  step ${p.step}/${p.totalSteps}  validation loss ${p.validationLoss?.toFixed(4)}`);
  else if (p.kind === 'step' && (p.step % 10 === 0 || p.step === 1))
    console.log(
      `  step ${p.step}/${p.totalSteps}  loss ${p.loss?.toFixed(4)}  lr ${p.learningRate.toExponential(2)}  ` +
        `${p.tokensPerSecond.toFixed(0)} tok/s  ETA ${p.etaSeconds.toFixed(0)} s`,
    );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const modelDir = args.get('model') ?? 'public/models/punchline-tiny';
  const holdout = holdoutOf(args);
  let config = configFromArgs(args);
  const data = readFinetuneRows({
    csv: args.get('csv'),
    textColumn: args.get('text-column'),
    labelColumn: args.get('label-column'),
    data: args.get('data') ?? '../shared/data',
    source: args.get('source'),
    file: args.get('file'),
    positive: args.get('positive'),
    holdout,
    rows: args.has('rows') ? Number(args.get('rows')) : undefined,
    seed: config.seed,
  });
  const { rows, validationRows } = data;
  const allRows = [...rows, ...(validationRows ?? [])];
  const labels = describeLabels(allRows);
  console.log(`${data.origin}: labels ${labels.mapping || '(none)'}`);
  let heldOutByLabel: Record<string, number> | null = null;
  if (validationRows) {
    heldOutByLabel = describeLabels(validationRows, allRows).counts;
    const perLabel = Object.entries(heldOutByLabel)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ');
    console.log(
      `held out by pretraining (validation): ${validationRows.length} rows (${perLabel}); ` +
        `training on ${rows.length} of the other rows`,
    );
    // A fixed validation set is measured whole unless a cap is asked for.
    if (!args.has('maxValidationItems'))
      config = resolveTrainConfig({ ...config, maxValidationItems: 1_000_000 });
  }
  const model = loadModelFolder(modelDir);
  const tokenizer = loadTokenizerFromDirectory(modelDir);
  const base = await bindModelWeights(nodeRuntime, model, 'cpu');
  const out = args.get('out');
  if (out) mkdirSync(out, { recursive: true });
  const checkpointPath = out ? join(out, 'checkpoint.safetensors') : null;
  const resume =
    args.has('resume') && checkpointPath && existsSync(checkpointPath)
      ? readFileSync(checkpointPath)
      : undefined;
  console.log(`${rows.length} training rows, task ${config.task}${resume ? ', resuming' : ''}`);
  const timing = new Timing();
  const result = await train({
    runtime: nodeRuntime,
    model,
    base,
    tokenizer,
    rows,
    validationRows,
    config,
    session: { intraOpNumThreads: Number(args.get('threads') ?? 1) },
    resume: resume ? new Uint8Array(resume) : undefined,
    store: checkpointPath
      ? { save: async (_step, bytes) => writeFileSync(checkpointPath, bytes) }
      : undefined,
    onProgress: (p) => {
      timing.on(p);
      printProgress(p);
    },
  });
  const times = timing.summary();
  console.log(`${result.plan.note}; ${result.trainCount} train / ${result.validationCount} validation rows`);
  if (config.task === 'classifier' && result.plan.classes.length === 2)
    console.log(`positive class (logit 1 of the classifier): ${result.plan.classes[1]}`);
  console.log(
    `${result.status} after ${result.state.step} updates in ${times.totalSeconds.toFixed(0)} s: ` +
      `${times.setupSeconds.toFixed(1)} s to the first update, then ${times.secondsPerUpdate.toFixed(3)} s per update ` +
      `and ${times.secondsPerValidation.toFixed(1)} s per validation pass`,
  );
  const metrics = resultMetrics(result);
  const table: Record<string, Record<string, string>> = {};
  const fmt = (v: number | undefined) => (v === undefined ? '' : v.toFixed(4));
  let baseline: Record<string, number | null> | null = null;
  let baselineSeconds: number | null = null;
  if (config.task === 'generator') {
    table['validation perplexity'] = {
      base: fmt(metrics.perplexityBefore),
      adapter: fmt(metrics.perplexityAfter),
    };
  } else {
    const initial = result.initial.metrics;
    table['validation loss'] = {
      'step 0': fmt(metrics.validationLossBefore),
      adapter: fmt(metrics.validationLossAfter),
    };
    table['accuracy'] = { 'step 0': fmt(initial?.accuracy), adapter: fmt(metrics.accuracy) };
    table['F1'] = { 'step 0': fmt(initial?.f1), adapter: fmt(metrics.f1) };
    table['ROC-AUC'] = { 'step 0': fmt(initial?.rocAuc ?? undefined), adapter: fmt(metrics.rocAuc) };
    if (args.has('baseline')) {
      const fitStarted = performance.now();
      const fitted = classifierBaseline(rows, config, validationRows);
      baselineSeconds = (performance.now() - fitStarted) / 1000;
      baseline = { accuracy: fitted.accuracy, f1: fitted.f1, macroF1: fitted.macroF1, rocAuc: fitted.rocAuc };
      table['accuracy']!.baseline = fmt(fitted.accuracy);
      table['F1']!.baseline = fmt(fitted.f1);
      table['ROC-AUC']!.baseline = fmt(fitted.rocAuc ?? undefined);
    }
  }
  console.table(table);
  const jsonPath = args.get('json');
  if (jsonPath) {
    const figures = {
      model: modelDir,
      data: data.origin,
      task: config.task,
      holdout,
      positive: args.get('positive') ?? null,
      labels: labels.mapping,
      classes: result.plan.classes,
      trainRows: result.trainCount,
      validationRows: result.validationCount,
      heldOutByLabel,
      status: result.status,
      config,
      threads: Number(args.get('threads') ?? 1),
      timing: { ...times, baselineSeconds },
      metrics,
      initialMetrics: result.initial.metrics,
      baseline,
      validation: result.state.validation,
    };
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, `${JSON.stringify(figures, null, 1)}\n`);
    console.log(`wrote ${jsonPath}`);
  }
  if (out) {
    const adapter = toPeftAdapter(result, model.config, {
      name: args.get('name') ?? `${config.task} adapter`,
      baseModel: { name: modelDir, contentHash: '' },
      dataset: null,
    });
    writeFileSync(join(out, 'adapter.zip'), exportPeftZip(adapter, { config: model.config }));
    writeFileSync(
      join(out, 'result.json'),
      JSON.stringify({ metrics, losses: result.state.losses, validation: result.state.validation }, null, 1),
    );
    console.log(`wrote ${join(out, 'adapter.zip')}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
