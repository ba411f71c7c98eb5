import type { DatasetRow } from '../types.ts';

export type Severity = 'info' | 'warning' | 'error';

export type CheckId =
  | 'exact-duplicates'
  | 'near-duplicates'
  | 'label-conflicts'
  | 'label-noise'
  | 'toxicity'
  | 'identity-terms'
  | 'language'
  | 'junk'
  | 'label-balance'
  | 'diversity'
  | 'sentiment';

/** One-click fixes the report can offer; each maps to a pure function in fixes.ts. */
export type FixId =
  | 'drop-exact-duplicates'
  | 'keep-one-per-cluster'
  | 'drop-rows'
  | 'relabel-rows'
  | 'drop-toxic-rows'
  | 'reweight-classes'
  | 'review';

export interface Finding {
  /** Unique within one report, e.g. "near-duplicates:12". */
  id: string;
  check: CheckId;
  /** Ids of the rows involved (DatasetRow.id); empty for dataset-level findings. */
  rowIds: number[];
  severity: Severity;
  /** A sentence a user understands without knowing how the check works. */
  reason: string;
  fix: FixId;
  extra?: FindingExtra;
}

export interface FindingExtra {
  similarity?: number;
  clusterId?: number;
  /** For relabel fixes: the raw label to write (a label already used in the dataset for that class). */
  suggestedLabel?: string;
  margin?: number;
  terms?: string[];
  group?: string;
  [key: string]: string | number | string[] | number[] | undefined;
}

export interface BarChart {
  kind: 'bars';
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  categories: string[];
  series: { name: string; values: number[] }[];
}

export interface TableChart {
  kind: 'table';
  id: string;
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

export type Chart = BarChart | TableChart;

export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

export interface CheckResult {
  check: CheckId;
  title: string;
  /** 0 (unusable) to 100 (nothing to fix). */
  score: number;
  grade: Grade;
  /** One line for the report's summary table. */
  summary: string;
  findings: Finding[];
  charts: Chart[];
  stats: Record<string, number | string>;
  /** Set when the check could not run on this data (e.g. label noise without labels). */
  skipped?: string;
}

export interface AuditReport {
  rowCount: number;
  /** Mean of the scores of the checks that ran. */
  overallScore: number;
  overallGrade: Grade;
  checks: CheckResult[];
  /** Per-check wall time in milliseconds, in run order. */
  timings: { check: CheckId | 'prepare'; ms: number }[];
}

/** A report needs the rows it was computed on; fixes take both. */
export type AuditedRows = readonly DatasetRow[];
