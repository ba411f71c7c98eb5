/**
 * Scores finished candidates so the Generate area can rank them. Two scorers:
 * - 'style-codes', built into our own models: the model was pretrained on jokes tagged <|funny|> and on
 *   non-jokes tagged <|not_funny|>, so it is a generative classifier. The score is
 *   P(funny | text) = sigmoid(log p(text | <|funny|>) - log p(text | <|not_funny|>)) with equal priors.
 * - a classifier adapter (SEQ_CLS) trained in the Train area: LoRA + score head over the same base weights;
 *   the score is the probability of its positive label (the second label of a binary classifier, or the
 *   label the user named).
 * Scorers run after generation, on the base weights the decode session already has bound.
 */
import type { ModelConfig } from '../../engine/arch/config.ts';
import { buildClassifierGraph } from '../../engine/graphs/classifier.ts';
import { exportOnnx } from '../../engine/onnx/serialize.ts';
import { buildTokenScoreGraph } from '../../eval/token-scores.ts';
import { importPeftAdapter, PeftError, type PeftAdapter } from '../../formats/peft/index.ts';
import { readFloat32 } from '../../runtime/tensors.ts';
import type { ModelSession, OrtTensor, Runtime } from '../../runtime/types.ts';
import type { AdapterRecord } from '../../storage/index.ts';
import type { PunchlineTokenizer } from '../../tokenizer/index.ts';
import { probabilitiesFromLogits } from '../../train/classifier-task.ts';
import { WorkerError } from '../errors.ts';
import type { CandidateScore, JokeLanguage } from './types.ts';

export const STYLE_CODES_SCORER = 'style-codes';

export interface ScoringModel {
  id: string;
  config: ModelConfig;
  tokenizer: PunchlineTokenizer;
  runtime: Runtime;
  /** The base weights as bound for the decode session (shared, never released here). */
  weights: Record<string, OrtTensor>;
  provider: 'webgpu' | 'wasm' | 'cpu';
}

export interface HumorScorer {
  /** The stored adapter id, or STYLE_CODES_SCORER. */
  id: string;
  name: string;
  score(texts: readonly string[], language: JokeLanguage): Promise<CandidateScore[]>;
  dispose(): Promise<void>;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

async function createSession(model: ScoringModel, graphBytes: Uint8Array, label: string) {
  return model.runtime.createSession(graphBytes, {
    label: `${label} (${model.id})`,
    executionProviders: [model.provider],
  });
}

/** Right-padded [rows, width] ids and masks, width the longest row. */
function padRows(rows: readonly number[][], pad: number) {
  const width = Math.max(1, ...rows.map((r) => r.length));
  const ids = new Int32Array(rows.length * width).fill(pad);
  const mask = new Int32Array(rows.length * width);
  rows.forEach((row, r) => {
    ids.set(row, r * width);
    mask.fill(1, r * width, r * width + row.length);
  });
  return { ids, mask, width };
}

/** The body of a joke as ids, cut so that `reserved` framing tokens still fit the context. */
function bodyIds(model: ScoringModel, text: string, reserved: number): number[] {
  return model.tokenizer.encode(text).slice(0, Math.max(1, model.config.maxPositions - reserved));
}

export async function createStyleCodeScorer(model: ScoringModel): Promise<HumorScorer> {
  const session = await createSession(
    model,
    exportOnnx(buildTokenScoreGraph(model.config)),
    'style-code scorer',
  );
  const { tokenizer } = model;
  const t = model.runtime.tensors;
  return {
    id: STYLE_CODES_SCORER,
    name: 'Built-in: funny vs not-funny style codes',
    async score(texts, language) {
      if (texts.length === 0) return [];
      // Rows 2i and 2i+1: text i after <|funny|> and after <|not_funny|>; the tag itself is not scored.
      const sequences = texts.flatMap((text) => {
        const body = [...bodyIds(model, text, 3), tokenizer.endOfJokeId];
        const lang = tokenizer.languageIds[language];
        return [
          [lang, tokenizer.controlIds.funny, ...body],
          [lang, tokenizer.controlIds.notFunny, ...body],
        ];
      });
      const inputs = padRows(
        sequences.map((s) => s.slice(0, -1)),
        tokenizer.endOfJokeId,
      );
      const labels = padRows(
        sequences.map((s) => s.slice(1)),
        tokenizer.endOfJokeId,
      );
      const shape = [sequences.length, inputs.width];
      const out = await session.run({
        ...model.weights,
        input_ids: t.int32(inputs.ids, shape),
        labels: t.int32(labels.ids, shape),
      });
      const perToken = await readFloat32(out['nll'] as OrtTensor, 'token scores'); // (rows, width)
      // Label 0 is the style tag itself (not scored); labels 1.. are the text and <|endofjoke|>.
      const nll = sequences.map((_, r) => {
        let sum = 0;
        for (let k = 1; k < inputs.width && labels.mask[r * labels.width + k] === 1; k++)
          sum += perToken[r * inputs.width + k] as number;
        return sum;
      });
      return texts.map((_, i) => {
        const logOdds = (nll[2 * i + 1] as number) - (nll[2 * i] as number);
        return { probability: sigmoid(logOdds), logOdds, label: 'funny', scorer: STYLE_CODES_SCORER };
      });
    },
    dispose: () => session.dispose(),
  };
}

function labelsOf(record: AdapterRecord, heads: number): string[] {
  const stored = record.meta?.['labels'];
  if (Array.isArray(stored) && stored.every((l) => typeof l === 'string') && stored.length >= 2)
    return stored as string[];
  return Array.from({ length: Math.max(2, heads) }, (_, i) => String(i));
}

/** Reads a stored classifier adapter; errors say which adapter and why it cannot score. */
export function readClassifierAdapter(record: AdapterRecord, config: ModelConfig): PeftAdapter {
  if (record.config['task_type'] !== 'SEQ_CLS') {
    throw new WorkerError(
      'AdapterUnusable',
      `Adapter "${record.name}" writes jokes (CAUSAL_LM); only a classifier adapter (SEQ_CLS) can score them.`,
      { adapterId: record.id },
    );
  }
  try {
    return importPeftAdapter(
      { kind: 'files', config: JSON.stringify(record.config), weights: new Uint8Array(record.weights) },
      { config },
    );
  } catch (error) {
    if (error instanceof PeftError || error instanceof Error) {
      throw new WorkerError(
        'AdapterUnusable',
        `Adapter "${record.name}" cannot score with this model: ${error.message}`,
        { adapterId: record.id },
      );
    }
    throw error;
  }
}

export async function createAdapterScorer(
  model: ScoringModel,
  record: AdapterRecord,
  positiveLabel?: string,
): Promise<HumorScorer> {
  const adapter = readClassifierAdapter(record, model.config);
  const head = adapter.tensors.get('score.weight');
  if (!head) {
    throw new WorkerError(
      'AdapterUnusable',
      `Adapter "${record.name}" has no classifier head (score.weight).`,
      {
        adapterId: record.id,
      },
    );
  }
  const heads = head.shape[0] as number;
  const labels = labelsOf(record, heads);
  const classes = heads === 1 ? 2 : heads;
  const positive = positiveLabel === undefined ? Math.min(1, classes - 1) : labels.indexOf(positiveLabel);
  if (positive < 0) {
    throw new WorkerError(
      'InvalidRequest',
      `Adapter "${record.name}" has no label "${positiveLabel}"; its labels are ${labels.join(', ')}.`,
    );
  }
  const graph = buildClassifierGraph(model.config, {
    numLabels: heads,
    weights: { kind: 'inputs' },
    lora: { rank: adapter.config.rank, alpha: adapter.config.alpha, targets: adapter.config.targetModules },
    train: false,
  });
  const session: ModelSession = await createSession(model, exportOnnx(graph.graph), 'classifier scorer');
  const t = model.runtime.tensors;
  const adapterFeeds: Record<string, OrtTensor> = {};
  for (const [name, tensor] of adapter.tensors) adapterFeeds[name] = t.float32(tensor.data, tensor.shape);
  const { tokenizer } = model;
  return {
    id: record.id,
    name: record.name,
    async score(texts, language) {
      if (texts.length === 0) return [];
      // The sequence the classifier was trained on: <|lang|>joke<|endofjoke|>, read at its last token.
      const rows = texts.map((text) => [
        tokenizer.languageIds[language],
        ...bodyIds(model, text, 2),
        tokenizer.endOfJokeId,
      ]);
      const { ids, mask, width } = padRows(rows, tokenizer.endOfJokeId);
      const out = await session.run({
        ...model.weights,
        ...adapterFeeds,
        input_ids: t.int32(ids, [rows.length, width]),
        attention_mask: t.int32(mask, [rows.length, width]),
      });
      const logits = await readFloat32(out['logits'] as OrtTensor, 'classifier logits');
      const probs = probabilitiesFromLogits(logits, rows.length, classes);
      return texts.map((_, r) => {
        const p = probs[r * classes + positive] as number;
        return {
          probability: p,
          logOdds: Math.log(Math.max(p, 1e-12)) - Math.log(Math.max(1 - p, 1e-12)),
          label: labels[positive] as string,
          scorer: record.id,
        };
      });
    },
    dispose: () => session.dispose(),
  };
}
