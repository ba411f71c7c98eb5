import type { Rng } from './rng.ts';

export interface SamplingSettings {
  /** 0 = greedy (argmax); otherwise logits are divided by it. */
  temperature: number;
  /** Keep only the k most likely tokens; 0 = no limit. */
  topK: number;
  /** Keep the smallest set of most likely tokens whose probability reaches topP; 1 = no limit. */
  topP: number;
  /** CTRL / Hugging Face penalty on tokens already in the sequence; 1 = off. */
  repetitionPenalty: number;
}

export const DEFAULT_SAMPLING: SamplingSettings = {
  temperature: 0.8,
  topK: 50,
  topP: 0.95,
  repetitionPenalty: 1.1,
};

export function validateSamplingSettings(s: SamplingSettings): void {
  if (!Number.isFinite(s.temperature) || s.temperature < 0)
    throw new RangeError(`temperature must be a finite number >= 0, got ${s.temperature}`);
  if (!Number.isInteger(s.topK) || s.topK < 0)
    throw new RangeError(`topK must be an integer >= 0 (0 = off), got ${s.topK}`);
  if (!(s.topP > 0 && s.topP <= 1)) throw new RangeError(`topP must be in (0, 1] (1 = off), got ${s.topP}`);
  if (!Number.isFinite(s.repetitionPenalty) || s.repetitionPenalty <= 0) {
    throw new RangeError(
      `repetitionPenalty must be a finite number > 0 (1 = off), got ${s.repetitionPenalty}`,
    );
  }
}

/**
 * Penalizes every token present in `history` once (as transformers' RepetitionPenaltyLogitsProcessor does):
 * positive logits are divided by the penalty, negative ones multiplied, so the token always gets less likely.
 * Returns a new array; `logits` is not modified.
 */
export function applyRepetitionPenalty(
  logits: Float32Array,
  history: Iterable<number>,
  penalty: number,
): Float32Array {
  const out = logits.slice();
  if (penalty === 1) return out;
  for (const token of new Set(history)) {
    const value = out[token];
    if (value === undefined) continue;
    out[token] = value > 0 ? value / penalty : value * penalty;
  }
  return out;
}

function argmax(values: Float32Array): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? -Infinity;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  if (best < 0) throw new RangeError('every logit is -Infinity or NaN; nothing can be sampled');
  return best;
}

const isFiniteLogit = (v: number | undefined): v is number =>
  v !== undefined && v > -Infinity && v < Infinity;

/**
 * The k highest finite logits' token ids, highest first (ties: lower id first). A bounded insertion list
 * costs O(vocab) for small k; large k falls back to a full sort.
 */
function topTokens(values: Float32Array, k: number): number[] {
  if (k * 8 > values.length || k > 256) {
    const order: number[] = [];
    for (let i = 0; i < values.length; i++) if (isFiniteLogit(values[i])) order.push(i);
    order.sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
    return order.slice(0, k);
  }
  const top: number[] = [];
  let floor = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isFiniteLogit(v) || (top.length === k && v <= floor)) continue;
    let at = top.length;
    while (at > 0 && v > (values[top[at - 1] as number] as number)) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
    if (top.length === k) floor = values[top[k - 1] as number] as number;
  }
  return top;
}

export interface TokenDistribution {
  /** Candidate token ids: most likely first when top-k or top-p truncates, in id order otherwise. */
  ids: Int32Array;
  /** Their probabilities after temperature, top-k and top-p; sums to 1. */
  probs: Float64Array;
}

/** The distribution the sampler draws from (temperature must be > 0). Order: penalty, temperature, top-k, top-p. */
export function samplingDistribution(
  logits: Float32Array,
  settings: SamplingSettings,
  history: Iterable<number> = [],
): TokenDistribution {
  validateSamplingSettings(settings);
  const { temperature, topK, topP } = settings;
  if (temperature === 0) throw new RangeError('temperature 0 is greedy decoding and has no distribution');
  const penalized = applyRepetitionPenalty(logits, history, settings.repetitionPenalty);
  let max = -Infinity;
  let finiteCount = 0;
  for (const v of penalized) {
    if (!isFiniteLogit(v)) continue;
    finiteCount++;
    if (v > max) max = v;
  }
  if (finiteCount === 0) throw new RangeError('every logit is -Infinity or NaN; nothing can be sampled');
  const weight = (token: number) => Math.exp(((penalized[token] as number) - max) / temperature);

  let kept: number[];
  let total = 0;
  if (topK > 0) {
    kept = topTokens(penalized, topK);
    for (const token of kept) total += weight(token);
  } else {
    for (let i = 0; i < penalized.length; i++) if (isFiniteLogit(penalized[i])) total += weight(i);
    if (topP < 1) {
      // A peaked distribution keeps its nucleus in the top few hundred tokens; only a flat one needs a full sort.
      kept = topTokens(penalized, 256);
      let mass = 0;
      for (const token of kept) mass += weight(token) / total;
      if (mass < topP && kept.length < finiteCount) kept = topTokens(penalized, finiteCount);
    } else {
      kept = [];
      for (let i = 0; i < penalized.length; i++) if (isFiniteLogit(penalized[i])) kept.push(i);
    }
  }

  let count = kept.length;
  if (topP < 1) {
    let cumulative = 0;
    count = 0;
    while (count < kept.length && cumulative < topP) cumulative += weight(kept[count++] as number) / total;
    total = 0;
    for (let i = 0; i < count; i++) total += weight(kept[i] as number);
  }
  const ids = Int32Array.from(kept.slice(0, count));
  const probs = Float64Array.from(ids, (token) => weight(token) / total);
  return { ids, probs };
}

/** Picks the next token from one row of logits [vocab]. `history` is the sequence so far (prompt + generated). */
export function sampleToken(
  logits: Float32Array,
  settings: SamplingSettings,
  history: Iterable<number>,
  rng: Rng,
): number {
  validateSamplingSettings(settings);
  if (settings.temperature === 0)
    return argmax(applyRepetitionPenalty(logits, history, settings.repetitionPenalty));
  const { ids, probs } = samplingDistribution(logits, settings, history);
  const u = rng.nextFloat();
  let cumulative = 0;
  for (let i = 0; i < ids.length; i++) {
    cumulative += probs[i] ?? 0;
    if (u < cumulative) return ids[i] ?? 0;
  }
  // Rounding can leave the cumulative sum a hair below 1.
  return ids[ids.length - 1] ?? 0;
}
