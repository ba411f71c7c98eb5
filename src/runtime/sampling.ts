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

/**
 * Token ids with a finite logit, highest first (ties: lower id first), limited to k when k > 0. A bounded
 * insertion list keeps top-k at O(vocab) for the usual small k instead of sorting the whole vocabulary.
 */
function rankedTokens(values: Float32Array, k: number): number[] {
  const before = (a: number, b: number): boolean =>
    (values[a] ?? 0) > (values[b] ?? 0) || ((values[a] ?? 0) === (values[b] ?? 0) && a < b);
  if (k === 0 || k * 8 > values.length) {
    const order: number[] = [];
    for (let i = 0; i < values.length; i++) if ((values[i] ?? -Infinity) > -Infinity) order.push(i);
    order.sort((a, b) => (before(a, b) ? -1 : 1));
    return k > 0 ? order.slice(0, k) : order;
  }
  const top: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (!((values[i] ?? -Infinity) > -Infinity)) continue;
    const last = top[top.length - 1];
    if (top.length === k && last !== undefined && !before(i, last)) continue;
    let at = top.length;
    while (at > 0 && before(i, top[at - 1] ?? 0)) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}

export interface TokenDistribution {
  /** Candidate token ids, most likely first. */
  ids: Int32Array;
  /** Their probabilities after temperature, top-k and top-p; sums to 1. */
  probs: Float64Array;
}

/** The distribution the sampler draws from (temperature must be > 0). */
export function samplingDistribution(
  logits: Float32Array,
  settings: SamplingSettings,
  history: Iterable<number> = [],
): TokenDistribution {
  validateSamplingSettings(settings);
  if (settings.temperature === 0)
    throw new RangeError('temperature 0 is greedy decoding and has no distribution');
  const penalized = applyRepetitionPenalty(logits, history, settings.repetitionPenalty);
  const kept = rankedTokens(penalized, settings.topK);
  if (kept.length === 0) throw new RangeError('every logit is -Infinity or NaN; nothing can be sampled');

  const max = (penalized[kept[0] ?? 0] ?? 0) / settings.temperature;
  const weights = new Float64Array(kept.length);
  let total = 0;
  kept.forEach((token, i) => {
    const w = Math.exp((penalized[token] ?? 0) / settings.temperature - max);
    weights[i] = w;
    total += w;
  });

  let count = kept.length;
  if (settings.topP < 1) {
    let cumulative = 0;
    count = 0;
    while (count < kept.length && cumulative < settings.topP) {
      cumulative += (weights[count] ?? 0) / total;
      count++;
    }
    total = 0;
    for (let i = 0; i < count; i++) total += weights[i] ?? 0;
  }
  const ids = Int32Array.from(kept.slice(0, count));
  const probs = new Float64Array(count);
  for (let i = 0; i < count; i++) probs[i] = (weights[i] ?? 0) / total;
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
