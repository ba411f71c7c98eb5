import { classifyLabels } from './ingest/labels.ts';
import type {
  ColumnMapping,
  Delimiter,
  FileFormat,
  IngestCounts,
  IngestResult,
  LabelScheme,
  TextEncodingName,
} from './ingest/types.ts';
import type { DatasetRow } from './types.ts';

/** Where the first version of a dataset came from. */
export interface DatasetSource {
  fileName: string | null;
  format: FileFormat;
  encoding: TextEncodingName;
  delimiter: Delimiter | null;
  counts: IngestCounts;
}

export interface RemovedRow {
  id: number;
  /** Why this row in particular, e.g. "duplicate of row 12"; the fix's reason covers the rest. */
  why?: string;
}

export interface Relabel {
  id: number;
  from: string | null;
  to: string | null;
  why?: string;
}

export interface TextEdit {
  id: number;
  from: string;
  to: string;
  why?: string;
}

export type ChangeRecord =
  | { kind: 'import'; at: number; source: DatasetSource }
  | {
      kind: 'fix';
      at: number;
      /** Which fix, as a stable name such as "drop-exact-duplicates". */
      fix: string;
      reason: string;
      removed: RemovedRow[];
      relabelled: Relabel[];
      edited: TextEdit[];
    }
  | { kind: 'remap'; at: number; from: ColumnMapping; to: ColumnMapping };

/** An immutable snapshot of a dataset. Row ids are stable across versions, so findings stay comparable. */
export interface DatasetVersion {
  readonly id: string;
  /** Shared by every version descended from the same import. */
  readonly datasetId: string;
  readonly parentId: string | null;
  /** For people: the imported file's name; kept by every descendant. */
  readonly name: string;
  /** 1 for the import, parent's number + 1 after. */
  readonly number: number;
  /** Milliseconds since the epoch, as the storage layer keeps times. */
  readonly createdAt: number;
  readonly columns: readonly string[];
  readonly mapping: ColumnMapping;
  readonly labelScheme: LabelScheme;
  readonly rows: readonly DatasetRow[];
  readonly change: ChangeRecord;
}

export interface FixRequest {
  fix: string;
  reason: string;
  remove?: RemovedRow[];
  relabel?: Array<{ id: number; to: string | null; why?: string }>;
  editText?: Array<{ id: number; to: string; why?: string }>;
}

/** Source of ids and time, injectable so tests and replays are deterministic. */
export interface VersionClock {
  newId(): string;
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: VersionClock = {
  newId: () => crypto.randomUUID(),
  now: () => Date.now(),
};

export class VersionError extends Error {
  override readonly name = 'VersionError';
}

function freezeRow(row: DatasetRow): DatasetRow {
  Object.freeze(row.extra);
  return Object.freeze(row);
}

function freezeVersion(version: DatasetVersion): DatasetVersion {
  Object.freeze(version.rows);
  Object.freeze(version.columns);
  Object.freeze(version.mapping.extra);
  Object.freeze(version.mapping);
  return Object.freeze(version);
}

/** The first version of a dataset, from an ingest result. The result's rows are taken over and frozen. */
export function createImportVersion(
  result: IngestResult,
  fileName: string | null,
  clock: VersionClock = systemClock,
): DatasetVersion {
  const id = clock.newId();
  const at = clock.now();
  return freezeVersion({
    id,
    datasetId: id,
    parentId: null,
    name: fileName ?? 'dataset',
    number: 1,
    createdAt: at,
    columns: [...result.columns],
    mapping: { ...result.mapping, extra: [...result.mapping.extra] },
    labelScheme: result.labelScheme,
    rows: result.rows.map(freezeRow),
    change: {
      kind: 'import',
      at,
      source: {
        fileName,
        format: result.format,
        encoding: result.encoding.name,
        delimiter: result.delimiter,
        counts: { ...result.counts },
      },
    },
  });
}

function assertKnownIds(ids: number[], known: Set<number>, what: string): void {
  const seen = new Set<number>();
  for (const id of ids) {
    if (!known.has(id)) throw new VersionError(`Cannot ${what} row ${id}: this version has no such row.`);
    if (seen.has(id)) throw new VersionError(`Row ${id} is listed twice to ${what}.`);
    seen.add(id);
  }
}

/** Builds the change record for a fix, checking it against the parent; throws VersionError when it is invalid. */
export function describeFix(parent: DatasetVersion, request: FixRequest, at: number): ChangeRecord {
  const byId = new Map(parent.rows.map((row) => [row.id, row]));
  const known = new Set(byId.keys());
  const remove = request.remove ?? [];
  const relabel = request.relabel ?? [];
  const editText = request.editText ?? [];
  assertKnownIds(
    remove.map((r) => r.id),
    known,
    'remove',
  );
  assertKnownIds(
    relabel.map((r) => r.id),
    known,
    'relabel',
  );
  assertKnownIds(
    editText.map((r) => r.id),
    known,
    'edit',
  );
  const removed = new Set(remove.map((r) => r.id));
  for (const change of [...relabel, ...editText]) {
    if (removed.has(change.id))
      throw new VersionError(`Row ${change.id} cannot be both removed and changed in one fix.`);
  }
  if (remove.length + relabel.length + editText.length === 0) {
    throw new VersionError(`The fix "${request.fix}" changes nothing, so no new version was made.`);
  }
  return {
    kind: 'fix',
    at,
    fix: request.fix,
    reason: request.reason,
    removed: remove.map((r) => ({ ...r })),
    relabelled: relabel.map((r) => ({
      id: r.id,
      from: byId.get(r.id)?.label ?? null,
      to: r.to,
      ...(r.why ? { why: r.why } : {}),
    })),
    edited: editText.map((e) => ({
      id: e.id,
      from: byId.get(e.id)?.text ?? '',
      to: e.to,
      ...(e.why ? { why: e.why } : {}),
    })),
  };
}

function remapRow(row: DatasetRow, from: ColumnMapping, to: ColumnMapping): DatasetRow {
  const cells: Record<string, string> = { ...row.extra, [from.text]: row.text };
  if (from.label !== null) cells[from.label] = row.label ?? '';
  const label = to.label === null ? '' : (cells[to.label] ?? '').trim();
  const extra: Record<string, string> = {};
  for (const column of to.extra) {
    const value = cells[column];
    if (value !== undefined) extra[column] = value;
  }
  return {
    id: row.id,
    line: row.line,
    text: cells[to.text] ?? '',
    label: label === '' ? null : label,
    extra,
  };
}

function changedRows(
  parent: DatasetVersion,
  change: ChangeRecord,
): { rows: DatasetRow[]; mapping: ColumnMapping } {
  switch (change.kind) {
    case 'import':
      throw new VersionError('An import starts a dataset; it cannot be applied to a parent version.');
    case 'remap':
      return {
        rows: parent.rows.map((row) => freezeRow(remapRow(row, change.from, change.to))),
        mapping: change.to,
      };
    case 'fix': {
      const removed = new Set(change.removed.map((r) => r.id));
      const labels = new Map(change.relabelled.map((r) => [r.id, r.to]));
      const texts = new Map(change.edited.map((e) => [e.id, e.to]));
      const rows: DatasetRow[] = [];
      for (const row of parent.rows) {
        if (removed.has(row.id)) continue;
        const label = labels.has(row.id) ? (labels.get(row.id) ?? null) : row.label;
        const text = texts.get(row.id) ?? row.text;
        // Unchanged rows are shared with the parent: they are frozen, so sharing is safe.
        rows.push(
          label === row.label && text === row.text
            ? row
            : freezeRow({ ...row, label, text, extra: row.extra }),
        );
      }
      return { rows, mapping: parent.mapping };
    }
    default: {
      const unknown: never = change;
      throw new VersionError(`Unknown change ${JSON.stringify(unknown)}.`);
    }
  }
}

/**
 * The child of `parent` after `change`. Pure and deterministic: replaying a stored change record on its
 * parent gives the same rows, so storage may keep only the records. The parent is never modified.
 */
export function applyChange(parent: DatasetVersion, change: ChangeRecord, id: string): DatasetVersion {
  const { rows, mapping } = changedRows(parent, change);
  return freezeVersion({
    id,
    datasetId: parent.datasetId,
    parentId: parent.id,
    name: parent.name,
    number: parent.number + 1,
    createdAt: change.at,
    columns: parent.columns,
    mapping: { ...mapping, extra: [...mapping.extra] },
    labelScheme: classifyLabels(rows.map((r) => r.label)),
    rows,
    change,
  });
}

/** A new version with the fix applied: rows removed, relabelled or edited, and a record of what and why. */
export function applyFix(
  parent: DatasetVersion,
  request: FixRequest,
  clock: VersionClock = systemClock,
): DatasetVersion {
  return applyChange(parent, describeFix(parent, request, clock.now()), clock.newId());
}

/**
 * What an audit fix reports (src/data/audit/fixes.ts ChangeRecord has this shape): which rows it removes or
 * relabels and why. Typed structurally, so the version logic does not depend on the audit module.
 */
export interface FixOutcome {
  fix: string;
  description: string;
  removed: ReadonlyArray<{ id: number; reason: string }>;
  relabelled: ReadonlyArray<{ id: number; to: string | null; reason: string }>;
}

export function fixRequestOf(outcome: FixOutcome): FixRequest {
  return {
    fix: outcome.fix,
    reason: outcome.description,
    remove: outcome.removed.map((r) => ({ id: r.id, why: r.reason })),
    relabel: outcome.relabelled.map((r) => ({ id: r.id, to: r.to, why: r.reason })),
  };
}

/** A new version that reads the same columns with a different text/label choice (e.g. the user corrected a guess). */
export function remapVersion(
  parent: DatasetVersion,
  to: ColumnMapping,
  clock: VersionClock = systemClock,
): DatasetVersion {
  for (const name of [to.text, to.label, ...to.extra]) {
    if (name !== null && !parent.columns.includes(name)) {
      throw new VersionError(`There is no column "${name}"; the columns are ${parent.columns.join(', ')}.`);
    }
  }
  if (to.label === to.text)
    throw new VersionError(`"${to.text}" cannot be both the text and the label column.`);
  const change: ChangeRecord = { kind: 'remap', at: clock.now(), from: parent.mapping, to };
  return applyChange(parent, change, clock.newId());
}

/** The chain from the import to `id`, oldest first. */
export function lineageOf(versions: Iterable<DatasetVersion>, id: string): DatasetVersion[] {
  const byId = new Map<string, DatasetVersion>();
  for (const v of versions) byId.set(v.id, v);
  const chain: DatasetVersion[] = [];
  for (let v = byId.get(id); v; v = v.parentId === null ? undefined : byId.get(v.parentId)) {
    if (chain.includes(v)) throw new VersionError(`Version ${v.id} is its own ancestor.`);
    chain.push(v);
  }
  if (chain.length === 0) throw new VersionError(`There is no version ${id}.`);
  return chain.reverse();
}

export interface VersionDiff {
  removed: number[];
  added: number[];
  relabelled: Array<{ id: number; from: string | null; to: string | null }>;
  edited: Array<{ id: number; from: string; to: string }>;
}

/** What differs between two versions of one dataset, by row id. */
export function diffVersions(older: DatasetVersion, newer: DatasetVersion): VersionDiff {
  const before = new Map(older.rows.map((r) => [r.id, r]));
  const after = new Map(newer.rows.map((r) => [r.id, r]));
  const diff: VersionDiff = { removed: [], added: [], relabelled: [], edited: [] };
  for (const [id, row] of before) {
    const next = after.get(id);
    if (!next) {
      diff.removed.push(id);
      continue;
    }
    if (next.label !== row.label) diff.relabelled.push({ id, from: row.label, to: next.label });
    if (next.text !== row.text) diff.edited.push({ id, from: row.text, to: next.text });
  }
  for (const id of after.keys()) if (!before.has(id)) diff.added.push(id);
  return diff;
}
