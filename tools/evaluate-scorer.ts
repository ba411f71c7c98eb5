/**
 * How well the built-in humor scorer (the model's funny vs not-funny style codes as a likelihood ratio, the
 * one Generate ranks candidates with) separates jokes from non-jokes on the validation split: ROC-AUC per
 * source that has both classes, and overall.
 *
 *   npx tsx tools/evaluate-scorer.ts [--model public/models/punchline-tiny] [--data runs/data] [--threads 2]
 */
import { bindModelWeights } from '../src/models/bind-weights.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { loadTokenizerFromDirectory } from '../src/tokenizer/load-node.ts';
import { rocAuc } from '../src/train/metrics.ts';
import { createStyleCodeScorer } from '../src/worker/generate/humor-scorer.ts';
import { loadModelFolder, parseArgs } from './engine-io.ts';

interface Row {
  text: string;
  language: 'en' | 'zh';
  control: string;
  source: string;
}

const BATCH = 16;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const modelDir = args.get('model') ?? 'public/models/punchline-tiny';
  const dataDir = args.get('data') ?? 'runs/data';
  const path = join(dataDir, 'validation.jsonl');
  const rows = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);
  const tokenizer = loadTokenizerFromDirectory(modelDir);
  const { config, weights } = loadModelFolder(modelDir);
  const bound = await bindModelWeights(nodeRuntime, { config, weights }, 'cpu');
  const scorer = await createStyleCodeScorer({
    id: modelDir,
    config,
    tokenizer,
    runtime: nodeRuntime,
    weights: bound,
    provider: 'cpu',
  });
  const logOdds: number[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    for (const language of ['en', 'zh'] as const) {
      const picked = batch.map((r, k) => [r, k] as const).filter(([r]) => r.language === language);
      const scores = await scorer.score(
        picked.map(([r]) => r.text),
        language,
      );
      picked.forEach(([, k], j) => (logOdds[i + k] = scores[j]?.logOdds as number));
    }
    process.stderr.write(`\r${Math.min(i + BATCH, rows.length)}/${rows.length} rows`);
  }
  process.stderr.write('\n');
  await scorer.dispose();

  const groups = new Map<string, number[]>([['all', rows.map((_, i) => i)]]);
  rows.forEach((r, i) => groups.set(r.source, [...(groups.get(r.source) ?? []), i]));
  const table: Record<string, { funny: number; notFunny: number; auc: string }> = {};
  for (const [name, members] of groups) {
    const positive = members.map((i) => rows[i]?.control === '<|funny|>');
    const funny = positive.filter(Boolean).length;
    const auc = rocAuc(
      members.map((i) => logOdds[i] as number),
      positive,
    );
    table[name] = { funny, notFunny: members.length - funny, auc: auc === null ? '–' : auc.toFixed(3) };
  }
  console.log(`style-code scorer on ${path} (${modelDir})`);
  console.table(table);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
