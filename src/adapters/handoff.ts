/**
 * "Continue on a GPU cluster": a zip that carries a LoRA job to the Python PEFT stack — the dataset version
 * as JSONL, adapter_config.json, training.json (hyperparameters), a fixed train_lora.py (transformers + PEFT +
 * Accelerate) and a README with the exact commands. Pure: bytes in, bytes out.
 */
import { adapterConfigJson } from '../formats/peft/config.ts';
import { writeZip } from '../formats/peft/zip.ts';
import { TRAIN_SCRIPT } from './handoff-script.ts';

export type HandoffSchedule = 'constant' | 'linear' | 'cosine';

export interface HandoffExample {
  text: string;
  /** Language tag token, e.g. "<|en|>". */
  languageTag: string;
  /** Control code the joke is conditioned on, e.g. "<|funny|>". */
  control: string;
  split: 'train' | 'validation';
}

export interface HandoffRequest {
  jobName: string;
  arch: 'llama' | 'gpt2';
  baseModel: { name: string; contentHash: string };
  dataset: { versionId: string; name: string; rows: number };
  examples: readonly HandoffExample[];
  lora: { rank: number; alpha: number; dropout: number; targets: readonly string[] };
  training: {
    learningRate: number;
    warmupSteps: number;
    schedule: HandoffSchedule;
    /** Optimizer updates; 0 means run `epochs` passes. */
    steps: number;
    epochs: number;
    batchSize: number;
    gradientAccumulation: number;
    maxSeqLength: number;
    seed: number;
    weightDecay: number;
    maxGradNorm: number;
    maxValidationItems: number;
  };
  /** Token that ends every joke. */
  endToken: string;
}

export interface GpuHandoff {
  files: Record<string, Uint8Array>;
  zip: Uint8Array;
}

/** Versions the generated script was tested with (tests/python/test_gpu_handoff.py). */
export const HANDOFF_PIP_LINE =
  'pip install torch transformers==5.25.0 peft==0.21.2 accelerate==1.16.0 safetensors';

const LLAMA_SHORT: Record<string, string> = {
  q: 'q_proj',
  k: 'k_proj',
  v: 'v_proj',
  o: 'o_proj',
  gate: 'gate_proj',
  up: 'up_proj',
  down: 'down_proj',
};

/** PEFT target_modules from the trainer's names (Llama accepts q, k, v, o, gate, up, down). */
export function peftTargets(arch: HandoffRequest['arch'], targets: readonly string[]): string[] {
  return [...new Set(targets.map((t) => (arch === 'llama' ? (LLAMA_SHORT[t] ?? t) : t)))];
}

function check(request: HandoffRequest): void {
  const fail = (field: string, problem: string): never => {
    throw new RangeError(`GPU handoff: ${field} ${problem}`);
  };
  const { lora, training } = request;
  if (!Number.isInteger(lora.rank) || lora.rank < 1)
    fail('lora.rank', `must be an integer >= 1, got ${lora.rank}`);
  if (!(lora.alpha > 0)) fail('lora.alpha', `must be > 0, got ${lora.alpha}`);
  if (!(lora.dropout >= 0 && lora.dropout < 1))
    fail('lora.dropout', `must be in [0, 1), got ${lora.dropout}`);
  if (lora.targets.length === 0) fail('lora.targets', 'is empty; name at least one module');
  if (!(training.learningRate > 0))
    fail('training.learningRate', `must be > 0, got ${training.learningRate}`);
  if (training.steps === 0 && training.epochs === 0) fail('training.steps', 'and training.epochs are both 0');
  if (!request.examples.some((e) => e.split === 'train'))
    fail('examples', 'hold no training rows; the dataset version has no usable jokes');
  request.examples.forEach((e, i) => {
    if (e.text.trim() === '') fail(`examples[${i}].text`, 'is empty');
  });
}

const encoder = new TextEncoder();
const jsonBytes = (value: unknown): Uint8Array => encoder.encode(`${JSON.stringify(value, null, 2)}\n`);

function jsonl(examples: readonly HandoffExample[], split: HandoffExample['split']): Uint8Array {
  const lines = examples
    .filter((e) => e.split === split)
    .map((e) => JSON.stringify({ text: e.text, language_tag: e.languageTag, control: e.control }));
  return encoder.encode(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
}

/** training.json: what train_lora.py reads besides the data and adapter_config.json. */
function trainingJson(request: HandoffRequest): Record<string, unknown> {
  const t = request.training;
  return {
    job_name: request.jobName,
    base_model: request.baseModel,
    dataset: request.dataset,
    learning_rate: t.learningRate,
    warmup_steps: t.warmupSteps,
    schedule: t.schedule,
    steps: t.steps,
    epochs: t.epochs,
    batch_size: t.batchSize,
    gradient_accumulation: t.gradientAccumulation,
    max_seq_length: t.maxSeqLength,
    seed: t.seed,
    weight_decay: t.weightDecay,
    max_grad_norm: t.maxGradNorm,
    max_validation_items: t.maxValidationItems,
    end_token: request.endToken,
    log_every: 10,
  };
}

function readme(request: HandoffRequest, trainRows: number, validationRows: number): string {
  const { baseModel, dataset, lora, training: t } = request;
  const length = t.steps > 0 ? `${t.steps} updates` : `${t.epochs} epoch(s)`;
  return `# ${request.jobName}: continue this LoRA job on a GPU machine

Exported by Punchline. The job: a LoRA adapter (r=${lora.rank}, alpha=${lora.alpha}, dropout=${lora.dropout},
targets ${peftTargets(request.arch, lora.targets).join(', ')}) on the base model **${baseModel.name}**
(content hash \`${baseModel.contentHash}\`), trained on dataset "${dataset.name}" version \`${dataset.versionId}\`
(${trainRows} training and ${validationRows} validation jokes), AdamW lr ${t.learningRate} with ${t.warmupSteps}
warm-up updates and a ${t.schedule} schedule, ${length}, batch ${t.batchSize} × ${t.gradientAccumulation}
accumulation per GPU, ${t.maxSeqLength} tokens per window, seed ${t.seed}.

## Files
- \`data/train.jsonl\`, \`data/validation.jsonl\`: one joke per line: \`text\`, \`language_tag\`, \`control\`
- \`adapter_config.json\`: the PEFT LoRA configuration
- \`training.json\`: the hyperparameters above
- \`train_lora.py\`: transformers + PEFT + Accelerate; writes a PEFT adapter folder

## Setup
You need the base model as a Hugging Face folder (config.json, model.safetensors, tokenizer.json,
tokenizer_config.json); for Punchline's bundled model that is \`public/models/punchline-tiny\` of the Punchline
repository. Then:

    python -m venv .venv && . .venv/bin/activate
    ${HANDOFF_PIP_LINE}

## Run
Several GPUs on one machine (one process per GPU; the effective batch grows with the GPU count):

    accelerate launch --multi_gpu --num_processes 8 train_lora.py --base-model /path/to/base --output adapter

One GPU:

    accelerate launch --num_processes 1 train_lora.py --base-model /path/to/base --output adapter

CPU only (slow; a smoke test of a few updates):

    accelerate launch --cpu --num_processes 1 train_lora.py --base-model /path/to/base --output adapter --max-steps 5

Several machines: run \`accelerate config\` once per machine, then \`accelerate launch train_lora.py ...\` on each.

## Bring the result back
\`adapter/\` holds adapter_config.json and adapter_model.safetensors (PEFT format), plus training_result.json.
In Punchline open **Train & Adapters → Adapters → Import**, load the same base model, and pick those two files
(or a zip of the folder). Punchline checks the adapter against the loaded base model before storing it.
`;
}

export function buildGpuHandoff(request: HandoffRequest): GpuHandoff {
  check(request);
  const trainRows = request.examples.filter((e) => e.split === 'train').length;
  const adapterConfig = adapterConfigJson({
    taskType: 'CAUSAL_LM',
    rank: request.lora.rank,
    alpha: request.lora.alpha,
    dropout: request.lora.dropout,
    targetModules: peftTargets(request.arch, request.lora.targets),
    baseModelNameOrPath: request.baseModel.name,
    fanInFanOut: request.arch === 'gpt2',
  });
  const files: Record<string, Uint8Array> = {
    'README.md': encoder.encode(readme(request, trainRows, request.examples.length - trainRows)),
    'train_lora.py': encoder.encode(TRAIN_SCRIPT),
    'adapter_config.json': jsonBytes({ ...adapterConfig, inference_mode: false }),
    'training.json': jsonBytes(trainingJson(request)),
    'data/train.jsonl': jsonl(request.examples, 'train'),
    'data/validation.jsonl': jsonl(request.examples, 'validation'),
  };
  return { files, zip: writeZip(files) };
}
