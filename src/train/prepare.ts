/**
 * From a trainer job to a ready task: label plan, examples, seeded split, token sequences, and the task
 * runner with its sessions. Shared by the trainer loop and the warm-up estimate.
 */
import type { ModelWeights } from '../models/bind-weights.ts';
import type { LoraConfig } from '../engine/arch/lora.ts';
import type { OrtTensor, Runtime, SessionConfig } from '../runtime/types.ts';
import { createClassifierTask } from './classifier-task.ts';
import { resolveTrainConfig, type TrainConfig } from './config.ts';
import { splitRows, type Example, type LabeledText, type LabelPlan } from './examples.ts';
import { createLmTask } from './lm-task.ts';
import { classifierSequence, generatorSequence, type TrainTokenizer } from './sequences.ts';
import type { TaskRunner } from './task.ts';

/** The frozen model an adapter trains on; bind it once with bindModelWeights (src/models/bind-weights.ts). */
export type BaseModel = ModelWeights;

export interface PreparedTask {
  config: TrainConfig;
  plan: LabelPlan;
  lora: LoraConfig;
  task: TaskRunner;
  trainCount: number;
  validationCount: number;
  /** Optimizer updates the run will make (before any early stop). */
  totalSteps: number;
}

export function loraConfigOf(config: TrainConfig): LoraConfig {
  return { rank: config.rank, alpha: config.alpha, targets: config.targets, dropout: config.dropout };
}

export interface PrepareInput {
  runtime: Runtime;
  model: BaseModel;
  base: Readonly<Record<string, OrtTensor>>;
  tokenizer: TrainTokenizer;
  rows: readonly LabeledText[];
  /**
   * The validation set, when it must be a fixed one (e.g. rows a base model never saw): then every row of
   * `rows` is trained on and `config.validationShare` is not used. Without it a seeded share is held out.
   */
  validationRows?: readonly LabeledText[];
  config: Partial<TrainConfig>;
  session?: SessionConfig;
}

export async function prepareTask(input: PrepareInput): Promise<PreparedTask> {
  const config = resolveTrainConfig(input.config);
  const split = splitRows(input.rows, config, input.validationRows);
  const plan = split.plan;
  const lora = loraConfigOf(config);
  const context = {
    runtime: input.runtime,
    config: input.model.config,
    base: input.base,
    lora,
    session: input.session ?? {},
  };
  const maxLength = Math.min(config.maxSeqLength, input.model.config.maxPositions);
  let task: TaskRunner;
  if (config.task === 'generator') {
    const encode = (e: Example) => generatorSequence(input.tokenizer, e, maxLength);
    task = await createLmTask(context, {
      train: split.train.map(encode),
      validation: split.validation.map(encode),
      seq: maxLength,
      batchSize: config.batchSize,
      seed: config.seed,
      maxValidationWindows: config.maxValidationItems,
    });
  } else {
    const encode = (e: Example) => ({
      ids: classifierSequence(input.tokenizer, e, maxLength),
      classIndex: e.classIndex,
    });
    task = await createClassifierTask(context, {
      train: split.train.map(encode),
      validation: split.validation.map(encode),
      classes: plan.classes.length,
      batchSize: config.batchSize,
      seed: config.seed,
      balanceClasses: config.balanceClasses,
      maxValidationRows: config.maxValidationItems,
    });
  }
  const totalSteps =
    config.steps > 0
      ? config.steps
      : config.epochs * Math.ceil(task.batchesPerEpoch / config.gradientAccumulation);
  return {
    config,
    plan,
    lora,
    task,
    trainCount: split.train.length,
    validationCount: split.validation.length,
    totalSteps,
  };
}
