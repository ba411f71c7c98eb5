import type { DatasetRow } from '../types.ts';
import type { AuditReport, Finding, FixId } from './types.ts';

export interface RemovedRow {
  id: number;
  line: number;
  reason: string;
  findingId: string;
}

export interface RelabelledRow extends RemovedRow {
  from: string | null;
  to: string;
}

/** What a fix changed and why; stored with the new dataset version. */
export interface ChangeRecord {
  fix: FixId;
  description: string;
  findingIds: string[];
  removed: RemovedRow[];
  relabelled: RelabelledRow[];
  rowsBefore: number;
  rowsAfter: number;
}

export interface FixResult {
  rows: DatasetRow[];
  changeRecord: ChangeRecord;
}

function allFindings(report: AuditReport): Map<string, Finding> {
  return new Map(report.checks.flatMap((c) => c.findings).map((f) => [f.id, f]));
}

function pick(report: AuditReport, findingIds: readonly string[]): Finding[] {
  const byId = allFindings(report);
  return findingIds.map((id) => {
    const f = byId.get(id);
    if (f === undefined)
      throw new Error(
        `Finding "${id}" is not in this audit report; re-run the audit on the current dataset version.`,
      );
    return f;
  });
}

function dropping(
  rows: readonly DatasetRow[],
  fix: FixId,
  description: string,
  findings: Finding[],
  victims: (f: Finding) => number[],
): FixResult {
  const reasonOf = new Map<number, Finding>();
  for (const f of findings) for (const id of victims(f)) if (!reasonOf.has(id)) reasonOf.set(id, f);
  const kept: DatasetRow[] = [];
  const removed: RemovedRow[] = [];
  for (const row of rows) {
    const f = reasonOf.get(row.id);
    if (f === undefined) kept.push(row);
    else removed.push({ id: row.id, line: row.line, reason: f.reason, findingId: f.id });
  }
  return {
    rows: kept,
    changeRecord: {
      fix,
      description,
      findingIds: findings.map((f) => f.id),
      removed,
      relabelled: [],
      rowsBefore: rows.length,
      rowsAfter: kept.length,
    },
  };
}

function ofCheck(report: AuditReport, check: Finding['check']): Finding[] {
  return report.checks.filter((c) => c.check === check).flatMap((c) => c.findings);
}

/** Keeps the first row of every exact-duplicate group and drops the other copies. */
export function dropExactDuplicates(rows: readonly DatasetRow[], report: AuditReport): FixResult {
  const findings = ofCheck(report, 'exact-duplicates');
  return dropping(
    rows,
    'drop-exact-duplicates',
    'Dropped exact duplicates, keeping the first copy of each text.',
    findings,
    (f) => f.rowIds.slice(1),
  );
}

/** Keeps the representative (first row) of every near-duplicate cluster and drops the rest. */
export function keepOnePerNearDuplicateCluster(rows: readonly DatasetRow[], report: AuditReport): FixResult {
  const findings = ofCheck(report, 'near-duplicates');
  return dropping(rows, 'keep-one-per-cluster', 'Kept one row per near-duplicate cluster.', findings, (f) =>
    f.rowIds.slice(1),
  );
}

/** Drops every row named by the given findings. */
export function dropFlaggedRows(
  rows: readonly DatasetRow[],
  report: AuditReport,
  findingIds: readonly string[],
): FixResult {
  return dropping(
    rows,
    'drop-rows',
    `Dropped rows flagged by ${findingIds.length} finding(s).`,
    pick(report, findingIds),
    (f) => f.rowIds,
  );
}

/** Drops rows whose toxicity finding is at least `minSeverity` (2: strong profanity and worse; 3: slurs, hate and threats only). */
export function dropToxicRows(
  rows: readonly DatasetRow[],
  report: AuditReport,
  minSeverity: 2 | 3 = 2,
): FixResult {
  const findings = ofCheck(report, 'toxicity').filter(
    (f) => Number(f.extra?.toxicSeverity ?? 0) >= minSeverity,
  );
  return dropping(
    rows,
    'drop-toxic-rows',
    minSeverity === 3
      ? 'Dropped rows with slurs, hate or threats.'
      : 'Dropped rows with strong profanity, insults, slurs or threats.',
    findings,
    (f) => f.rowIds,
  );
}

/**
 * Writes each finding's suggested label: on the finding's minority rows for label conflicts, on the
 * flagged row for label noise. Findings without a suggested label are an error.
 */
export function relabelFlaggedRows(
  rows: readonly DatasetRow[],
  report: AuditReport,
  findingIds: readonly string[],
): FixResult {
  const findings = pick(report, findingIds);
  const target = new Map<number, Finding>();
  for (const f of findings) {
    if (typeof f.extra?.suggestedLabel !== 'string')
      throw new Error(
        `Finding "${f.id}" (${f.check}) has no suggested label; only label conflicts and label noise can be relabelled.`,
      );
    const minority = f.extra.minorityRowIds;
    const ids = Array.isArray(minority) ? (minority as number[]) : f.rowIds;
    for (const id of ids) if (!target.has(id)) target.set(id, f);
  }
  const relabelled: RelabelledRow[] = [];
  const out = rows.map((row) => {
    const f = target.get(row.id);
    const to = f?.extra?.suggestedLabel;
    if (f === undefined || typeof to !== 'string' || row.label === to) return row;
    relabelled.push({ id: row.id, line: row.line, reason: f.reason, findingId: f.id, from: row.label, to });
    return { ...row, label: to };
  });
  return {
    rows: out,
    changeRecord: {
      fix: 'relabel-rows',
      description: `Relabelled ${relabelled.length} row(s) as suggested by ${findings.length} finding(s).`,
      findingIds: findings.map((f) => f.id),
      removed: [],
      relabelled,
      rowsBefore: rows.length,
      rowsAfter: out.length,
    },
  };
}
