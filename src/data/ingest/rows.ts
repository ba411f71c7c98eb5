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
  raw: () => string;
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
export function mapDelimitedRecord(
  record: SourceRecord,
  text: string,
  columns: string[],
  mapping: ColumnMapping,
  delimiter: string,
  unescape: boolean,
): MappedRecord {
  const want = columns.length;
  const textIndex = columns.indexOf(mapping.text);
  let fields = record.fields;
  const problems = [...record.problems];
  let rejectedBy: RowReason | undefined;
  if (fields.length > want) {
    const surplus = fields.length - want;
    fields = [
      ...fields.slice(0, textIndex),
      fields.slice(textIndex, textIndex + surplus + 1).join(delimiter),
      ...fields.slice(textIndex + surplus + 1),
    ];
    problems.push(
      fieldCountReason(
        'too-many-fields',
        record.fields.length,
        want,
        `the extra fields were joined into "${mapping.text}" (probably an unquoted "${delimiter === '\t' ? 'tab' : delimiter}" in the text).`,
      ),
    );
  } else if (fields.length < want) {
    const missing = textIndex >= fields.length;
    const reason = fieldCountReason(
      'too-few-fields',
      fields.length,
      want,
      missing ? `the "${mapping.text}" field is missing.` : 'the missing fields were left empty.',
    );
    if (missing) rejectedBy = reason;
    else problems.push(reason);
  }
  const cell = (column: string): string => {
    const value = fields[columns.indexOf(column)] ?? '';
    return unescape ? unescapeFormula(value) : value;
  };
  const extra: Record<string, string> = {};
  for (const column of mapping.extra) extra[column] = cell(column);
  const labelCell = mapping.label === null ? '' : cell(mapping.label).trim();
  return {
    line: record.line,
    raw: () => stripLineBreak(text.slice(record.start, record.end)),
    text: cell(mapping.text),
    label: labelCell === '' ? null : labelCell,
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
    raw: () => record.raw,
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

/** Fields holding U+FFFD, with how many: the text, the label, or an extra column by name. */
function damagedFieldsOf(record: MappedRecord): Array<[string, number]> {
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
export function assembleRows(mapped: Iterable<MappedRecord>, labelled: boolean): RowSet {
  const set: RowSet = { rows: [], flagged: [], rejected: [] };
  for (const record of mapped) {
    const fatal = record.rejectedBy ?? (record.text.trim() === '' ? EMPTY_TEXT : undefined);
    if (fatal) {
      set.rejected.push({ line: record.line, raw: record.raw(), reasons: [fatal, ...record.problems] });
      continue;
    }
    const id = set.rows.length;
    set.rows.push({ id, line: record.line, text: record.text, label: record.label, extra: record.extra });
    const reasons = [...record.problems, ...contentProblems(record, labelled)];
    if (reasons.length > 0) set.flagged.push({ rowId: id, line: record.line, reasons });
  }
  return set;
}
