/**
 * LoRA fine-tuning benchmark: optimizer updates per second of the Punchline trainer (src/train, on
 * onnxruntime-node: train-step graph, gradient clipping, AdamW) beside PyTorch + PEFT on CPU with the same
 * model shape, rank, target modules, batch, sequence length and threads. Models: the default
 * punchline-tiny shape and a SmolLM2-135M-shaped Llama, random weights. Each case runs in its own process
 * so that its peak RSS is its own.
 *
 *   npx tsx bench/train.ts [--models tiny,smollm2] [--batch 4] [--seq 128] [--threads 1] [--steps 4]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseModelConfig } from '../src/engine/arch/config.ts';
import { initParameters } from '../src/engine/arch/init.ts';
import { parameterCount } from '../src/engine/arch/params.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { loadTokenizerFromDirectory } from '../src/tokenizer/load-node.ts';
import { bindBaseWeights } from '../src/train/prepare.ts';
import { train } from '../src/train/trainer.ts';

const MODELS: Record<string, Record<string, unknown>> = {
  tiny: JSON.parse(readFileSync('public/models/punchline-tiny/config.json', 'utf8')) as Record<
    string,
    unknown
  >,
  smollm2: {
    model_type: 'llama',
    vocab_size: 49152,
    hidden_size: 576,
    intermediate_size: 1536,
    num_hidden_layers: 30,
    num_attention_heads: 9,
    num_key_value_heads: 3,
    max_position_embeddings: 2048,
    rms_norm_eps: 1e-5,
    rope_theta: 100000,
    tie_word_embeddings: true,
  },
};

interface CaseResult {
  engine: string;
  secondsPerStep: number;
  tokensPerSecond: number;
  peakRssMb: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Runs in a child process: warm-up + `steps` updates of the real trainer on synthetic packed text. */
async function engineCase(
  model: string,
  batch: number,
  seq: number,
  threads: number,
  steps: number,
): Promise<void> {
  const config = parseModelConfig(MODELS[model] as Record<string, unknown>);
  const weights = initParameters(config, 1);
  const tokenizer = loadTokenizerFromDirectory('public/models/punchline-tiny');
  const words = 'the cat sat on a mat and told the dog a joke about lunch while rain fell'.split(' ');
  const rows = Array.from({ length: 400 }, (_, i) => ({
    text: Array.from({ length: 40 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' '),
    label: null,
  }));
  const stamps: number[] = [];
  await train({
    runtime: nodeRuntime,
    model: { config, weights },
    base: await bindBaseWeights(nodeRuntime, { config, weights }, 'cpu'),
    tokenizer,
    rows,
    session: { intraOpNumThreads: threads },
    config: {
      steps: steps + 1,
      batchSize: batch,
      maxSeqLength: seq,
      evalEvery: 1000,
      checkpointEvery: 1000,
      maxValidationItems: 1,
      validationShare: 0.01,
    },
    onProgress: (p) => {
      if (p.kind === 'step') stamps.push(performance.now());
    },
  });
  const durations = stamps.slice(1).map((t, i) => (t - (stamps[i] as number)) / 1000);
  const seconds = median(durations);
  const result: CaseResult = {
    engine: 'punchline (onnxruntime-node)',
    secondsPerStep: seconds,
    tokensPerSecond: (batch * seq) / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(result));
}

function lastJsonLine(output: string): CaseResult {
  const line = output
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1);
  if (!line) throw new Error(`benchmark case printed no result:\n${output}`);
  return JSON.parse(line) as CaseResult;
}

function main(): void {
  const models = arg('models', 'tiny,smollm2').split(',');
  const batch = Number(arg('batch', '4'));
  const seq = Number(arg('seq', '128'));
  const threads = Number(arg('threads', '1'));
  const steps = Number(arg('steps', '4'));
  const self = fileURLToPath(import.meta.url);
  const rows: Record<string, string | number>[] = [];
  for (const model of models) {
    const shape = MODELS[model];
    if (!shape)
      throw new Error(`--models: unknown model "${model}"; expected ${Object.keys(MODELS).join(', ')}`);
    const params = parameterCount(parseModelConfig(shape));
    const common = ['--batch', String(batch), '--seq', String(seq), '--threads', String(threads)];
    const ours = lastJsonLine(
      execFileSync('npx', ['tsx', self, '--case', model, ...common, '--steps', String(steps)], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      }),
    );
    const torch = lastJsonLine(
      execFileSync(
        'python3',
        ['bench/train_peft.py', '--config', JSON.stringify(shape), ...common, '--steps', String(steps)],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      ),
    );
    for (const r of [ours, torch])
      rows.push({
        model: `${model} (${(params / 1e6).toFixed(1)}M)`,
        engine: r.engine,
        'ms/step': Math.round(r.secondsPerStep * 1000),
        'tokens/s': Math.round(r.tokensPerSecond),
        'peak RSS MiB': Math.round(r.peakRssMb),
      });
  }
  console.log(
    `LoRA r=8 alpha=16 on q,k,v,o; batch ${batch} × seq ${seq}; ${threads} thread(s); median of ${steps} updates`,
  );
  console.table(rows);
}

const caseModel = process.argv.indexOf('--case') >= 0 ? arg('case', '') : null;
if (caseModel)
  await engineCase(
    caseModel,
    Number(arg('batch', '4')),
    Number(arg('seq', '128')),
    Number(arg('threads', '1')),
    Number(arg('steps', '4')),
  );
else main();
