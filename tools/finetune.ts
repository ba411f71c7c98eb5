/**
 * Fine-tunes a LoRA adapter (generator or classifier) with the same trainer the browser uses, on a CSV
 * or on one file of the shared corpora, and prints validation figures before/after.
 *
 *   npx tsx tools/finetune.ts --model public/models/punchline-tiny --csv jokes.csv --task generator --steps 100
 *   npx tsx tools/finetune.ts --data ../shared/data --source en-hahackathon --file train.csv --task classifier \
 *     --rows 2000 --baseline
 *
 * Options: every TrainConfig field as --name value (--rank 8 --alpha 16 --learningRate 2e-3 --batchSize 8
 * --maxSeqLength 64 --steps 100 --targets q,k,v,o ...), --positive VALUE (label VALUE = funny, others not),
 * --rows N (seeded sample), --out DIR (adapter zip and checkpoints), --resume (from --out's checkpoint),
 * --threads 1, --baseline (classifier: the audit's char-n-gram logistic regression on the same split).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { corpusSources } from '../src/data/corpora/sources.ts';
import { readCorpusFile } from '../src/data/corpora/read-node.ts';
import { exportPeftZip } from '../src/formats/peft/index.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { Rng } from '../src/runtime/rng.ts';
import { loadTokenizerFromDirectory } from '../src/tokenizer/load-node.ts';
import { resultMetrics, toPeftAdapter } from '../src/train/adapter-export.ts';
import { DEFAULT_TRAIN_CONFIG, resolveTrainConfig, type TrainConfig } from '../src/train/config.ts';
import type { LabeledText } from '../src/train/examples.ts';
import { bindBaseWeights } from '../src/train/prepare.ts';
import { train, type TrainProgress } from '../src/train/trainer.ts';
import { classifierBaseline } from './finetune-baseline.ts';
import { loadModelFolder, parseArgs } from './engine-io.ts';

function readRows(args: Map<string, string>): LabeledText[] {
  const csv = args.get('csv');
  if (csv !== undefined) {
    const parsed = Papa.parse<Record<string, string>>(readFileSync(csv, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    const textColumn = args.get('text-column') ?? 'text';
    const labelColumn = args.get('label-column') ?? 'label';
    return parsed.data.map((row, i) => {
      const text = row[textColumn];
      if (text === undefined) throw new Error(`${csv}: row ${i + 2} has no "${textColumn}" column`);
      return { text, label: row[labelColumn]?.trim() || null };
    });
  }
  const root = args.get('data') ?? '../shared/data';
  const sourceId = args.get('source');
  const source = corpusSources.find((s) => s.id === sourceId);
  if (!source)
    throw new Error(`--source must be one of ${corpusSources.map((s) => s.id).join(', ')} (or pass --csv)`);
  const wanted = args.get('file');
  const files = source.files.filter((f) => f.role === 'text' && (wanted === undefined || f.path === wanted));
  if (files.length === 0) throw new Error(`--file ${wanted} is not a text file of ${source.id}`);
  return files
    .flatMap((file) => readCorpusFile(root, source, file))
    .map((r) => ({ text: r.text, label: r.label }));
}

function sample<T>(items: T[], count: number, seed: number): T[] {
  if (count >= items.length) return items;
  const rng = Rng.seeded(seed, 77);
  const copy = items.slice();
  for (let i = 0; i < count; i++) {
    const j = i + (rng.nextUint32() % (copy.length - i));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, count);
}

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
  const config = configFromArgs(args);
  const positive = args.get('positive');
  let rows = readRows(args);
  if (positive !== undefined)
    rows = rows.map((r) => ({ text: r.text, label: r.label === positive ? 'funny' : 'not funny' }));
  rows = sample(rows, Number(args.get('rows') ?? rows.length), config.seed);
  const model = loadModelFolder(modelDir);
  const tokenizer = loadTokenizerFromDirectory(modelDir);
  const base = await bindBaseWeights(nodeRuntime, model, 'cpu');
  const out = args.get('out');
  if (out) mkdirSync(out, { recursive: true });
  const checkpointPath = out ? join(out, 'checkpoint.safetensors') : null;
  const resume =
    args.has('resume') && checkpointPath && existsSync(checkpointPath)
      ? readFileSync(checkpointPath)
      : undefined;
  console.log(`${rows.length} rows, task ${config.task}${resume ? ', resuming' : ''}`);
  const started = performance.now();
  const result = await train({
    runtime: nodeRuntime,
    model,
    base,
    tokenizer,
    rows,
    config,
    session: { intraOpNumThreads: Number(args.get('threads') ?? 1) },
    resume: resume ? new Uint8Array(resume) : undefined,
    store: checkpointPath
      ? { save: async (_step, bytes) => writeFileSync(checkpointPath, bytes) }
      : undefined,
    onProgress: printProgress,
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(`${result.plan.note}; ${result.trainCount} train / ${result.validationCount} validation rows`);
  console.log(`${result.status} after ${result.state.step} updates in ${seconds.toFixed(0)} s`);
  const metrics = resultMetrics(result);
  const table: Record<string, Record<string, string>> = {};
  const fmt = (v: number | undefined) => (v === undefined ? '' : v.toFixed(4));
  if (config.task === 'generator') {
    table['validation perplexity'] = {
      base: fmt(metrics.perplexityBefore),
      adapter: fmt(metrics.perplexityAfter),
    };
  } else {
    table['validation loss'] = {
      'step 0': fmt(metrics.validationLossBefore),
      adapter: fmt(metrics.validationLossAfter),
    };
    table['accuracy'] = { adapter: fmt(metrics.accuracy) };
    table['F1'] = { adapter: fmt(metrics.f1) };
    table['ROC-AUC'] = { adapter: fmt(metrics.rocAuc) };
    if (args.has('baseline')) {
      const baseline = classifierBaseline(rows, config);
      table['accuracy']!.baseline = fmt(baseline.accuracy);
      table['F1']!.baseline = fmt(baseline.f1);
      table['ROC-AUC']!.baseline = fmt(baseline.rocAuc ?? undefined);
    }
  }
  console.table(table);
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
