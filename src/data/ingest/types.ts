import type { DatasetRow } from '../types.ts';

/** Encodings the ingester can decode; every one is a WHATWG TextDecoder label, so browsers and Node agree. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5' | 'windows-1252';

export type EncodingEvidence =
  | 'byte-order-mark'
  | 'valid-utf-8'
  | 'mostly-utf-8'
  | 'utf-16-zero-bytes'
  | 'chinese-double-byte'
  | 'single-byte-fallback'
  | 'chosen-by-user';

export interface EncodingChoice {
  name: TextEncodingName;
  evidence: EncodingEvidence;
  /** Characters that could not be decoded and became U+FFFD. */
  replacementCount: number;
}

export type FileFormat = 'csv' | 'jsonl' | 'json' | 'lines';

export type Delimiter = ',' | ';' | '\t' | '|';

export interface ColumnMapping {
  /** Column holding the joke text. */
  text: string;
  /** Column holding the label, or null for an unlabeled dataset. */
  label: string | null;
  /** Every other column, in file order; kept verbatim in DatasetRow.extra. */
  extra: string[];
}

export type LabelScheme =
  | { kind: 'none' }
  | {
      kind: 'binary';
      /** Raw values (trimmed, as in the file) that mean "funny"; compared case-insensitively. */
      positive: string[];
      negative: string[];
    }
  | { kind: 'categorical'; categories: string[] }
  | { kind: 'numeric'; min: number; max: number };

/** Why a row was flagged or rejected; `code` is stable for programs, `message` is for people. */
export interface RowReason {
  code:
    | 'empty-text'
    | 'too-many-fields'
    | 'too-few-fields'
    | 'unterminated-quote'
    | 'malformed-quotes'
    | 'undecodable-bytes'
    | 'control-characters'
    | 'missing-label'
    | 'unrecognised-label'
    | 'invalid-json'
    | 'not-an-object';
  message: string;
}

export interface FlaggedRow {
  rowId: number;
  line: number;
  reasons: RowReason[];
}

export interface RejectedRow {
  line: number;
  /** The row exactly as it stood in the decoded file, line break excluded. */
  raw: string;
  reasons: RowReason[];
}

export interface IngestCounts {
  /** Records found in the file (header and blank lines excluded). */
  records: number;
  accepted: number;
  flagged: number;
  rejected: number;
  /** Lines with nothing on them: not records, counted so nothing disappears unaccounted. */
  blankLines: number;
}

export interface IngestResult {
  format: FileFormat;
  encoding: EncodingChoice;
  delimiter: Delimiter | null;
  hasHeader: boolean;
  /** Column names in file order (generated as column1… when the file has no header). */
  columns: string[];
  mapping: ColumnMapping;
  labelScheme: LabelScheme;
  /** Accepted and flagged rows, ids 0…n-1 in file order. */
  rows: DatasetRow[];
  flagged: FlaggedRow[];
  rejected: RejectedRow[];
  counts: IngestCounts;
  /** File-level remarks a person should read (e.g. a guessed encoding, gzip unpacked). */
  warnings: string[];
}

export interface IngestOptions {
  /** Shown in messages; also used to recognise .jsonl/.tsv by extension. */
  fileName?: string;
  encoding?: TextEncodingName;
  format?: FileFormat;
  delimiter?: Delimiter;
  hasHeader?: boolean;
  /** Overrides the guessed mapping; column names as in IngestResult.columns. */
  mapping?: Partial<ColumnMapping>;
  /** Rows parsed between progress reports and abort checks. */
  chunkRows?: number;
}

export interface IngestProgress {
  phase: 'decode' | 'parse' | 'rows';
  /** 0…1 over the whole file. */
  fraction: number;
  recordsSoFar: number;
}

export type ProgressCallback = (progress: IngestProgress) => void;
