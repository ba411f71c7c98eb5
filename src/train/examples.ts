/**
 * Labeled rows -> training examples: the label becomes a class index (classifier) and a control code
 * (generator), and the rows are split into train and validation with a seeded shuffle.
 */
import { classifyLabels, labelClassifier } from '../data/ingest/labels.ts';
import type { LabelScheme } from '../data/ingest/types.ts';
import { Rng } from '../runtime/rng.ts';
import { languageTagFor } from '../tokenizer/language-tag.ts';
import { CONTROL_CODES, STYLE_SLOTS, type Language } from '../tokenizer/special-tokens.ts';
import type { TrainConfig, TrainTask } from './config.ts';

export interface LabeledText {
  text: string;
  label: string | null;
}

export interface Example {
  text: string;
  language: Language;
  /** Index into LabelPlan.classes; -1 for an unlabeled generator row. */
  classIndex: number;
  /** The special token in front of the joke (generator). */
  control: string;
}

export interface LabelPlan {
  kind: 'binary' | 'categories' | 'none';
  /** Class names in index order; a binary plan is ['not funny', 'funny'] (index 1 is the positive class). */
  classes: string[];
  /** Class name -> control code the generator is conditioned on. */
  controlCodes: Record<string, string>;
  /** What happened to the labels, in words, for the UI and the adapter card. */
  note: string;
}

export function planLabels(rows: readonly LabeledText[], task: TrainTask, funnyOnly: boolean): LabelPlan {
  const scheme = classifyLabels(rows.map((r) => r.label));
  if (scheme.kind === 'binary') {
    const controlCodes: Record<string, string> = funnyOnly
      ? { funny: CONTROL_CODES.funny }
      : { funny: CONTROL_CODES.funny, 'not funny': CONTROL_CODES.notFunny };
    const note =
      task === 'classifier'
        ? 'binary labels: one logit, funny = 1'
        : funnyOnly
          ? 'binary labels: trained on the funny rows only, under <|funny|>'
          : 'binary labels: funny rows under <|funny|>, not funny rows under <|not_funny|>';
    return { kind: 'binary', classes: ['not funny', 'funny'], controlCodes, note };
  }
  if (scheme.kind === 'none') {
    if (task === 'classifier')
      throw new Error(
        'the dataset has no labels; a classifier needs a label column (map one in the Data area)',
      );
    return {
      kind: 'none',
      classes: [],
      controlCodes: {},
      note: 'no labels: every joke trained under <|funny|>',
    };
  }
  const toClass = labelClassifier(scheme).toClass;
  const classes = [
    ...new Set(rows.map((r) => toClass(r.label)).filter((c): c is string => c !== null)),
  ].sort();
  if (classes.length < 2)
    throw new Error(`the dataset has ${classes.length} label value; training needs at least two classes`);
  if (task === 'generator' && classes.length > STYLE_SLOTS.length)
    throw new Error(
      `the dataset has ${classes.length} label values; a generator has ${STYLE_SLOTS.length} style slots. Merge labels in the Data area or train a classifier`,
    );
  const controlCodes =
    task === 'generator' ? Object.fromEntries(classes.map((c, k) => [c, STYLE_SLOTS[k] as string])) : {};
  const note =
    task === 'generator'
      ? `categories: ${classes.map((c, k) => `${c} → ${STYLE_SLOTS[k]}`).join(', ')}`
      : classes.length === 2
        ? `categories: ${classes[1]} scored by one logit (binary cross-entropy)`
        : `categories: ${classes.length} classes, softmax cross-entropy`;
  return { kind: 'categories', classes, controlCodes, note };
}

/**
 * Applies a plan; rows whose label the plan does not cover (empty, or not funny with funnyOnly) are left out.
 * `scheme` reads the raw labels; pass the one of all the rows the plan was made from when `rows` is a part.
 */
export function toExamples(
  rows: readonly LabeledText[],
  plan: LabelPlan,
  task: TrainTask,
  scheme: LabelScheme = classifyLabels(rows.map((r) => r.label)),
): Example[] {
  const toClass = labelClassifier(scheme).toClass;
  const examples: Example[] = [];
  for (const row of rows) {
    const text = row.text.trim();
    if (text === '') continue;
    const language = languageTagFor(text);
    if (plan.kind === 'none') {
      examples.push({ text, language, classIndex: -1, control: CONTROL_CODES.funny });
      continue;
    }
    const name = toClass(row.label);
    const classIndex = name === null ? -1 : plan.classes.indexOf(name);
    if (classIndex < 0) continue;
    const control = plan.controlCodes[name as string];
    if (task === 'generator' && control === undefined) continue;
    examples.push({ text, language, classIndex, control: control ?? '' });
  }
  return examples;
}

/** Seeded shuffle, then the first share of the rows (at least one) is validation. */
export function splitExamples<T>(
  items: readonly T[],
  share: number,
  seed: number,
): { train: T[]; validation: T[] } {
  if (items.length < 2)
    throw new Error(
      `training needs at least 2 usable rows (one for validation); the dataset has ${items.length}`,
    );
  const order = items.map((_, i) => i);
  const rng = Rng.seeded(seed, 0x5917);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextUint32() % (i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const validationCount = Math.min(items.length - 1, Math.max(1, Math.round(items.length * share)));
  const pick = (range: number[]) => range.map((i) => items[i] as T);
  return { validation: pick(order.slice(0, validationCount)), train: pick(order.slice(validationCount)) };
}

export interface ExampleSplit {
  plan: LabelPlan;
  train: Example[];
  validation: Example[];
}

/**
 * Rows -> planned, split examples. Without `validationRows`, a seeded `validationShare` of `rows` is held
 * out (the browser path). With them, exactly those rows are the validation set and every row of `rows` is
 * trained on; labels are planned over both, so both sides share one class order.
 */
export function splitRows(
  rows: readonly LabeledText[],
  config: Pick<TrainConfig, 'task' | 'funnyOnly' | 'validationShare' | 'seed'>,
  validationRows?: readonly LabeledText[],
): ExampleSplit {
  if (validationRows === undefined) {
    const plan = planLabels(rows, config.task, config.funnyOnly);
    const split = splitExamples(toExamples(rows, plan, config.task), config.validationShare, config.seed);
    return { plan, ...split };
  }
  const all = [...rows, ...validationRows];
  const plan = planLabels(all, config.task, config.funnyOnly);
  const scheme = classifyLabels(all.map((r) => r.label));
  const train = toExamples(rows, plan, config.task, scheme);
  const validation = toExamples(validationRows, plan, config.task, scheme);
  if (train.length === 0 || validation.length === 0)
    throw new Error(
      `training needs usable rows on both sides of the split; got ${train.length} to train on and ${validation.length} to validate on`,
    );
  return { plan, train, validation };
}
