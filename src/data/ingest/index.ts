/**
 * Dataset ingestion: the entry point the worker calls with a dropped file's bytes.
 *
 *   const result = await ingestFile(bytes, { fileName }, onProgress, signal);
 *   result.rows      accepted + flagged rows (DatasetRow, ids 0…n-1), ready for the audit
 *   result.flagged   { rowId, line, reasons } for rows kept with a problem
 *   result.rejected  { line, raw, reasons } for rows that could not be used (exportRejectedCsv downloads them)
 *   result.encoding / delimiter / format / hasHeader / columns / mapping / labelScheme / warnings / counts
 *
 * Options override every guess (encoding, format, delimiter, hasHeader, mapping); re-running with the
 * user's corrections is cheap. A file that cannot be used at all rejects with one IngestError whose
 * message says what to do. Everything here is plain data, safe to post between worker and page.
 */
import { decodeBytes } from './encoding.ts';
import { IngestError, describeFile } from './errors.ts';
import { detectDialect, type Dialect } from './dialect.ts';
import { unescapeFormula } from './formula.ts';
import { classifyLabels, fitsScheme } from './labels.ts';
import { readJsonDocument } from './json-records.ts';
import { readJsonLines, readPlainLines } from './line-records.ts';
import {
  detectHeader,
  generatedColumnNames,
  guessMapping,
  isKnownTextHeader,
  uniqueColumnNames,
} from './mapping.ts';
import { readDelimitedRecords, type ReadControl, type SourceRecord } from './records.ts';
import {
  assembleRows,
  delimitedLayout,
  mapDelimitedRecord,
  mapObjectRecord,
  type MappedRecord,
  type RowSet,
} from './rows.ts';
import { gunzipIfCompressed, rejectControlHeavyText, rejectKnownBinary } from './sniff.ts';
import type {
  ColumnMapping,
  EncodingChoice,
  FlaggedRow,
  IngestOptions,
  IngestResult,
  LabelScheme,
  ProgressCallback,
  RejectedRow,
} from './types.ts';

export { IngestError } from './errors.ts';
export type { IngestErrorCode } from './errors.ts';
export { binaryValue, canonicalLabel, labelClassifier, type LabelClassifier } from './labels.ts';
export { escapeFormula, unescapeFormula } from './formula.ts';
export { SUPPORTED_ENCODINGS, encodingLabel } from './encoding.ts';
export type * from './types.ts';

const DEFAULT_CHUNK_ROWS = 5000;
/** Progress is reported as: decoding up to 5%, parsing up to 95%, assembling rows the rest. */
const DECODED = 0.05;
const PARSED = 0.95;

interface Table {
  columns: string[];
  hasHeader: boolean;
  mapping: ColumnMapping;
  mapped: MappedRecord[];
  rejected: RejectedRow[];
  blankLines: number;
}

function headerOf(records: SourceRecord[], unescape: boolean): string[] {
  const cells = records[0]?.fields ?? [];
  return uniqueColumnNames(unescape ? cells.map(unescapeFormula) : cells);
}

async function readDelimited(
  text: string,
  dialect: Dialect,
  options: IngestOptions,
  control: ReadControl,
): Promise<Table> {
  const read =
    dialect.format === 'lines'
      ? { ...(await readPlainLines(text, dialect.newline, control)), rejected: [] }
      : await readDelimitedRecords(text, dialect.delimiter, dialect.newline, control);
  const records = read.records;
  const unescape = dialect.format === 'csv';
  const first = records[0]?.fields ?? [];
  // A plain list of jokes has a header only when its first line names the column; a short first joke is no header.
  const hasHeader =
    options.hasHeader ??
    (dialect.format === 'lines'
      ? isKnownTextHeader(first[0] ?? '')
      : detectHeader(
          first,
          records.slice(1, 200).map((r) => r.fields),
        ));
  const columns = hasHeader ? headerOf(records, unescape) : generatedColumnNames(modalWidth(records));
  const body = hasHeader ? records.slice(1) : records;
  const sample = body
    .slice(0, 2000)
    .map((r) => Object.fromEntries(columns.map((c, i) => [c, r.fields[i] ?? ''])));
  rejectWhenNoRecords(
    body.length + read.rejected.length,
    hasHeader ? 'a header line' : null,
    options.fileName,
  );
  const mapping = guessMapping(columns, sample, hasHeader, options.mapping, options.fileName);
  const layout = delimitedLayout(columns, mapping, dialect.delimiter ?? '', unescape);
  const mapped = body.map((r) => mapDelimitedRecord(r, layout));
  return { columns, hasHeader, mapping, mapped, rejected: read.rejected, blankLines: read.blankLines };
}

function rejectWhenNoRecords(records: number, onlyHolds: string | null, fileName: string | undefined): void {
  if (records > 0) return;
  const holds = onlyHolds ? `holds only ${onlyHolds} and no rows under it` : 'holds no rows';
  throw new IngestError('empty-file', `${describeFile(fileName)} ${holds}: there are no jokes to read.`);
}

/** Without a header the column count is the most common field count, so one ragged row cannot add columns. */
function modalWidth(records: SourceRecord[]): number {
  const tally = new Map<number, number>();
  for (const r of records.slice(0, 2000)) tally.set(r.fields.length, (tally.get(r.fields.length) ?? 0) + 1);
  let best = 1;
  let count = 0;
  for (const [width, n] of tally) {
    if (n > count) {
      best = width;
      count = n;
    }
  }
  return Math.max(best, 1);
}

async function readObjects(
  text: string,
  dialect: Dialect,
  options: IngestOptions,
  control: ReadControl,
): Promise<Table> {
  const read =
    dialect.format === 'json'
      ? readJsonDocument(text, dialect.document, options.fileName)
      : await readJsonLines(text, dialect.newline, control);
  rejectWhenNoRecords(read.records.length + read.rejected.length, null, options.fileName);
  const mapping = guessMapping(
    read.keys,
    read.records.slice(0, 2000).map((r) => r.values),
    true,
    options.mapping,
    options.fileName,
  );
  return {
    columns: read.keys,
    hasHeader: false,
    mapping,
    mapped: read.records.map((r) => mapObjectRecord(r, mapping)),
    rejected: read.rejected,
    blankLines: read.blankLines,
  };
}

function flagUnrecognisedLabels(set: RowSet, scheme: LabelScheme): FlaggedRow[] {
  if (scheme.kind !== 'binary') return set.flagged;
  const byRow = new Map(set.flagged.map((f) => [f.rowId, f]));
  for (const row of set.rows) {
    if (row.label === null || fitsScheme(scheme, row.label)) continue;
    const reason = {
      code: 'unrecognised-label' as const,
      message: `"${row.label}" is not one of this dataset's two labels (${[...scheme.positive, ...scheme.negative].join(', ')}).`,
    };
    const note = byRow.get(row.id);
    if (note) note.reasons.push(reason);
    else byRow.set(row.id, { rowId: row.id, line: row.line, reasons: [reason] });
  }
  return [...byRow.values()].sort((a, b) => a.rowId - b.rowId);
}

/** Bytes to text: gzip unpacked, known binary formats refused, encoding detected or checked, BOMs dropped. */
function readText(
  input: Uint8Array,
  options: IngestOptions,
): { text: string; encoding: EncodingChoice; warnings: string[] } {
  const file = describeFile(options.fileName);
  const warnings: string[] = [];
  let bytes = input;
  const unpacked = gunzipIfCompressed(bytes, options.fileName);
  if (unpacked) {
    bytes = unpacked;
    warnings.push(`${file} was gzip-compressed and has been unpacked.`);
  }
  if (bytes.length === 0) throw new IngestError('empty-file', `${file} is empty: there is nothing to read.`);
  rejectKnownBinary(bytes, options.fileName);
  const decoded = decodeBytes(bytes, options.encoding, options.fileName);
  warnings.push(...decoded.warnings);
  // TextDecoder drops one byte-order mark; a second one (files re-saved by tools that add their own) is noise.
  const text = decoded.text.replace(/^\uFEFF+/, '');
  rejectControlHeavyText(text, options.fileName);
  if (text.trim() === '') {
    throw new IngestError('empty-file', `${file} holds only blank lines: there is nothing to read.`);
  }
  return { text, encoding: decoded.encoding, warnings };
}

/**
 * Reads a dataset file (CSV, TSV or semicolon CSV; JSON Lines; a JSON array of objects; or one joke per
 * line) from its bytes.
 * Every record ends up as an accepted row, a flagged row (with reasons) or a rejected row (raw text and
 * reasons); a file that cannot be used at all throws one IngestError that says what to do.
 * Aborting the signal rejects with the signal's reason between chunks.
 */
export async function ingestFile(
  input: Uint8Array,
  options: IngestOptions = {},
  onProgress?: ProgressCallback,
  signal?: AbortSignal,
): Promise<IngestResult> {
  signal?.throwIfAborted();
  const file = describeFile(options.fileName);
  const { text, encoding, warnings } = readText(input, options);
  onProgress?.({ phase: 'decode', fraction: DECODED, recordsSoFar: 0 });

  const dialect = detectDialect(text, options);
  const control: ReadControl = {
    chunkRows: Math.max(1, options.chunkRows ?? DEFAULT_CHUNK_ROWS),
    signal,
    onChunk: (offset, recordsSoFar) =>
      onProgress?.({
        phase: 'parse',
        fraction: DECODED + (PARSED - DECODED) * (offset / text.length),
        recordsSoFar,
      }),
  };
  const table =
    dialect.format === 'jsonl' || dialect.format === 'json'
      ? await readObjects(text, dialect, options, control)
      : await readDelimited(text, dialect, options, control);
  signal?.throwIfAborted();

  const labelled = table.mapping.label !== null;
  const set = assembleRows(table.mapped, labelled, text);
  const labelScheme = classifyLabels(set.rows.map((r) => r.label));
  const flagged = flagUnrecognisedLabels(set, labelScheme);
  const rejected = [...table.rejected, ...set.rejected].sort((a, b) => a.line - b.line);
  const records = set.rows.length + rejected.length;
  onProgress?.({ phase: 'rows', fraction: 1, recordsSoFar: records });

  if (set.rows.length === 0) {
    const first = rejected[0];
    const why = first ? ` (line ${first.line}: ${first.reasons[0]?.message ?? 'rejected'})` : '';
    throw new IngestError(
      'no-usable-rows',
      `${file} has no usable rows: all ${rejected.length} were rejected${why}. Check the chosen text column, delimiter and encoding.`,
      rejected,
    );
  }
  if (rejected.length > 0) {
    warnings.push(`${rejected.length} of ${records} rows were rejected; download them to see why.`);
  }
  return {
    format: dialect.format,
    encoding,
    delimiter: dialect.delimiter,
    hasHeader: table.hasHeader,
    columns: table.columns,
    mapping: table.mapping,
    labelScheme,
    rows: set.rows,
    flagged,
    rejected,
    counts: {
      records,
      accepted: set.rows.length - flagged.length,
      flagged: flagged.length,
      rejected: rejected.length,
      blankLines: table.blankLines,
    },
    warnings,
  };
}
