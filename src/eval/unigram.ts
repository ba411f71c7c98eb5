/** Add-one (Laplace) smoothed token unigram model: the weakest baseline, blind to any context. */
export class UnigramModel {
  private constructor(
    readonly vocabSize: number,
    private readonly counts: Float64Array,
    private readonly total: number,
  ) {}

  /** Counts tokens from position `from` of each sequence on (the positions that will be scored). */
  static train(sequences: readonly ArrayLike<number>[], vocabSize: number, from = 0): UnigramModel {
    const counts = new Float64Array(vocabSize);
    let total = 0;
    sequences.forEach((s, index) => {
      for (let i = from; i < s.length; i++) {
        const token = s[i] as number;
        if (!Number.isInteger(token) || token < 0 || token >= vocabSize)
          throw new RangeError(
            `sequence ${index}, position ${i}: token ${token} is not in [0, ${vocabSize})`,
          );
        counts[token] = (counts[token] as number) + 1;
        total += 1;
      }
    });
    return new UnigramModel(vocabSize, counts, total);
  }

  probability(token: number): number {
    if (!Number.isInteger(token) || token < 0 || token >= this.vocabSize)
      throw new RangeError(`token ${token} is not in [0, ${this.vocabSize})`);
    return ((this.counts[token] as number) + 1) / (this.total + this.vocabSize);
  }

  /** Natural-log probability of each token of `sequence` from position `from` on. */
  logProbabilities(sequence: ArrayLike<number>, from = 0): Float64Array {
    const out = new Float64Array(Math.max(0, sequence.length - from));
    for (let i = from; i < sequence.length; i++)
      out[i - from] = Math.log(this.probability(sequence[i] as number));
    return out;
  }
}
