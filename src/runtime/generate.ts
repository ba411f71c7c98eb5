import { emptyPast, idTensor, presentsAsPast, type DecodeSpec } from './decode-io.ts';
import { Rng } from './rng.ts';
import { sampleToken, validateSamplingSettings, type SamplingSettings } from './sampling.ts';
import { disposeTensors, readFloat32 } from './tensors.ts';
import type { OrtTensor, TensorFactory } from './types.ts';

/** The slice of a session the loop needs; a ModelSession fits, and so does a test double that records feeds. */
export interface DecodeSession {
  readonly label: string;
  run(feeds: Readonly<Record<string, OrtTensor>>): Promise<Record<string, OrtTensor>>;
}

export interface GenerateOptions {
  /** One prompt per candidate (batch = prompts.length); shorter prompts are left-padded and masked. */
  prompts: readonly (readonly number[])[];
  maxNewTokens: number;
  eosTokenIds: readonly number[];
  /** Fed for padding and for candidates that already finished; default: the first EOS id, else 0. */
  padTokenId?: number;
  sampling: SamplingSettings;
  /** Candidate i draws from stream i of this seed: same seed + settings + model = same tokens. */
  seed: number;
  signal?: AbortSignal;
  /** Fed unchanged at every step: base weights bound once (see weights.ts) and LoRA tensors, by input name. */
  boundInputs?: Readonly<Record<string, OrtTensor>>;
  /** Clock in milliseconds; defaults to performance.now. */
  now?: () => number;
}

export type FinishReason = 'eos' | 'length' | 'aborted';

export interface GenerateStep {
  /** 0 for the token sampled from the prompt pass. */
  step: number;
  /** The tokens sampled this step by candidates still running (EOS is not emitted). */
  tokens: Array<{ candidate: number; token: number }>;
  elapsedMs: number;
}

export interface GenerateResult {
  /** Generated tokens per candidate, without the prompt and without the final EOS. */
  sequences: number[][];
  finishReasons: FinishReason[];
  /** Session runs: 1 for the prompt, then 1 per further token. */
  steps: number;
  generatedTokens: number;
  timeToFirstTokenMs: number | null;
  /** Tokens (all candidates) per second after the first step, i.e. steady-state decoding without the prompt pass. */
  decodeTokensPerSecond: number | null;
  totalMs: number;
}

function validate(options: GenerateOptions, spec: DecodeSpec): void {
  const { prompts, maxNewTokens } = options;
  if (prompts.length === 0) throw new RangeError('generate: give at least one prompt');
  prompts.forEach((p, i) => {
    if (p.length === 0)
      throw new RangeError(`generate: prompt ${i} is empty; start it with a BOS token or some text`);
    if (p.some((t) => !Number.isInteger(t) || t < 0))
      throw new RangeError(`generate: prompt ${i} holds a token id that is not a non-negative integer`);
  });
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1)
    throw new RangeError(`generate: maxNewTokens must be an integer >= 1, got ${maxNewTokens}`);
  const longest = Math.max(...prompts.map((p) => p.length));
  if (spec.maxPositions !== undefined && longest >= spec.maxPositions) {
    throw new RangeError(
      `generate: prompt of ${longest} tokens leaves no room in the ${spec.maxPositions}-token context; shorten it`,
    );
  }
  validateSamplingSettings(options.sampling);
}

/**
 * Streams tokens from a decode graph. The prompt runs once; every later step feeds exactly one new token per
 * candidate and passes present.N back as past_key_values.N, so the prompt is never recomputed. When the
 * session keeps outputs on the GPU (preferredOutputLocation 'gpu-buffer'), the cache never leaves the device
 * and replaced cache tensors are disposed each step.
 */
export async function* generateTokens(
  session: DecodeSession,
  tensors: TensorFactory,
  spec: DecodeSpec,
  options: GenerateOptions,
): AsyncGenerator<GenerateStep, GenerateResult> {
  validate(options, spec);
  const now = options.now ?? (() => performance.now());
  const start = now();
  const batch = options.prompts.length;
  const eos = new Set(options.eosTokenIds);
  const pad = options.padTokenId ?? options.eosTokenIds[0] ?? 0;
  const promptLength = Math.max(...options.prompts.map((p) => p.length));
  const room = spec.maxPositions === undefined ? Infinity : spec.maxPositions - promptLength;
  const maxSteps = Math.min(options.maxNewTokens, room);

  const rngs = options.prompts.map((_, i) => Rng.seeded(options.seed, i));
  const histories = options.prompts.map((p) => [...p]);
  const sequences: number[][] = options.prompts.map(() => []);
  const finishReasons: Array<FinishReason | null> = options.prompts.map(() => null);

  // Left padding: row b = [pad × (L − len_b), prompt_b]; mask 0 on pads; positions count real tokens only.
  const mask: number[][] = options.prompts.map((p) => [
    ...new Array<number>(promptLength - p.length).fill(0),
    ...new Array<number>(p.length).fill(1),
  ]);
  const nextPosition = options.prompts.map((p) => p.length);
  let inputIds = options.prompts.flatMap((p) => [
    ...new Array<number>(promptLength - p.length).fill(pad),
    ...p,
  ]);
  let positions = options.prompts.flatMap((p) => [
    ...new Array<number>(promptLength - p.length).fill(0),
    ...p.map((_, i) => i),
  ]);
  let seqLength = promptLength;
  let past = emptyPast(tensors, spec, batch);
  let pastLength = 0;

  let steps = 0;
  let generated = 0;
  let firstTokenAt: number | null = null;
  let tokensAfterFirst = 0;
  const aborted = () => options.signal?.aborted === true;

  try {
    while (steps < maxSteps && finishReasons.some((r) => r === null) && !aborted()) {
      const feeds: Record<string, OrtTensor> = {
        ...options.boundInputs,
        input_ids: idTensor(tensors, spec, inputIds, [batch, seqLength]),
        attention_mask: idTensor(tensors, spec, mask.flat(), [batch, pastLength + seqLength]),
        ...past,
      };
      if (spec.hasPositionIds) feeds.position_ids = idTensor(tensors, spec, positions, [batch, seqLength]);
      const outputs = await session.run(feeds);
      if (aborted()) {
        disposeTensors(Object.values(outputs));
        break;
      }
      const nextPast = presentsAsPast(outputs, spec, batch, pastLength + seqLength, session.label);
      disposeTensors(Object.values(past));
      past = nextPast;
      pastLength += seqLength;

      const logits = outputs.logits;
      if (!logits) throw new Error(`${session.label}: decode graph returned no "logits"`);
      const [rows, seq, vocab] = logits.dims;
      if (logits.dims.length !== 3 || rows !== batch || seq === undefined || seq < 1 || vocab === undefined) {
        throw new Error(
          `${session.label}: "logits" has dims [${logits.dims.join(', ')}], expected [${batch}, seq, vocab]`,
        );
      }
      const data = await readFloat32(logits, `${session.label} logits`);
      disposeTensors(
        Object.entries(outputs)
          .filter(([name]) => !name.startsWith('present.'))
          .map(([, t]) => t),
      );

      const emitted: GenerateStep['tokens'] = [];
      const nextIds: number[] = [];
      for (let b = 0; b < batch; b++) {
        if (finishReasons[b] !== null) {
          nextIds.push(pad);
          continue;
        }
        const offset = (b * seq + seq - 1) * vocab;
        const token = sampleToken(
          data.subarray(offset, offset + vocab),
          options.sampling,
          histories[b] ?? [],
          rngs[b] as Rng,
        );
        nextIds.push(token);
        if (eos.has(token)) {
          finishReasons[b] = 'eos';
          continue;
        }
        histories[b]?.push(token);
        sequences[b]?.push(token);
        emitted.push({ candidate: b, token });
      }
      steps++;
      generated += emitted.length;
      const at = now();
      if (firstTokenAt === null) firstTokenAt = at;
      else tokensAfterFirst += emitted.length;

      inputIds = nextIds;
      positions = [...nextPosition];
      nextPosition.forEach((p, b) => (nextPosition[b] = p + 1));
      mask.forEach((row) => row.push(1));
      seqLength = 1;
      yield { step: steps - 1, tokens: emitted, elapsedMs: at - start };
    }
  } finally {
    disposeTensors(Object.values(past));
  }

  const end = now();
  const fallback: FinishReason = aborted() ? 'aborted' : 'length';
  const decodeSeconds = firstTokenAt === null ? 0 : (end - firstTokenAt) / 1000;
  return {
    sequences,
    finishReasons: finishReasons.map((r) => r ?? fallback),
    steps,
    generatedTokens: generated,
    timeToFirstTokenMs: firstTokenAt === null ? null : firstTokenAt - start,
    decodeTokensPerSecond: decodeSeconds > 0 ? tokensAfterFirst / decodeSeconds : null,
    totalMs: end - start,
  };
}

/** Callback form of generateTokens: onStep sees each step's tokens as they are sampled. */
export async function generate(
  session: DecodeSession,
  tensors: TensorFactory,
  spec: DecodeSpec,
  options: GenerateOptions,
  onStep?: (step: GenerateStep) => void,
): Promise<GenerateResult> {
  const stream = generateTokens(session, tensors, spec, options);
  for (;;) {
    const next = await stream.next();
    if (next.done) return next.value;
    onStep?.(next.value);
  }
}
