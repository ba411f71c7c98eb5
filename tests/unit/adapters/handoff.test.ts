import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildGpuHandoff, peftTargets, type HandoffRequest } from '../../../src/adapters/handoff.ts';
import { TRAIN_SCRIPT } from '../../../src/adapters/handoff-script.ts';

const request: HandoffRequest = {
  jobName: 'cats',
  arch: 'llama',
  baseModel: { name: 'punchline-tiny', contentHash: 'abc123' },
  dataset: { versionId: 'v3', name: 'cat jokes', rows: 3 },
  examples: [
    { text: 'A cat walks into a bar.', languageTag: '<|en|>', control: '<|funny|>', split: 'train' },
    { text: '猫走进了酒吧。', languageTag: '<|zh|>', control: '<|funny|>', split: 'train' },
    { text: 'The bar is closed.', languageTag: '<|en|>', control: '<|not_funny|>', split: 'validation' },
  ],
  lora: { rank: 8, alpha: 16, dropout: 0.05, targets: ['q', 'k', 'v', 'o'] },
  training: {
    learningRate: 0.002,
    warmupSteps: 10,
    schedule: 'cosine',
    steps: 0,
    epochs: 3,
    batchSize: 8,
    gradientAccumulation: 2,
    maxSeqLength: 64,
    seed: 1,
    weightDecay: 0,
    maxGradNorm: 1,
    maxValidationItems: 256,
  },
  endToken: '<|endofjoke|>',
};

describe('buildGpuHandoff', () => {
  it('writes the data as JSONL per split, the PEFT config, the hyperparameters, the script and a README', () => {
    const { files, zip } = buildGpuHandoff(request);
    expect(Object.keys(unzipSync(zip)).sort()).toEqual(Object.keys(files).sort());
    const train = strFromU8(files['data/train.jsonl']!)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(train).toEqual([
      { text: 'A cat walks into a bar.', language_tag: '<|en|>', control: '<|funny|>' },
      { text: '猫走进了酒吧。', language_tag: '<|zh|>', control: '<|funny|>' },
    ]);
    expect(strFromU8(files['data/validation.jsonl']!).trim().split('\n')).toHaveLength(1);
    const config = JSON.parse(strFromU8(files['adapter_config.json']!));
    expect(config).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      r: 8,
      lora_alpha: 16,
      lora_dropout: 0.05,
      target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'],
      fan_in_fan_out: false,
      inference_mode: false,
    });
    expect(JSON.parse(strFromU8(files['training.json']!))).toMatchObject({
      epochs: 3,
      gradient_accumulation: 2,
      schedule: 'cosine',
      end_token: '<|endofjoke|>',
    });
    expect(strFromU8(files['train_lora.py']!)).toBe(TRAIN_SCRIPT);
    const readme = strFromU8(files['README.md']!);
    expect(readme).toContain('accelerate launch --multi_gpu --num_processes 8 train_lora.py --base-model');
    expect(readme).toContain('accelerate launch --cpu --num_processes 1 train_lora.py');
    expect(readme).toContain('(2 training and 1 validation jokes)');
  });

  it('maps GPT-2 without renaming and turns fan_in_fan_out on', () => {
    const { files } = buildGpuHandoff({
      ...request,
      arch: 'gpt2',
      lora: { ...request.lora, targets: ['c_attn', 'c_attn'] },
    });
    expect(JSON.parse(strFromU8(files['adapter_config.json']!))).toMatchObject({
      target_modules: ['c_attn'],
      fan_in_fan_out: true,
    });
    expect(peftTargets('llama', ['gate', 'up_proj'])).toEqual(['gate_proj', 'up_proj']);
  });

  it('names the field at fault', () => {
    expect(() => buildGpuHandoff({ ...request, lora: { ...request.lora, rank: 0 } })).toThrow(
      /lora\.rank must be an integer >= 1, got 0/,
    );
    expect(() => buildGpuHandoff({ ...request, examples: request.examples.slice(2) })).toThrow(
      /examples hold no training rows/,
    );
    expect(() =>
      buildGpuHandoff({ ...request, training: { ...request.training, steps: 0, epochs: 0 } }),
    ).toThrow(/training\.steps and training\.epochs are both 0/);
  });
});
