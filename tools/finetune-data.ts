/**
 * The rows tools/finetune.ts trains and validates on: a CSV, or files of one shared corpus source, with an
 * optional fixed validation set — the rows pretraining held out (src/data/corpora/split.ts), so that the
 * figures are measured on texts the base model never saw.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { classifyLabels, labelClassifier } from '../src/data/ingest/labels.ts';
import { cleanText } from '../src/data/corpora/normalise.ts';
import { readCorpusFile } from '../src/data/corpora/read-node.ts';
import { corpusSources } from '../src/data/corpora/sources.ts';
import { splitOf } from '../src/data/corpora/split.ts';
import type { CorpusRecord } from '../src/data/corpora/types.ts';
import { Rng } from '../src/runtime/rng.ts';
import type { LabeledText } from '../src/train/examples.ts';

export type Holdout = 'none' | 'pretraining';

export interface FinetuneRows {
  /** Where the rows come from, in words (CSV path or source/files). */
  origin: string;
  rows: LabeledText[];
  /** The fixed validation set (--holdout pretraining); undefined: the trainer holds out a seeded share. */
  validationRows?: LabeledText[];
}

function readCsv(path: string, textColumn: string, labelColumn: string): LabeledText[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  return parsed.data.map((row, i) => {
    const text = row[textColumn];
    if (text === undefined) throw new Error(`${path}: row ${i + 2} has no "${textColumn}" column`);
    return { text, label: row[labelColumn]?.trim() || null };
  });
}

/** The records of one or more text files of a source (`files`: comma-separated paths; all text files when absent). */
export function readSourceRecords(
  root: string,
  sourceId: string | undefined,
  files: string | undefined,
): { origin: string; records: CorpusRecord[] } {
  const source = corpusSources.find((s) => s.id === sourceId);
  if (!source)
    throw new Error(`--source must be one of ${corpusSources.map((s) => s.id).join(', ')} (or pass --csv)`);
  const textFiles = source.files.filter((f) => f.role === 'text');
  const wanted = files?.split(',').map((f) => f.trim());
  const unknown = wanted?.filter((path) => !textFiles.some((f) => f.path === path)) ?? [];
  if (unknown.length > 0)
    throw new Error(
      `--file ${unknown.join(', ')}: not a text file of ${source.id} (its text files: ${textFiles.map((f) => f.path).join(', ')})`,
    );
  const chosen = wanted ? textFiles.filter((f) => wanted.includes(f.path)) : textFiles;
  return {
    origin: `${source.id}/${chosen.map((f) => f.path).join('+')}`,
    records: chosen.flatMap((file) => readCorpusFile(root, source, file)),
  };
}

/**
 * Whether pretraining held a text out. buildMix (src/data/corpora/mix.ts) assigns splitOf(cleanText(text))
 * to every row it keeps; the key ignores everything but letters and digits, so a row pretraining dropped
 * (too long, offensive, a not-funny sample) gets the side it would have had, and duplicates share a side.
 */
export function heldOutInPretraining(text: string): boolean {
  return splitOf(cleanText(text)) === 'validation';
}

/** The rows pretraining held out are the validation set; the others are the training rows. */
export function partitionByPretrainingSplit(records: readonly LabeledText[]): {
  train: LabeledText[];
  validation: LabeledText[];
} {
  const train: LabeledText[] = [];
  const validation: LabeledText[] = [];
  for (const record of records)
    (heldOutInPretraining(record.text) ? validation : train).push({ text: record.text, label: record.label });
  return { train, validation };
}

/** A seeded sample of `count` items without replacement (all of them when count >= length). */
export function sample<T>(items: readonly T[], count: number, seed: number): T[] {
  if (count >= items.length) return items.slice();
  const rng = Rng.seeded(seed, 77);
  const copy = items.slice();
  for (let i = 0; i < count; i++) {
    const j = i + (rng.nextUint32() % (copy.length - i));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, count);
}

/** --positive VALUE: rows labelled VALUE are funny, every other labelled row is not. */
function withPositive(rows: readonly LabeledText[], positive: string | undefined): LabeledText[] {
  if (positive === undefined) return rows.slice();
  return rows.map((r) => ({
    text: r.text,
    label: r.label === null ? null : r.label === positive ? 'funny' : 'not funny',
  }));
}

export interface ReadOptions {
  csv?: string;
  textColumn?: string;
  labelColumn?: string;
  data: string;
  source?: string;
  file?: string;
  positive?: string;
  holdout: Holdout;
  /** Training rows to sample (seeded); the fixed validation set is never sampled. */
  rows?: number;
  seed: number;
}

export function readFinetuneRows(options: ReadOptions): FinetuneRows {
  if (options.csv !== undefined) {
    if (options.holdout !== 'none')
      throw new Error('--holdout pretraining needs --source (the corpus files pretraining read), not --csv');
    const rows = withPositive(
      readCsv(options.csv, options.textColumn ?? 'text', options.labelColumn ?? 'label'),
      options.positive,
    );
    return { origin: options.csv, rows: sample(rows, options.rows ?? rows.length, options.seed) };
  }
  const { origin, records } = readSourceRecords(options.data, options.source, options.file);
  const all = withPositive(records, options.positive);
  if (options.holdout === 'none')
    return { origin, rows: sample(all, options.rows ?? all.length, options.seed) };
  const { train, validation } = partitionByPretrainingSplit(all);
  return {
    origin,
    rows: sample(train, options.rows ?? train.length, options.seed),
    validationRows: validation,
  };
}

/**
 * How labels read as classes, e.g. `0 → not funny, 1 → funny`, and rows per class of `rows`; the labels of
 * `allRows` decide the reading, as the trainer's label plan does.
 */
export function describeLabels(
  rows: readonly LabeledText[],
  allRows: readonly LabeledText[] = rows,
): { mapping: string; counts: Record<string, number> } {
  const scheme = classifyLabels(allRows.map((r) => r.label));
  const { toClass } = labelClassifier(scheme);
  const mapping = new Map<string, string>();
  for (const row of allRows) if (row.label !== null) mapping.set(row.label, toClass(row.label) ?? '');
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const name = toClass(row.label) ?? '(no label)';
    counts[name] = (counts[name] ?? 0) + 1;
  }
  const pairs = [...mapping].sort(([a], [b]) => a.localeCompare(b));
  return { mapping: pairs.map(([raw, name]) => `${raw} → ${name}`).join(', '), counts };
}
