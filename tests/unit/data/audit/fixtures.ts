import { readFileSync } from 'node:fs';
import type { DatasetRow } from '../../../../src/data/types.ts';

export interface FixtureRow {
  text: string;
  label?: string | null;
  [key: string]: unknown;
}

/** Reads tests/fixtures/audit/<name>.json: { about, rows: [{ text, label?, …expectations }] }. */
export function loadFixture(name: string): FixtureRow[] {
  const url = new URL(`../../../fixtures/audit/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { rows: FixtureRow[] }).rows;
}

/** Dataset rows with ids 100, 101, … (not equal to positions, so tests catch id/index mix-ups) and lines 2, 3, …. */
export function toRows(items: readonly (FixtureRow | string)[]): DatasetRow[] {
  return items.map((item, i) => {
    const f = typeof item === 'string' ? { text: item } : item;
    return { id: 100 + i, line: i + 2, text: f.text, label: f.label ?? null, extra: {} };
  });
}
