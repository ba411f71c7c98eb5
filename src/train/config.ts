/**
 * Fine-tuning hyperparameters: one typed record with defaults, a short explanation of each for the UI,
 * and validation that names the field at fault.
 */
export type TrainTask = 'generator' | 'classifier';
export type ScheduleKind = 'constant' | 'linear' | 'cosine';

export interface TrainConfig {
  task: TrainTask;
  rank: number;
  alpha: number;
  dropout: number;
  /** PEFT target_modules (short Llama names q, k, v, o, gate, up, down are accepted). */
  targets: string[];
  learningRate: number;
  warmupSteps: number;
  schedule: ScheduleKind;
  /** Optimizer updates; when 0 the run lasts `epochs` passes over the training split. */
  steps: number;
  epochs: number;
  batchSize: number;
  gradientAccumulation: number;
  maxSeqLength: number;
  validationShare: number;
  seed: number;
  weightDecay: number;
  maxGradNorm: number;
  /** Validation every this many updates (and at the end). */
  evalEvery: number;
  /** Stop after this many validations without a new best validation loss; 0 never stops early. */
  patience: number;
  /** Checkpoint every this many updates (and at the end). */
  checkpointEvery: number;
  /** Generator with binary labels: train only on the funny rows (control code <|funny|>). */
  funnyOnly: boolean;
  /** Classifier: weight each class by n / (classes × n_class). */
  balanceClasses: boolean;
  /** Cap on validation rows (generator windows or classifier rows) so a validation pass stays short. */
  maxValidationItems: number;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  task: 'generator',
  rank: 8,
  alpha: 16,
  dropout: 0,
  targets: ['q', 'k', 'v', 'o'],
  learningRate: 2e-3,
  warmupSteps: 10,
  schedule: 'cosine',
  steps: 0,
  epochs: 1,
  batchSize: 8,
  gradientAccumulation: 1,
  maxSeqLength: 64,
  validationShare: 0.1,
  seed: 1,
  weightDecay: 0,
  maxGradNorm: 1,
  evalEvery: 25,
  patience: 3,
  checkpointEvery: 25,
  funnyOnly: true,
  balanceClasses: true,
  maxValidationItems: 256,
};

export const HYPERPARAMETER_HELP: Record<keyof TrainConfig, string> = {
  task: 'Generator learns to write jokes in your style; classifier learns to score jokes by label.',
  rank: 'Size of the adapter: higher learns more, costs more memory and time (4–16 is typical).',
  alpha: 'Scales the adapter output by alpha / rank; 2 × rank is a common choice.',
  dropout: 'Randomly drops adapter inputs while training; helps on very small datasets.',
  targets:
    'Which linear layers get an adapter: attention (q, k, v, o) and optionally the MLP (gate, up, down).',
  learningRate: 'Step size of AdamW; LoRA tolerates larger rates than full fine-tuning.',
  warmupSteps: 'Updates over which the learning rate rises from 0, which keeps the first steps stable.',
  schedule: 'How the learning rate moves after warm-up: constant, linear decay or cosine decay.',
  steps: 'Number of optimizer updates; 0 means: run for the given epochs.',
  epochs: 'Passes over the training split (used when steps is 0).',
  batchSize: 'Sequences per forward pass; memory grows with it.',
  gradientAccumulation:
    'Forward passes summed into one update: a bigger effective batch without more memory.',
  maxSeqLength: 'Tokens per sequence; longer jokes are cut. Memory grows with it.',
  validationShare: 'Share of rows held out to measure validation loss (never trained on).',
  seed: 'Same seed, same data and settings give the same numbers.',
  weightDecay: 'AdamW weight decay on the adapter weights.',
  maxGradNorm: 'Gradients are scaled down when their global norm exceeds this.',
  evalEvery: 'Updates between validation passes.',
  patience: 'Stop after this many validations without improvement (0: never stop early); the best is kept.',
  checkpointEvery: 'Updates between checkpoints, which let a run resume after a reload.',
  funnyOnly:
    'With funny / not funny labels: train only on the funny jokes (on by default). Off: the not-funny ones are trained too, under <|not_funny|>.',
  balanceClasses: 'Give rare classes more weight so the classifier does not ignore them.',
  maxValidationItems: 'At most this many validation items are scored per validation pass.',
};

function fail(field: keyof TrainConfig, problem: string): never {
  throw new RangeError(`training setting "${field}": ${problem}`);
}

function positiveInteger(config: TrainConfig, field: keyof TrainConfig, min = 1): void {
  const value = config[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    fail(field, `must be an integer >= ${min}, got ${String(value)}`);
}

/** Merges over the defaults and checks every field. */
export function resolveTrainConfig(partial: Partial<TrainConfig>): TrainConfig {
  const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...partial };
  if (config.task !== 'generator' && config.task !== 'classifier')
    fail('task', `must be "generator" or "classifier", got ${String(config.task)}`);
  for (const field of ['rank', 'batchSize', 'gradientAccumulation', 'evalEvery', 'checkpointEvery'] as const)
    positiveInteger(config, field);
  for (const field of ['steps', 'epochs', 'warmupSteps', 'patience', 'seed'] as const)
    positiveInteger(config, field, 0);
  positiveInteger(config, 'maxSeqLength', 4);
  positiveInteger(config, 'maxValidationItems', 1);
  if (config.steps === 0 && config.epochs === 0)
    fail('steps', 'steps and epochs are both 0; set one of them');
  if (!(config.alpha > 0)) fail('alpha', `must be > 0, got ${config.alpha}`);
  if (!(config.dropout >= 0 && config.dropout < 1))
    fail('dropout', `must be in [0, 1), got ${config.dropout}`);
  if (!(config.learningRate > 0 && config.learningRate < 1))
    fail('learningRate', `must be in (0, 1), got ${config.learningRate}`);
  if (!(config.validationShare > 0 && config.validationShare < 0.9))
    fail('validationShare', `must be in (0, 0.9), got ${config.validationShare}`);
  if (!(config.weightDecay >= 0)) fail('weightDecay', `must be >= 0, got ${config.weightDecay}`);
  if (!(config.maxGradNorm > 0)) fail('maxGradNorm', `must be > 0, got ${config.maxGradNorm}`);
  if (!['constant', 'linear', 'cosine'].includes(config.schedule))
    fail('schedule', `must be constant, linear or cosine, got ${String(config.schedule)}`);
  if (config.targets.length === 0) fail('targets', 'name at least one module (e.g. q, v)');
  return config;
}
