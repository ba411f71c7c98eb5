/** Aggregates per-token log-probabilities into the numbers the evaluation table reports. */

export interface PerplexityRow {
  /** Tokens scored. */
  tokens: number;
  /** Mean negative log-likelihood per token, in nats. */
  nll: number;
  perplexity: number;
  /** Bits per token (nll / ln 2). */
  bitsPerToken: number;
}

export function perplexityOf(logProbabilities: readonly Float64Array[]): PerplexityRow {
  let tokens = 0;
  let sum = 0;
  for (const logs of logProbabilities) {
    for (const value of logs) {
      if (!Number.isFinite(value) || value > 1e-9)
        throw new RangeError(
          `log-probability ${value} is not a finite value <= 0: a model gave an invalid probability`,
        );
      sum -= value;
      tokens += 1;
    }
  }
  if (tokens === 0) throw new RangeError('no tokens to score');
  const nll = sum / tokens;
  return { tokens, nll, perplexity: Math.exp(nll), bitsPerToken: nll / Math.LN2 };
}

/** A fixed-width text table: one row per model, one column group per language. */
export function formatPerplexityTable(
  languages: readonly string[],
  rows: ReadonlyArray<{ model: string; byLanguage: Readonly<Record<string, PerplexityRow>> }>,
): string {
  const header = [
    'model'.padEnd(28),
    ...languages.map((l) => `${l} ppl`.padStart(10) + `${l} nll`.padStart(9)),
  ];
  const lines = [header.join(''), '-'.repeat(header.join('').length)];
  for (const row of rows) {
    const cells = languages.map((l) => {
      const r = row.byLanguage[l];
      return r ? r.perplexity.toFixed(2).padStart(10) + r.nll.toFixed(3).padStart(9) : ''.padStart(19);
    });
    lines.push(row.model.padEnd(28) + cells.join(''));
  }
  return lines.join('\n');
}
