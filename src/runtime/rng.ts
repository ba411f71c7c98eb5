/**
 * xoshiro128** (Blackman & Vigna, 2018): a small, fast, well-studied 32-bit PRNG. Seeds are expanded with
 * splitmix32 so nearby seeds (0, 1, 2, ...) and stream numbers give unrelated sequences. Same seed and
 * stream → same numbers on every platform (only 32-bit integer arithmetic is used).
 */
export type RngState = readonly [number, number, number, number];

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  private constructor(state: RngState) {
    [this.s0, this.s1, this.s2, this.s3] = state.map((v) => v >>> 0) as [number, number, number, number];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0)
      throw new RangeError('xoshiro128** state must not be all zero');
  }

  /** A generator for (seed, stream): each stream (e.g. each candidate in a batch) is independent. */
  static seeded(seed: number, stream = 0): Rng {
    if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(stream) || stream < 0) {
      throw new RangeError(
        `seed and stream must be integers (stream >= 0), got seed=${seed}, stream=${stream}`,
      );
    }
    const low = seed >>> 0;
    const high = Math.floor(seed / 2 ** 32) >>> 0;
    let x = splitmix32(low ^ splitmix32(high) ^ splitmix32(stream ^ 0x5bd1e995));
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      x = splitmix32(x + i);
      words.push(x);
    }
    if (words.reduce((a, b) => a | b, 0) === 0) words[0] = 1;
    return new Rng(words as unknown as RngState);
  }

  static fromState(state: RngState): Rng {
    return new Rng(state);
  }

  state(): RngState {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }
}
