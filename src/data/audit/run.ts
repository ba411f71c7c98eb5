import type { DatasetRow } from '../types.ts';
import { exactDuplicateGroups, checkExactDuplicates } from './checks/exact-duplicates.ts';
import { checkDiversity } from './checks/diversity.ts';
import { checkIdentityTerms, defaultIdentityOptions, type IdentityOptions } from './checks/identity-terms.ts';
import { checkJunk, defaultJunkOptions, type JunkOptions } from './checks/junk.ts';
import { checkLabelBalance } from './checks/label-balance.ts';
import { checkLabelConflicts } from './checks/label-conflicts.ts';
import { checkLabelNoise, defaultLabelNoiseOptions, type LabelNoiseOptions } from './checks/label-noise.ts';
import { checkLanguage, rowLanguages, type Language } from './checks/language.ts';
import {
  checkNearDuplicates,
  defaultNearDuplicateOptions,
  nearDuplicateClusters,
  type NearDuplicateOptions,
} from './checks/near-duplicates.ts';
import { checkSentiment, rowSentiments } from './checks/sentiment.ts';
import { checkToxicity, rowToxicity } from './checks/toxicity.ts';
import { prepareCorpus } from './corpus.ts';
import { defaultLabelSpec, type LabelSpec } from './labels.ts';
import { gradeOf } from './score.ts';
import type { AuditReport, CheckId, CheckResult } from './types.ts';

export interface AuditOptions {
  labelSpec: LabelSpec;
  nearDuplicates: NearDuplicateOptions;
  labelNoise: LabelNoiseOptions;
  junk: JunkOptions;
  identity: IdentityOptions;
}

export const defaultAuditOptions: AuditOptions = {
  labelSpec: defaultLabelSpec,
  nearDuplicates: defaultNearDuplicateOptions,
  labelNoise: defaultLabelNoiseOptions,
  junk: defaultJunkOptions,
  identity: defaultIdentityOptions,
};

export type AuditStep = CheckId | 'prepare';

export interface AuditProgress {
  step: AuditStep;
  /** 0–1 over the whole audit, weighted by each step's typical cost. */
  fraction: number;
}

/** The report plus per-row results the UI can filter and chart by. */
export interface FullAuditReport extends AuditReport {
  perRow: { language: Language[]; sentiment: Float32Array };
}

// Rough share of run time per step at 100k rows, so the progress bar moves evenly.
const COST: Record<AuditStep, number> = {
  prepare: 10,
  'exact-duplicates': 2,
  'near-duplicates': 20,
  'label-conflicts': 1,
  'label-noise': 30,
  toxicity: 8,
  'identity-terms': 8,
  language: 4,
  junk: 5,
  'label-balance': 1,
  diversity: 8,
  sentiment: 6,
};
const TOTAL_COST = Object.values(COST).reduce((a, b) => a + b, 0);

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs every check over the rows. Yields to the event loop between checks, so a worker can receive a
 * cancel message; `signal` aborts with the signal's reason. Rows are never modified.
 */
export async function runAudit(
  rows: readonly DatasetRow[],
  options: Partial<AuditOptions> = {},
  onProgress?: (progress: AuditProgress) => void,
  signal?: AbortSignal,
): Promise<FullAuditReport> {
  const opts: AuditOptions = { ...defaultAuditOptions, ...options };
  const timings: AuditReport['timings'] = [];
  let spent = 0;
  const step = async <T>(name: AuditStep, work: (report: (share: number) => void) => T): Promise<T> => {
    signal?.throwIfAborted();
    onProgress?.({ step: name, fraction: spent / TOTAL_COST });
    const start = performance.now();
    const result = work((share) =>
      onProgress?.({ step: name, fraction: (spent + share * COST[name]) / TOTAL_COST }),
    );
    timings.push({ check: name, ms: performance.now() - start });
    spent += COST[name];
    await yieldToEventLoop();
    return result;
  };
  const checks: CheckResult[] = [];
  const corpus = await step('prepare', () => {
    const c = prepareCorpus(rows, opts.labelSpec);
    for (let i = 0; i < rows.length; i++) c.tokens(i);
    return c;
  });
  const groups = await step('exact-duplicates', () => {
    const g = exactDuplicateGroups(corpus);
    checks.push(checkExactDuplicates(corpus, g));
    return g;
  });
  const clusters = await step('near-duplicates', () => {
    const c = nearDuplicateClusters(corpus, opts.nearDuplicates);
    checks.push(checkNearDuplicates(corpus, c));
    return c;
  });
  await step('label-conflicts', () => checks.push(checkLabelConflicts(corpus, groups, clusters)));
  await step('label-noise', (report) =>
    checks.push(checkLabelNoise(corpus, opts.labelNoise, (done, total) => report(done / total))),
  );
  const toxicity = await step('toxicity', () => {
    const t = rowToxicity(corpus);
    checks.push(checkToxicity(corpus, t));
    return t;
  });
  await step('identity-terms', () => checks.push(checkIdentityTerms(corpus, toxicity, opts.identity)));
  const languages = await step('language', () => {
    const l = rowLanguages(corpus);
    checks.push(checkLanguage(corpus, l));
    return l;
  });
  await step('junk', () => checks.push(checkJunk(corpus, opts.junk)));
  await step('label-balance', () => checks.push(checkLabelBalance(corpus)));
  await step('diversity', () => checks.push(checkDiversity(corpus, languages, clusters)));
  const sentiment = await step('sentiment', () => {
    const s = rowSentiments(corpus);
    checks.push(checkSentiment(corpus, s));
    return s;
  });
  onProgress?.({ step: 'sentiment', fraction: 1 });
  const ran = checks.filter((c) => c.skipped === undefined);
  const overallScore = ran.length ? Math.round(ran.reduce((s, c) => s + c.score, 0) / ran.length) : 100;
  return {
    rowCount: rows.length,
    overallScore,
    overallGrade: gradeOf(overallScore),
    checks,
    timings,
    perRow: { language: languages, sentiment },
  };
}
