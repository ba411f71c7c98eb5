/**
 * Validation perplexity of a model folder, English and Chinese separately, against two baselines measured
 * on exactly the same tokens: an add-one token unigram model and an interpolated modified Kneser-Ney
 * 5-gram, both fitted on the train split of each language.
 *
 *   npx tsx tools/evaluate-model.ts [--model public/models/punchline-tiny] [--data runs/data]
 *                                   [--tokens runs/pretrain/tokens] [--limit N] [--out FILE]
 *
 * Scored tokens: every joke is `<|lang|><|control|>text<|endofjoke|>`, as in pretraining; each model
 * predicts the text and the end token (position 2 on) given everything before it in the same joke.
 * Without --limit the table is also written to <model>/evaluation.json (or --out).
 */
import { bindModelWeights } from '../src/models/bind-weights.ts';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportOnnx } from '../src/engine/onnx/serialize.ts';
import { KneserNey } from '../src/eval/kneser-ney.ts';
import { formatPerplexityTable, perplexityOf, type PerplexityRow } from '../src/eval/perplexity.ts';
import { buildTokenScoreGraph, scoreSequences } from '../src/eval/token-scores.ts';
import { UnigramModel } from '../src/eval/unigram.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import type { Language } from '../src/tokenizer/special-tokens.ts';
import { loadTokenizerFromDirectory } from '../src/tokenizer/load-node.ts';
import { loadModelFolder, parseArgs } from './engine-io.ts';
import { readTrainingStages } from './pretrain-checkpoint.ts';
import { tokenizeSplit, type TokenizedSplit } from './pretrain-data.ts';

const LANGUAGES: readonly Language[] = ['en', 'zh'];
/** Position 0 is the language tag, 1 the control code: both are given, the joke is scored. */
const FIRST_SCORED = 2;
const KN_ORDER = 5;

function byLanguage(split: TokenizedSplit, language: Language, limit: number): Int32Array[] {
  return split.sequences.filter((_, i) => split.languages[i] === language).slice(0, limit);
}

/**
 * The train split repeats every English joke (upsampling for the neural model); the baselines count each
 * distinct joke once, since repeated counts would distort Kneser-Ney's count-of-count discounts.
 */
function distinct(sequences: readonly Int32Array[]): Int32Array[] {
  const seen = new Set<string>();
  return sequences.filter((s) => {
    const key = s.join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function seconds(since: number): number {
  return +((performance.now() - since) / 1000).toFixed(1);
}

/**
 * Steps done and planned, and the training window, over every stage of the folder's training.json
 * (`npm run pretrain -- --init-from` adds stages; their steps add up).
 */
function trainingSummary(dir: string): {
  steps?: number;
  plannedSteps?: number;
  seq?: number;
  stages: number;
} {
  const stages = readTrainingStages(dir);
  const last = stages.at(-1);
  if (!last) return { stages: 0 };
  const before = stages.slice(0, -1).reduce((n, s) => n + s.steps, 0);
  return {
    steps: before + last.steps,
    plannedSteps: last.plannedSteps === undefined ? undefined : before + last.plannedSteps,
    seq: last.seq,
    stages: stages.length,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const modelDir = args.get('model') ?? 'public/models/punchline-tiny';
  const limit = args.has('limit') ? Number(args.get('limit')) : Infinity;
  if (!(limit >= 1)) throw new Error(`--limit must be a positive number, got "${args.get('limit')}"`);
  const out = args.get('out') ?? (limit === Infinity ? join(modelDir, 'evaluation.json') : null);

  const tokenizer = loadTokenizerFromDirectory(modelDir);
  const { config, weights } = loadModelFolder(modelDir);
  if (config.vocabSize !== tokenizer.vocabSize)
    throw new Error(
      `${modelDir}: config vocab_size ${config.vocabSize} != tokenizer's ${tokenizer.vocabSize}`,
    );
  const training = trainingSummary(modelDir);
  const context = Math.min(training.seq ?? config.maxPositions, config.maxPositions);
  const stride = Math.max(1, context >> 1);
  const dataDir = args.get('data') ?? 'runs/data';
  const cacheDir = args.get('tokens') ?? 'runs/pretrain/tokens';
  const train = tokenizeSplit(dataDir, cacheDir, 'train', tokenizer);
  const validation = tokenizeSplit(dataDir, cacheDir, 'validation', tokenizer);

  const graph = buildTokenScoreGraph(config);
  const session = await nodeRuntime.createSession(exportOnnx(graph), {
    label: `token scores (${modelDir})`,
    intraOpNumThreads: Number(args.get('threads') ?? 2),
  });
  const bound = await bindModelWeights(nodeRuntime, { config, weights }, 'cpu');

  const table: Record<string, Record<string, PerplexityRow>> = { model: {}, unigram: {}, kneserNey5: {} };
  const timings: Record<string, number> = {};
  const split: Record<string, { jokes: number; trainJokes: number; trainTokens: number }> = {};
  for (const language of LANGUAGES) {
    const trainSeqs = distinct(byLanguage(train, language, Infinity));
    const valSeqs = byLanguage(validation, language, limit);
    split[language] = {
      jokes: valSeqs.length,
      trainJokes: trainSeqs.length,
      trainTokens: trainSeqs.reduce((n, s) => n + s.length, 0),
    };

    let started = performance.now();
    const unigram = UnigramModel.train(trainSeqs, config.vocabSize, FIRST_SCORED);
    (table['unigram'] as Record<string, PerplexityRow>)[language] = perplexityOf(
      valSeqs.map((s) => unigram.logProbabilities(s, FIRST_SCORED)),
    );
    started = performance.now();
    const kn = KneserNey.train(trainSeqs, config.vocabSize, { order: KN_ORDER });
    timings[`kneserNey5Train_${language}`] = seconds(started);
    (table['kneserNey5'] as Record<string, PerplexityRow>)[language] = perplexityOf(
      valSeqs.map((s) => kn.logProbabilities(s, FIRST_SCORED)),
    );

    started = performance.now();
    const scores = await scoreSequences(session, config, valSeqs, {
      weights: bound,
      tensors: nodeRuntime.tensors,
      context,
      stride,
      from: FIRST_SCORED,
      batchSize: 8,
      onProgress: (done, total) => process.stderr.write(`\r${language}: ${done}/${total} windows`),
    });
    process.stderr.write('\n');
    timings[`modelScore_${language}`] = seconds(started);
    (table['model'] as Record<string, PerplexityRow>)[language] = perplexityOf(scores);
  }
  await session.dispose();

  const names: Record<string, string> = {
    model: `punchline-tiny (step ${training.steps ?? '?'})`,
    unigram: 'token unigram, add-one',
    kneserNey5: 'token 5-gram, modified KN',
  };
  console.log(
    formatPerplexityTable(
      LANGUAGES,
      Object.entries(table).map(([key, rows]) => ({ model: names[key] as string, byLanguage: rows })),
    ),
  );
  console.log(`timings (s): ${JSON.stringify(timings)}`);
  if (!out) return;
  const weightsHash = createHash('sha256')
    .update(readFileSync(join(modelDir, 'model.safetensors')))
    .digest('hex');
  const report = {
    model: modelDir,
    modelSafetensorsSha256: weightsHash,
    trainingSteps: training.steps ?? null,
    plannedSteps: training.plannedSteps ?? null,
    trainingStages: training.stages,
    split: 'validation',
    scoredTokens:
      'per joke <|lang|><|control|>text<|endofjoke|>: the text tokens and <|endofjoke|> (position 2 on), ' +
      'each given everything before it in the same joke',
    neuralContext: { window: context, stride },
    baselines: {
      unigram:
        'add-one smoothed token unigram, fitted per language on the distinct jokes of the train split (positions 2 on)',
      kneserNey5:
        'interpolated modified Kneser-Ney 5-gram over tokens (3 discounts per order), fitted per language on the ' +
        'distinct jokes of the train split (tags included), BOS-padded per joke',
    },
    languages: split,
    perplexity: table,
    timingsSeconds: timings,
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
