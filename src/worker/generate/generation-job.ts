/**
 * One generate request: frames the prompt the way the model was loaded for (prompt-framing.ts), runs the KV-cache
 * loop with every candidate in one batch, turns tokens into complete characters per candidate, and checks every candidate's
 * text with the safety lexicons as it grows; a candidate that fails stops streaming and is held back.
 */
import { checkSafety } from '../../data/audit/safety.ts';
import {
  generateTokens,
  type FinishReason,
  type GenerateResult as LoopResult,
} from '../../runtime/generate.ts';
import { StreamingDecoder } from '../../tokenizer/index.ts';
import { WorkerError } from '../errors.ts';
import type { DecoderModel } from './decoder-model.ts';
import type {
  Candidate,
  CandidateUpdate,
  GeneratePayload,
  GenerateProgress,
  GenerateResult,
} from './types.ts';

export const MAX_CANDIDATES = 8;

export interface JobHooks {
  signal: AbortSignal;
  /** Awaited between steps: lets a cancel arrive, and throws once it has. */
  checkpoint(): Promise<void>;
  onProgress(progress: GenerateProgress): void;
  now?: () => number;
  /** Weights to bind instead of the model's base weights (an adapter merged in). */
  weights?: DecoderModel['weights'];
}

export type CandidateDraft = Omit<Candidate, 'historyId'>;

export type GenerationOutcome = Omit<GenerateResult, 'candidates' | 'backend' | 'ranking'> & {
  candidates: CandidateDraft[];
};

export function validatePayload(payload: GeneratePayload, maxPositions: number): void {
  const fail = (message: string) => {
    throw new WorkerError('InvalidRequest', message);
  };
  if (!Number.isInteger(payload.candidates) || payload.candidates < 1 || payload.candidates > MAX_CANDIDATES)
    fail(
      `Number of candidates must be a whole number from 1 to ${MAX_CANDIDATES}; got ${payload.candidates}.`,
    );
  if (
    !Number.isInteger(payload.maxNewTokens) ||
    payload.maxNewTokens < 1 ||
    payload.maxNewTokens >= maxPositions
  )
    fail(`Max new tokens must be a whole number from 1 to ${maxPositions - 1}; got ${payload.maxNewTokens}.`);
  if (!Number.isInteger(payload.seed) || payload.seed < 0 || payload.seed > 0xffffffff)
    fail(`Seed must be a whole number from 0 to 4294967295; got ${payload.seed}.`);
}

/** The request as token ids: `<|lang|><|control|>opening`, a chat turn, or the opening alone. */
export function promptIds(model: DecoderModel, payload: GeneratePayload): number[] {
  return model.framing.promptIds(payload);
}

export async function runGeneration(
  model: DecoderModel,
  payload: GeneratePayload,
  hooks: JobHooks,
): Promise<GenerationOutcome> {
  validatePayload(payload, model.config.maxPositions);
  const prompt = promptIds(model, payload);
  // A chat answer stands alone; a continuation is the joke only together with its opening.
  const opening = model.framing.info.continuesPrompt ? payload.prompt : '';
  const count = payload.candidates;
  const decoders = Array.from(
    { length: count },
    () => new StreamingDecoder(model.tokenizer, { skipSpecialTokens: true }),
  );
  const continuations = Array.from({ length: count }, () => '');
  const tokens = new Array<number>(count).fill(0);
  const held: (string[] | null)[] = new Array<string[] | null>(count).fill(null);
  const endMs = new Array<number>(count).fill(0);
  const running = new Set(Array.from({ length: count }, (_, i) => i));
  const check = (c: number) => checkSafety(opening + (continuations[c] ?? ''), payload.strictness);

  const stream = generateTokens(model.session, model.runtime.tensors, model.spec, {
    prompts: Array.from({ length: count }, () => prompt),
    maxNewTokens: payload.maxNewTokens,
    eosTokenIds: model.framing.eosTokenIds,
    sampling: payload.sampling,
    seed: payload.seed,
    signal: hooks.signal,
    boundInputs: hooks.weights ?? model.weights,
    ...(hooks.now ? { now: hooks.now } : {}),
  });
  let timeToFirstTokenMs: number | null = null;
  let lastStepMs = 0;
  let tokensAfterFirst = 0;
  let stopped = false;
  let summary: LoopResult | null = null;
  try {
    for (;;) {
      const next = await stream.next();
      if (next.done) {
        summary = next.value;
        break;
      }
      const step = next.value;
      if (timeToFirstTokenMs === null) timeToFirstTokenMs = step.elapsedMs;
      else tokensAfterFirst += step.tokens.length;
      lastStepMs = step.elapsedMs;
      const updates: CandidateUpdate[] = [];
      const active = new Set(step.tokens.map((t) => t.candidate));
      for (const c of running) {
        endMs[c] = step.elapsedMs;
        if (!active.has(c)) running.delete(c);
      }
      for (const { candidate: c, token } of step.tokens) {
        const piece = (decoders[c] as StreamingDecoder).push(token);
        continuations[c] += piece;
        tokens[c] = (tokens[c] ?? 0) + 1;
        const update: CandidateUpdate = { candidate: c, text: '', tokens: tokens[c] ?? 0 };
        if (held[c] === null && piece !== '') {
          const verdict = check(c);
          if (verdict.ok) update.text = piece;
          else held[c] = update.heldReasons = verdict.reasons;
        }
        updates.push(update);
      }
      hooks.onProgress({ step: step.step, elapsedMs: step.elapsedMs, timeToFirstTokenMs, updates });
      try {
        await hooks.checkpoint();
      } catch (error) {
        if (!hooks.signal.aborted) throw error;
        stopped = true;
        break;
      }
    }
  } finally {
    // Closing the generator runs its cleanup (the KV cache is freed) when the loop was left early.
    if (stopped) await stream.return(undefined as never);
  }
  const finish = (c: number): Candidate['finish'] => {
    const reason: FinishReason | undefined = summary?.finishReasons[c];
    return reason === 'eos' ? 'eos' : reason === 'length' ? 'length' : 'stopped';
  };
  const candidates = continuations.map((text, c): CandidateDraft => {
    const continuation = text + (decoders[c] as StreamingDecoder).finish();
    continuations[c] = continuation;
    return {
      index: c,
      text: opening + continuation,
      continuation,
      tokens: tokens[c] ?? 0,
      ms: endMs[c] ?? 0,
      finish: finish(c),
      safety: check(c),
    };
  });
  const decodeMs = timeToFirstTokenMs === null ? 0 : lastStepMs - timeToFirstTokenMs;
  return {
    candidates,
    timeToFirstTokenMs,
    tokensPerSecond: decodeMs > 0 ? (tokensAfterFirst * 1000) / decodeMs : null,
    totalMs: summary?.totalMs ?? lastStepMs,
    stopped: stopped || hooks.signal.aborted,
  };
}
