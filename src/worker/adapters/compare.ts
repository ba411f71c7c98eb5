/**
 * Side-by-side generation for the library's compare view: the same prompts, seed and sampling through the
 * base model with adapter A and with adapter B (or no adapter). Each side gets a decode graph with its LoRA
 * tensors as inputs; the base weights are bound once and shared by both sessions.
 */
import { bindModelWeights } from '../../models/bind-weights.ts';
import { checkSafety } from '../../data/audit/safety.ts';
import type { ModelConfig } from '../../engine/arch/config.ts';
import { buildDecodeGraph } from '../../engine/graphs/decode.ts';
import { exportOnnx } from '../../engine/onnx/serialize.ts';
import type { PeftAdapter } from '../../formats/peft/index.ts';
import { decodeSpecFromSession, kvCacheOnGpu } from '../../runtime/decode-io.ts';
import { generate } from '../../runtime/generate.ts';
import type { OrtTensor, Runtime } from '../../runtime/types.ts';
import { releaseWeights } from '../../runtime/weights.ts';
import type { PunchlineTokenizer } from '../../tokenizer/index.ts';
import { WorkerError } from '../errors.ts';
import type { ComparePayload, CompareRow } from './types.ts';

export interface CompareModel {
  config: ModelConfig;
  weights: ReadonlyMap<string, Float32Array>;
  tokenizer: PunchlineTokenizer;
}

export interface CompareHooks {
  signal: AbortSignal;
  checkpoint(): Promise<void>;
  onPrompt(done: number, total: number): void;
}

function promptIds(tokenizer: PunchlineTokenizer, payload: ComparePayload, prompt: string): number[] {
  const control = payload.control === 'funny' ? tokenizer.controlIds.funny : tokenizer.controlIds.notFunny;
  const body = prompt === '' ? [] : tokenizer.encode(prompt);
  const special = new Set(tokenizer.specialIds.values());
  if (body.some((id) => special.has(id)))
    throw new WorkerError('InvalidRequest', `The prompt "${prompt}" contains a control token; remove it.`);
  return [tokenizer.languageIds[payload.language], control, ...body];
}

function loraFeeds(runtime: Runtime, adapter: PeftAdapter | null): Record<string, OrtTensor> {
  const feeds: Record<string, OrtTensor> = {};
  for (const [name, tensor] of adapter?.tensors ?? [])
    feeds[name] = runtime.tensors.float32(tensor.data, tensor.shape);
  return feeds;
}

/** The Generate area's rule: an output that fails the safety lexicons is held back, with the reason. */
function screened(text: string): string {
  const verdict = checkSafety(text);
  return verdict.ok ? text : `[held back: ${verdict.reasons.join('; ')}]`;
}

/** Generates every prompt with A, then with B; returns decoded texts side by side. */
export async function compareGenerations(
  runtime: Runtime,
  provider: 'webgpu' | 'wasm' | 'cpu',
  model: CompareModel,
  adapters: { a: PeftAdapter | null; b: PeftAdapter | null },
  payload: ComparePayload,
  hooks: CompareHooks,
): Promise<CompareRow[]> {
  if (payload.prompts.length === 0)
    throw new WorkerError('InvalidRequest', 'Give at least one prompt to compare.');
  for (const adapter of [adapters.a, adapters.b]) {
    if (adapter && adapter.config.taskType !== 'CAUSAL_LM')
      throw new WorkerError(
        'InvalidRequest',
        'A classifier adapter does not generate text; compare generator adapters.',
      );
  }
  const onGpu = provider === 'webgpu';
  const { config, tokenizer } = model;
  const bound = await bindModelWeights(
    runtime,
    { config, weights: model.weights },
    onGpu ? 'gpu-buffer' : 'cpu',
  );
  const texts: { a: string[]; b: string[] } = { a: [], b: [] };
  const total = payload.prompts.length * 2;
  let done = 0;
  try {
    for (const side of ['a', 'b'] as const) {
      const adapter = adapters[side];
      const graph = buildDecodeGraph(config, {
        weights: { kind: 'inputs' },
        ...(adapter
          ? {
              lora: {
                rank: adapter.config.rank,
                alpha: adapter.config.alpha,
                targets: adapter.config.targetModules,
              },
            }
          : {}),
      });
      const session = await runtime.createSession(exportOnnx(graph), {
        label: `decode graph (${adapter ? 'adapter' : 'base'} ${side.toUpperCase()})`,
        executionProviders: [provider],
        ...(onGpu ? { preferredOutputLocation: kvCacheOnGpu(config.numLayers) } : {}),
      });
      try {
        const spec = decodeSpecFromSession(session, config.maxPositions);
        const boundInputs = { ...bound, ...loraFeeds(runtime, adapter) };
        for (const prompt of payload.prompts) {
          await hooks.checkpoint();
          const result = await generate(session, runtime.tensors, spec, {
            prompts: [promptIds(tokenizer, payload, prompt)],
            maxNewTokens: payload.maxNewTokens,
            eosTokenIds: [tokenizer.endOfJokeId],
            sampling: payload.sampling,
            seed: payload.seed,
            signal: hooks.signal,
            boundInputs,
          });
          texts[side].push(screened(prompt + tokenizer.decode(result.sequences[0] ?? [])));
          hooks.onPrompt(++done, total);
        }
      } finally {
        await session.dispose();
      }
    }
  } finally {
    releaseWeights(bound);
  }
  return payload.prompts.map((prompt, i) => ({ prompt, a: texts.a[i] ?? '', b: texts.b[i] ?? '' }));
}
