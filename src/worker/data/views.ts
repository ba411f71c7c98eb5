/** Turns versions and audit reports into the small shapes that cross to the UI. */
import type { FullAuditReport } from '../../data/audit/run.ts';
import type { CheckId, CheckResult, Finding } from '../../data/audit/types.ts';
import type { DatasetRow } from '../../data/types.ts';
import type { ChangeRecord, DatasetVersion } from '../../data/versions.ts';
import type { LoadedVersion } from './records.ts';
import type {
  AuditView,
  ChangeView,
  CheckView,
  DatasetVersionSummary,
  DatasetVersionView,
  FindingPage,
  FindingQuery,
  FindingView,
} from './requests.ts';

const PREVIEW_ROWS = 8;
const REPORT_ROWS = 50;
const TEXT_CUT = 300;
const ROWS_PER_FINDING = 5;

/** Fix kinds that mean "this row should go or change"; review-only findings are never dropped in bulk. */
const ROW_FIXES = new Set<Finding['fix']>(['drop-rows', 'relabel-rows', 'drop-toxic-rows']);

function describeChange(change: ChangeRecord): ChangeView {
  switch (change.kind) {
    case 'import': {
      const { fileName, encoding, counts } = change.source;
      return {
        kind: 'import',
        description: `Imported ${fileName ?? 'a file'} (${encoding}): ${counts.accepted} accepted, ${counts.flagged} flagged, ${counts.rejected} rejected.`,
        removed: 0,
        relabelled: 0,
      };
    }
    case 'fix':
      return {
        kind: 'fix',
        description: change.reason,
        removed: change.removed.length,
        relabelled: change.relabelled.length,
      };
    case 'remap':
      return {
        kind: 'remap',
        description: `Columns re-mapped: text "${change.to.text}", label ${change.to.label === null ? 'none' : `"${change.to.label}"`}.`,
        removed: 0,
        relabelled: 0,
      };
  }
}

export function summarize(version: DatasetVersion): DatasetVersionSummary {
  return {
    id: version.id,
    datasetId: version.datasetId,
    parentId: version.parentId,
    name: version.name,
    number: version.number,
    createdAt: version.createdAt,
    rowCount: version.rows.length,
    change: describeChange(version.change),
  };
}

/** A row as its file's cells, whatever the current mapping reads as text and label. */
export function cellsOf(row: DatasetRow, version: DatasetVersion): Record<string, string> {
  const cells: Record<string, string> = { ...row.extra, [version.mapping.text]: row.text };
  if (version.mapping.label !== null) cells[version.mapping.label] = row.label ?? '';
  return cells;
}

/** `origin` is the dataset's import, which holds the ingest report. */
export function viewOf(version: DatasetVersion, origin: LoadedVersion): DatasetVersionView {
  const first = origin.version.change;
  if (first.kind !== 'import') throw new Error(`Version ${origin.version.id} is not an import.`);
  const ingest = origin.ingest;
  return {
    ...summarize(version),
    columns: [...version.columns],
    mapping: { ...version.mapping, extra: [...version.mapping.extra] },
    labelScheme: version.labelScheme,
    preview: version.rows.slice(0, PREVIEW_ROWS).map((row) => cellsOf(row, version)),
    importReport: {
      fileName: first.source.fileName,
      format: first.source.format,
      encoding: ingestEncoding(origin),
      delimiter: first.source.delimiter,
      counts: first.source.counts,
      warnings: ingest?.warnings ?? [],
      flagged: ingest?.flagged.slice(0, REPORT_ROWS) ?? [],
      rejected: ingest?.rejected.slice(0, REPORT_ROWS) ?? [],
    },
  };
}

function ingestEncoding(origin: LoadedVersion): DatasetVersionView['importReport']['encoding'] {
  const change = origin.version.change;
  const name = change.kind === 'import' ? change.source.encoding : 'utf-8';
  return origin.ingest?.encoding ?? { name, evidence: 'valid-utf-8', replacementCount: 0 };
}

/** Findings that name rows and suggest dropping or relabelling them. */
export function rowFindings(result: CheckResult): Finding[] {
  return result.findings.filter((f) => f.rowIds.length > 0 && ROW_FIXES.has(f.fix));
}

function distinctRows(findings: Finding[], pick: (f: Finding) => readonly number[]): number {
  const ids = new Set<number>();
  for (const f of findings) for (const id of pick(f)) ids.add(id);
  return ids.size;
}

function relabelTargets(f: Finding): readonly number[] {
  if (typeof f.extra?.suggestedLabel !== 'string') return [];
  const minority = f.extra.minorityRowIds;
  return Array.isArray(minority) ? (minority as number[]) : f.rowIds;
}

function checkView(result: CheckResult): CheckView {
  const rowLevel = rowFindings(result);
  return {
    check: result.check,
    title: result.title,
    score: result.score,
    grade: result.grade,
    summary: result.summary,
    skipped: result.skipped ?? null,
    findingCount: result.findings.length,
    droppable: distinctRows(rowLevel, (f) => f.rowIds),
    relabelable: distinctRows(result.findings, relabelTargets),
    charts: result.charts,
  };
}

function findingsOf(report: FullAuditReport, check: CheckId): Finding[] {
  return report.checks.filter((c) => c.check === check).flatMap((c) => c.findings);
}

export function auditViewOf(versionId: string, report: FullAuditReport): AuditView {
  const toxic = findingsOf(report, 'toxicity').filter((f) => Number(f.extra?.toxicSeverity ?? 0) >= 2);
  return {
    versionId,
    rowCount: report.rowCount,
    overallScore: report.overallScore,
    overallGrade: report.overallGrade,
    checks: report.checks.map(checkView),
    oneClick: {
      exactDuplicates: distinctRows(findingsOf(report, 'exact-duplicates'), (f) => f.rowIds.slice(1)),
      nearDuplicates: distinctRows(findingsOf(report, 'near-duplicates'), (f) => f.rowIds.slice(1)),
      toxic: distinctRows(toxic, (f) => f.rowIds),
    },
    timings: report.timings.map((t) => ({ check: t.check, ms: Math.round(t.ms) })),
  };
}

function findingView(finding: Finding, rowsById: Map<number, DatasetRow>): FindingView {
  const similarity = finding.extra?.similarity;
  const suggested = finding.extra?.suggestedLabel;
  return {
    id: finding.id,
    check: finding.check,
    severity: finding.severity,
    reason: finding.reason,
    similarity: typeof similarity === 'number' ? similarity : null,
    suggestedLabel: typeof suggested === 'string' ? suggested : null,
    droppable: ROW_FIXES.has(finding.fix),
    rowCount: finding.rowIds.length,
    rows: finding.rowIds.slice(0, ROWS_PER_FINDING).flatMap((id) => {
      const row = rowsById.get(id);
      if (!row) return [];
      const text = row.text.length > TEXT_CUT ? `${row.text.slice(0, TEXT_CUT)}…` : row.text;
      return [{ id: row.id, line: row.line, text, label: row.label }];
    }),
  };
}

/** One page of findings that name rows, most severe first, in report order within a severity. */
export function findingPage(
  report: FullAuditReport,
  rowsById: Map<number, DatasetRow>,
  query: FindingQuery,
): FindingPage {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const all = report.checks
    .filter((c) => query.check === null || c.check === query.check)
    .flatMap((c) => c.findings.filter((f) => f.rowIds.length > 0));
  const ordered = all
    .map((f, index) => ({ f, index }))
    .sort((a, b) => rank[a.f.severity] - rank[b.f.severity] || a.index - b.index)
    .map(({ f }) => f);
  const offset = Math.max(0, Math.min(query.offset, Math.max(0, ordered.length - 1)));
  const limit = Math.max(1, Math.min(query.limit, 200));
  return {
    total: ordered.length,
    offset,
    items: ordered.slice(offset, offset + limit).map((f) => findingView(f, rowsById)),
  };
}
