/** Text normalisation and tokenisation shared by the checks. */

const INVISIBLE = /[\p{Cf}]/gu;
// Punctuation and maths/currency/modifier symbols; emoji and other pictographs (\p{So}) are content and stay.
const PUNCTUATION_OR_SPACE = /[\p{P}\p{Sm}\p{Sc}\p{Sk}\s]+/gu;
const HAN = /\p{Script=Han}/u;
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu;
const HAN_OR_RUN = /\p{Script=Han}|[^\p{Script=Han}]+/gu;

/** NFKC (full-width → half-width, compatibility forms), lower case, invisible characters removed. */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(INVISIBLE, '');
}

/**
 * The key two rows must share to count as exact duplicates: folded, punctuation (Latin and Chinese)
 * removed, whitespace collapsed, and no spaces next to Chinese characters (Chinese has no word spaces).
 */
export function duplicateKey(text: string): string {
  return duplicateKeyOfFolded(foldText(text));
}

/** duplicateKey for text already passed through foldText. */
export function duplicateKeyOfFolded(folded: string): string {
  const spaced = folded.replace(PUNCTUATION_OR_SPACE, ' ').trim();
  if (!spaced.includes(' ') || !HAN.test(spaced)) return spaced;
  const parts = spaced.split(' ');
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i++) {
    const next = parts[i] ?? '';
    if (!endsWithHan(out) && !isHanCode(next.charCodeAt(0))) out += ' ';
    out += next;
  }
  return out;
}

/** Han ideographs in the BMP, or the high surrogate of one in the supplementary ideograph planes (U+20000–U+3FFFF). */
function isHanCode(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xd840 && c <= 0xd8bf)
  );
}

function endsWithHan(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return isHanCode(last >= 0xdc00 && last <= 0xdfff ? text.charCodeAt(text.length - 2) : last);
}

/** Words for alphabetic scripts, single characters for Chinese, from already folded text. */
export function tokenize(folded: string): string[] {
  const out: string[] = [];
  for (const match of folded.matchAll(WORD)) {
    const word = match[0];
    if (!HAN.test(word)) {
      out.push(word);
      continue;
    }
    for (const piece of word.matchAll(HAN_OR_RUN)) out.push(piece[0]);
  }
  return out;
}

export function isHanToken(token: string): boolean {
  return HAN.test(token);
}

/** 32-bit FNV-1a over UTF-16 code units of text[start, end). */
export function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function hashString(text: string): number {
  return hashRange(text, 0, text.length);
}

/** Murmur3's finaliser: spreads the bits of a 32-bit value. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
