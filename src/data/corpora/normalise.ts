/** Text clean-up and the keys that duplicate detection and the train/validation split are based on. */

// C0/C1 controls except tab and line feed; joke-db.csv has 0x0B and 0x1C–0x1E inside fields.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/gu;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/gu;
const SPACES = /[ \t\u00A0\u3000]+/gu;
const SPACE_AROUND_NEWLINE = / *\n */gu;
const BLANK_LINES = /\n{3,}/gu;

/** Tidies whitespace without changing wording: controls removed, space runs collapsed, at most one blank line. */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/gu, '\n')
    .replace(CONTROL, ' ')
    .replace(INVISIBLE, '')
    .replace(SPACES, ' ')
    .replace(SPACE_AROUND_NEWLINE, '\n')
    .replace(BLANK_LINES, '\n\n')
    .trim();
}

/**
 * The comparison key SOURCES.md used to hold back the reserved evaluation rows: Unicode NFKC, lower case,
 * letters and digits only. Two texts with the same key count as exact duplicates.
 */
export function normalisedKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** 32-bit FNV-1a over the UTF-8 bytes of `text`; stable across runs, platforms and Node versions. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

const HAN = /\p{Script=Han}/gu;
const LATIN = /\p{Script=Latin}/gu;

/** Counts of Han and Latin characters, for language checks and the balance report. */
export function scriptCounts(text: string): { han: number; latin: number } {
  return { han: text.match(HAN)?.length ?? 0, latin: text.match(LATIN)?.length ?? 0 };
}
