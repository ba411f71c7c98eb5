/**
 * The Data area's part of the worker protocol: datasets are ingested, versioned, audited, fixed and exported in
 * the worker. protocol.ts merges `DataRequests` into its `Requests` map; the shapes here are what crosses the
 * boundary (summaries and pages, never a whole 100k-row dataset).
 */
import type { AuditProgress } from '../../data/audit/run.ts';
import type { BarChart, CheckId, Grade, Severity, TableChart } from '../../data/audit/types.ts';
import type {
  ColumnMapping,
  Delimiter,
  EncodingChoice,
  FileFormat,
  FlaggedRow,
  IngestCounts,
  IngestProgress,
  LabelScheme,
  RejectedRow,
  TextEncodingName,
} from '../../data/ingest/types.ts';

export type { AuditProgress, CheckId, ColumnMapping, IngestProgress, TextEncodingName };

type NoPayload = Record<string, never>;

/** What a version changed, in words and counts, for the version list. */
export interface ChangeView {
  kind: 'import' | 'fix' | 'remap';
  /** One sentence: "Imported jokes.csv", "Dropped exact duplicates, keeping the first copy of each text." */
  description: string;
  removed: number;
  relabelled: number;
}

export interface DatasetVersionSummary {
  id: string;
  datasetId: string;
  parentId: string | null;
  name: string;
  number: number;
  createdAt: number;
  rowCount: number;
  change: ChangeView;
}

/** How the dataset's first version was read from its file; every descendant shows its import's report. */
export interface ImportReport {
  fileName: string | null;
  format: FileFormat;
  encoding: EncodingChoice;
  delimiter: Delimiter | null;
  counts: IngestCounts;
  warnings: string[];
  /** The first flagged rows (all of them are kept with the import). */
  flagged: FlaggedRow[];
  /** The first rejected rows; exportDataset with format "rejected" gives all of them. */
  rejected: RejectedRow[];
}

export interface DatasetVersionView extends DatasetVersionSummary {
  columns: string[];
  mapping: ColumnMapping;
  labelScheme: LabelScheme;
  /** The first rows as cells by column name, for the mapping editor's preview. */
  preview: Record<string, string>[];
  importReport: ImportReport;
}

export interface CheckView {
  check: CheckId;
  title: string;
  score: number;
  grade: Grade;
  summary: string;
  skipped: string | null;
  findingCount: number;
  /** Rows the "drop flagged rows" fix would remove for this check; 0 when the check offers no drop. */
  droppable: number;
  /** Rows the "relabel flagged rows" fix would relabel (findings with a suggested label). */
  relabelable: number;
  charts: (BarChart | TableChart)[];
}

export interface AuditView {
  versionId: string;
  rowCount: number;
  overallScore: number;
  overallGrade: Grade;
  checks: CheckView[];
  /** Rows each one-click fix would remove; 0 means the fix has nothing to do. */
  oneClick: { exactDuplicates: number; nearDuplicates: number; toxic: number };
  timings: { check: string; ms: number }[];
}

export interface FindingQuery {
  versionId: string;
  /** null: findings of every check that name rows. */
  check: CheckId | null;
  offset: number;
  limit: number;
}

export interface FindingRowView {
  id: number;
  line: number;
  /** Cut to a few hundred characters; the full text stays in the worker. */
  text: string;
  label: string | null;
}

export interface FindingView {
  id: string;
  check: CheckId;
  severity: Severity;
  reason: string;
  similarity: number | null;
  suggestedLabel: string | null;
  /** Whether the finding suggests dropping its rows (duplicates suggest keeping one of them instead). */
  droppable: boolean;
  rowCount: number;
  /** The first rows the finding names. */
  rows: FindingRowView[];
}

export interface FindingPage {
  total: number;
  offset: number;
  items: FindingView[];
}

/** The one-click fixes; each makes a new version and leaves its parent as it was. */
export type FixChoice =
  | { kind: 'drop-exact-duplicates' }
  | { kind: 'keep-one-per-cluster' }
  | { kind: 'drop-toxic-rows'; minSeverity: 2 | 3 }
  /** Without findingIds: every row-level finding of the check that suggests dropping or relabelling. */
  | { kind: 'drop-flagged'; check: CheckId; findingIds?: string[] }
  | { kind: 'relabel-flagged'; check: CheckId; findingIds?: string[] };

export type ExportFormat = 'csv' | 'jsonl' | 'rejected';

export interface ExportedFile {
  fileName: string;
  mimeType: string;
  bytes: ArrayBuffer;
}

export interface IngestPayload {
  fileName: string;
  /** Transferred, not copied. */
  bytes: ArrayBuffer;
  /** null: detect it. */
  encoding: TextEncodingName | null;
  mapping: Partial<ColumnMapping> | null;
}

export interface DataRequests {
  /** Reads a dataset file in the worker and stores it as version 1 of a new dataset. */
  ingestDataset: { payload: IngestPayload; result: DatasetVersionView; progress: IngestProgress };
  /** Every stored version, newest first. */
  listDatasets: { payload: NoPayload; result: DatasetVersionSummary[]; progress: never };
  loadDatasetVersion: { payload: { versionId: string }; result: DatasetVersionView; progress: never };
  /** A new version that reads the same columns with another text/label choice. */
  remapDataset: {
    payload: { versionId: string; mapping: ColumnMapping };
    result: DatasetVersionView;
    progress: never;
  };
  auditDataset: { payload: { versionId: string }; result: AuditView; progress: AuditProgress };
  /** A page of the last audit's findings for a version. */
  datasetFindings: { payload: FindingQuery; result: FindingPage; progress: never };
  /** Applies a fix to a version (auditing it first when it has no report yet) and stores the result. */
  fixDataset: {
    payload: { versionId: string; fix: FixChoice };
    result: DatasetVersionView;
    progress: AuditProgress;
  };
  /** The version as a file; the bytes are transferred. */
  exportDataset: {
    payload: { versionId: string; format: ExportFormat };
    result: ExportedFile;
    progress: never;
  };
}
