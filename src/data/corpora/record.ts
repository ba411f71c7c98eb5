import type { CorpusRecord, ParseContext } from './types.ts';

/** Builds a record; `id` is the 0-based position of the record within its file. */
export function makeRecord(
  context: ParseContext,
  id: number,
  line: number,
  text: string,
  label: string | null,
  humor: boolean | null,
  extra: Record<string, string> = {},
): CorpusRecord {
  return { ...context, id, line, text, label, humor, extra };
}

/** Every cell except the named ones, for `extra`. */
export function otherCells(cells: Record<string, string>, taken: readonly string[]): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const [name, value] of Object.entries(cells)) if (!taken.includes(name)) extra[name] = value;
  return extra;
}
