/**
 * The generate benchmark case, shared by Node (onnxruntime-node) and the browser page (onnxruntime-web): the
 * app's own model set-up (createDecoderModel: weights bound once, KV cache on the GPU under WebGPU) and the
 * runtime's KV-cache loop, timed for time to first token and decode tokens/s.
 */
import { generate } from '../src/runtime/generate.ts';
import type { Runtime } from '../src/runtime/types.ts';
import { createDecoderModel } from '../src/worker/generate/decoder-model.ts';

export interface GenerateBenchOptions {
  /** Candidates decoded together as one batch. */
  batch: number;
  newTokens: number;
  runs: number;
}

export interface GenerateBenchResult {
  provider: string;
  batch: number;
  promptTokens: number;
  newTokens: number;
  /** Medians over the timed runs (one untimed warm-up run first). */
  timeToFirstTokenMs: number;
  decodeTokensPerSecond: number;
  loadMs: number;
  /** The decode graph's inputs beside the Hugging Face ones, and the id element type. */
  graph: { idType: string; extraInputs: number; firstExtraInput: string | null };
}

export const BENCH_PROMPT = 'Why did the programmer quit his job? Because';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const HF_INPUT = /^(input_ids|attention_mask|position_ids|past_key_values\.\d+\.(key|value))$/;

export async function benchGenerate(
  runtime: Runtime,
  files: ReadonlyMap<string, ArrayBuffer>,
  provider: 'cpu' | 'wasm' | 'webgpu',
  options: GenerateBenchOptions,
): Promise<GenerateBenchResult> {
  const started = performance.now();
  const model = await createDecoderModel('punchline-tiny', files, runtime, provider);
  const loadMs = performance.now() - started;
  try {
    const prompt = model.framing.promptIds({ prompt: BENCH_PROMPT, language: 'en', control: 'funny' });
    const run = (seed: number) =>
      generate(model.session, runtime.tensors, model.spec, {
        prompts: Array.from({ length: options.batch }, () => prompt),
        maxNewTokens: options.newTokens,
        // No end-of-joke stop: every run decodes exactly newTokens steps.
        eosTokenIds: [],
        sampling: { temperature: 0.8, topK: 50, topP: 0.95, repetitionPenalty: 1.1 },
        seed,
        boundInputs: model.weights,
      });
    await run(0);
    const ttft: number[] = [];
    const rate: number[] = [];
    for (let i = 1; i <= options.runs; i++) {
      const result = await run(i);
      ttft.push(result.timeToFirstTokenMs ?? NaN);
      rate.push(result.decodeTokensPerSecond ?? NaN);
    }
    const extra = model.session.inputs.filter((input) => !HF_INPUT.test(input.name));
    return {
      provider: model.session.executionProvider,
      batch: options.batch,
      promptTokens: prompt.length,
      newTokens: options.newTokens,
      timeToFirstTokenMs: median(ttft),
      decodeTokensPerSecond: median(rate),
      loadMs,
      graph: {
        idType: model.spec.idType,
        extraInputs: extra.length,
        firstExtraInput: extra[0]?.name ?? null,
      },
    };
  } finally {
    await model.dispose();
  }
}
