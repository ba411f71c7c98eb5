/** A stored dataset version + training settings -> the "continue on a GPU cluster" request. */
import { buildGpuHandoff, type HandoffRequest } from '../../adapters/handoff.ts';
import type { DatasetVersion } from '../../storage/index.ts';
import { END_OF_JOKE, LANGUAGE_TAGS } from '../../tokenizer/special-tokens.ts';
import { resolveTrainConfig } from '../../train/config.ts';
import { planLabels, splitExamples, toExamples, type Example } from '../../train/examples.ts';
import { WorkerError } from '../errors.ts';
import type { StoredBase } from './base-model.ts';
import type { HandoffPayload } from './types.ts';

export function handoffRequest(
  payload: HandoffPayload,
  base: StoredBase,
  version: DatasetVersion,
): HandoffRequest {
  let config;
  try {
    config = resolveTrainConfig({ ...payload.settings, task: 'generator' });
  } catch (error) {
    throw new WorkerError('InvalidRequest', (error as Error).message);
  }
  const rows = version.rows.map((r) => ({ text: r.text, label: r.label }));
  try {
    const examples = toExamples(rows, planLabels(rows, 'generator', config.funnyOnly), 'generator');
    const split = splitExamples(examples, config.validationShare, config.seed);
    const tag = (e: Example, s: 'train' | 'validation') => ({
      text: e.text,
      languageTag: LANGUAGE_TAGS[e.language],
      control: e.control,
      split: s,
    });
    return {
      jobName: payload.jobName.trim() || `${version.name} LoRA`,
      arch: base.config.arch,
      baseModel: { name: base.manifest.name, contentHash: base.contentHash },
      dataset: { versionId: version.id, name: version.name, rows: version.rows.length },
      examples: [
        ...split.train.map((e) => tag(e, 'train')),
        ...split.validation.map((e) => tag(e, 'validation')),
      ],
      lora: { rank: config.rank, alpha: config.alpha, dropout: config.dropout, targets: config.targets },
      training: {
        learningRate: config.learningRate,
        warmupSteps: config.warmupSteps,
        schedule: config.schedule,
        steps: config.steps,
        epochs: config.epochs,
        batchSize: config.batchSize,
        gradientAccumulation: config.gradientAccumulation,
        maxSeqLength: config.maxSeqLength,
        seed: config.seed,
        weightDecay: config.weightDecay,
        maxGradNorm: config.maxGradNorm,
        maxValidationItems: config.maxValidationItems,
      },
      endToken: END_OF_JOKE,
    };
  } catch (error) {
    if (error instanceof WorkerError) throw error;
    throw new WorkerError('InvalidRequest', `Dataset "${version.name}": ${(error as Error).message}`);
  }
}

export function handoffZip(payload: HandoffPayload, base: StoredBase, version: DatasetVersion): Uint8Array {
  return buildGpuHandoff(handoffRequest(payload, base, version)).zip;
}
