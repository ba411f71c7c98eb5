import type { Corpus } from '../corpus.ts';
import { findIdentityTerms, identitySubgroups } from '../lexicons.ts';
import { gradeOf, percent, scoreFromShare } from '../score.ts';
import type { CheckResult, Finding } from '../types.ts';
import type { RowToxicity } from './toxicity.ts';

export interface IdentityOptions {
  /** A subgroup needs this many rows before its rates are compared with the whole dataset. */
  minRows: number;
  /** Funny-rate difference (0–1) from the overall rate that is worth reporting. */
  funnyRateGap: number;
  /** A subgroup's offensive share must reach this and twice the overall share to be reported. */
  offensiveShare: number;
}

export const defaultIdentityOptions: IdentityOptions = {
  minRows: 20,
  funnyRateGap: 0.15,
  offensiveShare: 0.1,
};

interface SubgroupStats {
  group: string;
  subgroup: string;
  rows: number[];
  labelled: number;
  funny: number;
  offensive: number;
}

/**
 * How often each identity group is mentioned, how often those rows are labelled funny and how often
 * they carry offensive words, against the whole dataset: a group whose mentions are much more often
 * "funny" or offensive is likely the butt of the jokes.
 */
export function checkIdentityTerms(
  corpus: Corpus,
  toxicity: (RowToxicity | null)[],
  options: IdentityOptions = defaultIdentityOptions,
): CheckResult {
  const { rows, classes } = corpus;
  const positive = corpus.labelSpec.positiveClass;
  const stats = new Map<string, SubgroupStats>();
  for (const { group, subgroup } of identitySubgroups())
    stats.set(subgroup, { group, subgroup, rows: [], labelled: 0, funny: 0, offensive: 0 });
  const findings: Finding[] = [];
  let labelled = 0;
  let funny = 0;
  let offensive = 0;
  let mentioning = 0;
  let targeted = 0;
  corpus.folded.forEach((folded, i) => {
    const cls = classes[i] ?? null;
    const isOffensive = (toxicity[i]?.maxSeverity ?? 0) >= 2;
    if (cls !== null) {
      labelled++;
      if (cls === positive) funny++;
    }
    if (isOffensive) offensive++;
    const subgroups = new Set(findIdentityTerms(folded, corpus.tokens(i)).map((m) => m.payload.subgroup));
    if (subgroups.size === 0) return;
    mentioning++;
    for (const name of subgroups) {
      const s = stats.get(name);
      if (s === undefined) continue;
      s.rows.push(i);
      if (cls !== null) {
        s.labelled++;
        if (cls === positive) s.funny++;
      }
      if (isOffensive) s.offensive++;
    }
    const tox = toxicity[i];
    if (
      tox &&
      (tox.categories.includes('slur') || tox.categories.includes('insult')) &&
      tox.maxSeverity >= 2
    ) {
      targeted++;
      findings.push({
        id: `identity-terms:${findings.length}`,
        check: 'identity-terms',
        rowIds: [rows[i]?.id ?? -1],
        severity: 'warning',
        reason: `Line ${rows[i]?.line ?? '?'} mentions ${[...subgroups].join(', ')} together with insults or slurs (${tox.labels.join(', ')}).`,
        fix: 'drop-toxic-rows',
        extra: { terms: tox.labels, groups: [...subgroups] },
      });
    }
  });
  // Without any row in the positive class (e.g. 1–5 humor levels), there is no funny rate to compare.
  const funnyRate = positive !== null && funny > 0 ? funny / labelled : null;
  const offensiveRate = rows.length ? offensive / rows.length : 0;
  const table: (string | number)[][] = [];
  for (const s of stats.values()) {
    const n = s.rows.length;
    const rate = s.labelled > 0 && funnyRate !== null ? s.funny / s.labelled : null;
    const offShare = n ? s.offensive / n : 0;
    table.push([
      s.group,
      s.subgroup,
      n,
      rows.length ? Math.round((1000 * n) / rows.length) / 10 : 0,
      rate === null ? '–' : Math.round(rate * 1000) / 10,
      rate === null || funnyRate === null ? '–' : Math.round((rate - funnyRate) * 1000) / 10,
      Math.round(offShare * 1000) / 10,
    ]);
    if (n < options.minRows) continue;
    if (offShare >= options.offensiveShare && offShare >= 2 * offensiveRate)
      findings.push({
        id: `identity-terms:${findings.length}`,
        check: 'identity-terms',
        rowIds: s.rows.filter((i) => (toxicity[i]?.maxSeverity ?? 0) >= 2).map((i) => rows[i]?.id ?? -1),
        severity: 'warning',
        reason: `${percent(offShare)} of the ${n} rows mentioning ${s.subgroup} contain offensive words, against ${percent(offensiveRate)} overall: the data may mock this group.`,
        fix: 'drop-toxic-rows',
        extra: { group: s.group, subgroup: s.subgroup, offensiveShare: offShare },
      });
    if (
      rate !== null &&
      funnyRate !== null &&
      s.labelled >= options.minRows &&
      Math.abs(rate - funnyRate) >= options.funnyRateGap
    )
      findings.push({
        id: `identity-terms:${findings.length}`,
        check: 'identity-terms',
        rowIds: [],
        severity: 'info',
        reason: `Rows mentioning ${s.subgroup} are labelled funny ${percent(rate)} of the time, against ${percent(funnyRate)} overall; a model may learn that this group itself is the joke.`,
        fix: 'review',
        extra: { group: s.group, subgroup: s.subgroup, funnyRate: rate, overallFunnyRate: funnyRate },
      });
  }
  const share = rows.length ? targeted / rows.length : 0;
  const score = scoreFromShare(share, 0.05);
  return {
    check: 'identity-terms',
    title: 'Identity groups and bias',
    score,
    grade: gradeOf(score),
    summary: `${percent(rows.length ? mentioning / rows.length : 0)} of rows mention an identity group; ${targeted} mention one alongside insults or slurs.`,
    findings,
    charts: [
      {
        kind: 'table',
        id: 'identity-groups',
        title: 'Identity groups: share of rows, funny-label rate and offensive share',
        columns: ['group', 'subgroup', 'rows', '% of rows', '% funny', 'vs overall (points)', '% offensive'],
        rows: table,
      },
    ],
    stats: {
      rowsMentioningGroups: mentioning,
      rowsWithGroupAndInsult: targeted,
      overallFunnyRate: funnyRate ?? '–',
      overallOffensiveShare: offensiveRate,
    },
  };
}
