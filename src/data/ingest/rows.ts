import type { DatasetRow } from '../types.ts';
import { countReplacementChars } from './encoding.ts';
import { unescapeFormula } from './formula.ts';
import type { ObjectRecord } from './line-records.ts';
import { stripLineBreak, type SourceRecord } from './records.ts';
import { countStrayControls } from './sniff.ts';
import type { ColumnMapping, FlaggedRow, RejectedRow, RowReason } from './types.ts';

/** A record after column mapping, before it gets an id: its status follows from its reasons. */
export interface MappedRecord {
  line: number;
  /** The raw text (JSON), or where it stands in the decoded file (delimited), sliced only if the row is rejected. */
  source: string | { start: number; end: number };
  text: string;
  label: string | null;
  extra: Record<string, string>;
  problems: RowReason[];
  /** Set when the record cannot become a row at all. */
  rejectedBy?: RowReason;
}

export interface RowSet {
  rows: DatasetRow[];
  flagged: FlaggedRow[];
  rejected: RejectedRow[];
}

function fieldCountReason(
  code: 'too-many-fields' | 'too-few-fields',
  got: number,
  want: number,
  tail: string,
): RowReason {
  return { code, message: `This row has ${got} fields where the header has ${want}; ${tail}` };
}

/**
 * Maps positional fields to columns. Too many fields usually means an unquoted delimiter inside the
 * text, so the surplus is joined back into the text column (fields left of it map from the left, right of
 * it from the right). Too few fields fill from the left; the row is rejected if the text field is missing.
 */
export interface DelimitedLayout {
  columns: string[];
  mapping: ColumnMapping;
  delimiter: string;
  /** Undo the exporter's formula escape (CSV and TSV, never plain lines). */
  unescape: boolean;
  textIndex: number;
  labelIndex: number;
  extraIndexes: Array<[string, number]>;
}

export function delimitedLayout(
  columns: string[],
  mapping: ColumnMapping,
  delimiter: string,
  unescape: boolean,
): DelimitedLayout {
  return {
    columns,
    mapping,
    delimiter,
    unescape,
    textIndex: columns.indexOf(mapping.text),
    labelIndex: mapping.label === null ? -1 : columns.indexOf(mapping.label),
    extraIndexes: mapping.extra.map((name) => [name, columns.indexOf(name)]),
  };
}

function joinSurplus(record: SourceRecord, layout: DelimitedLayout, problems: RowReason[]): string[] {
  const { textIndex, delimiter } = layout;
  const fields = record.fields;
  const surplus = fields.length - layout.columns.length;
  const shown = delimiter === '\t' ? 'tab' : delimiter;
  problems.push(
    fieldCountReason(
      'too-many-fields',
      fields.length,
      layout.columns.length,
      `the extra fields were joined into "${layout.mapping.text}" (probably an unquoted "${shown}" in the text).`,
    ),
  );
  return [
    ...fields.slice(0, textIndex),
    fields.slice(textIndex, textIndex + surplus + 1).join(delimiter),
    ...fields.slice(textIndex + surplus + 1),
  ];
}

/**
 * Maps positional fields to columns. Too many fields usually means an unquoted delimiter inside the
 * text, so the surplus is joined back into the text column (fields left of it map from the left, right of
 * it from the right). Too few fields fill from the left; the row is rejected if the text field is missing.
 */
export function mapDelimitedRecord(record: SourceRecord, layout: DelimitedLayout): MappedRecord {
  const want = layout.columns.length;
  const problems = record.problems.length > 0 ? [...record.problems] : [];
  let fields = record.fields;
  let rejectedBy: RowReason | undefined;
  if (fields.length > want) {
    fields = joinSurplus(record, layout, problems);
  } else if (fields.length < want) {
    const missing = layout.textIndex >= fields.length;
    const reason = fieldCountReason(
      'too-few-fields',
      fields.length,
      want,
      missing ? `the "${layout.mapping.text}" field is missing.` : 'the missing fields were left empty.',
    );
    if (missing) rejectedBy = reason;
    else problems.push(reason);
  }
  const unescape = layout.unescape;
  const extra: Record<string, string> = {};
  for (const [name, index] of layout.extraIndexes) {
    const value = fields[index] ?? '';
    extra[name] = unescape ? unescapeFormula(value) : value;
  }
  const rawLabel = layout.labelIndex < 0 ? '' : (fields[layout.labelIndex] ?? '');
  const label = (unescape ? unescapeFormula(rawLabel) : rawLabel).trim();
  const text = fields[layout.textIndex] ?? '';
  return {
    line: record.line,
    source: record,
    text: unescape ? unescapeFormula(text) : text,
    label: label === '' ? null : label,
    extra,
    problems,
    rejectedBy,
  };
}

export function mapObjectRecord(record: ObjectRecord, mapping: ColumnMapping): MappedRecord {
  const extra: Record<string, string> = {};
  for (const column of mapping.extra) {
    const value = record.values[column];
    if (value !== undefined) extra[column] = value;
  }
  const text = record.values[mapping.text];
  const label = mapping.label === null ? '' : (record.values[mapping.label] ?? '').trim();
  return {
    line: record.line,
    source: record.raw,
    text: text ?? '',
    label: label === '' ? null : label,
    extra,
    problems: [],
    rejectedBy:
      text === undefined
        ? { code: 'empty-text', message: `This object has no "${mapping.text}" key.` }
        : undefined,
  };
}

const EMPTY_TEXT: RowReason = { code: 'empty-text', message: 'The text is empty.' };

function hasReplacement(record: MappedRecord): boolean {
  if (record.text.includes('\uFFFD') || record.label?.includes('\uFFFD')) return true;
  for (const value of Object.values(record.extra)) if (value.includes('\uFFFD')) return true;
  return false;
}

/** Fields holding U+FFFD, with how many: the text, the label, or an extra column by name. */
function damagedFieldsOf(record: MappedRecord): Array<[string, number]> {
  if (!hasReplacement(record)) return [];
  const fields: Array<[string, string | null]> = [
    ['the text', record.text],
    ['the label', record.label],
    ...Object.entries(record.extra).map(([name, value]): [string, string] => [`"${name}"`, value]),
  ];
  const damaged: Array<[string, number]> = [];
  for (const [field, value] of fields) {
    const count = value === null ? 0 : countReplacementChars(value);
    if (count > 0) damaged.push([field, count]);
  }
  return damaged;
}

function contentProblems(record: MappedRecord, labelled: boolean): RowReason[] {
  const problems: RowReason[] = [];
  const damagedFields = damagedFieldsOf(record);
  if (damagedFields.length > 0) {
    const damaged = damagedFields.reduce((sum, [, n]) => sum + n, 0);
    const where = damagedFields.map(([field]) => field).join(', ');
    problems.push({
      code: 'undecodable-bytes',
      message: `${damaged} character${damaged === 1 ? '' : 's'} could not be decoded and show as "\uFFFD" (in ${where}).`,
    });
  }
  const controls = countStrayControls(record.text);
  if (controls > 0) {
    problems.push({
      code: 'control-characters',
      message: `The text holds ${controls} invisible control character${controls === 1 ? '' : 's'}.`,
    });
  }
  if (labelled && record.label === null) {
    problems.push({ code: 'missing-label', message: 'The label is empty.' });
  }
  return problems;
}

/** Turns mapped records into rows (ids in file order), flagged notes and rejected rows; nothing is dropped. */
export function assembleRows(mapped: Iterable<MappedRecord>, labelled: boolean, decoded: string): RowSet {
  const set: RowSet = { rows: [], flagged: [], rejected: [] };
  for (const record of mapped) {
    const fatal = record.rejectedBy ?? (record.text.trim() === '' ? EMPTY_TEXT : undefined);
    if (fatal) {
      const { source } = record;
      const raw =
        typeof source === 'string' ? source : stripLineBreak(decoded.slice(source.start, source.end));
      set.rejected.push({ line: record.line, raw, reasons: [fatal, ...record.problems] });
      continue;
    }
    const id = set.rows.length;
    set.rows.push({ id, line: record.line, text: record.text, label: record.label, extra: record.extra });
    const content = contentProblems(record, labelled);
    const reasons = content.length > 0 ? [...record.problems, ...content] : record.problems;
    if (reasons.length > 0) set.flagged.push({ rowId: id, line: record.line, reasons });
  }
  return set;
}
