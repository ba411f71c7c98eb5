import { IngestError, describeFile } from './errors.ts';
import type { EncodingChoice, EncodingEvidence, TextEncodingName } from './types.ts';

export const SUPPORTED_ENCODINGS: readonly TextEncodingName[] = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'gb18030',
  'big5',
  'windows-1252',
];

const ENCODING_LABELS: Record<TextEncodingName, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE (Excel "Unicode text")',
  'utf-16be': 'UTF-16 BE',
  gb18030: 'GB18030/GBK (Simplified Chinese)',
  big5: 'Big5 (Traditional Chinese)',
  'windows-1252': 'Windows-1252 (Western European)',
};

export function encodingLabel(name: TextEncodingName): string {
  return ENCODING_LABELS[name];
}

interface Detected {
  name: TextEncodingName;
  evidence: EncodingEvidence;
}

function bomEncoding(bytes: Uint8Array): TextEncodingName | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

const UTF16_SAMPLE_BYTES = 4096;

/** Without a BOM, UTF-16 shows itself by ASCII characters: every other byte is zero, on the odd (LE) or even (BE) side. */
function utf16ByZeroBytes(bytes: Uint8Array): TextEncodingName | null {
  const pairs = Math.floor(Math.min(bytes.length, UTF16_SAMPLE_BYTES) / 2);
  if (pairs < 2) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) zeroEven++;
    if (bytes[2 * i + 1] === 0) zeroOdd++;
  }
  if (zeroOdd > 0.3 * pairs && zeroEven < 0.05 * pairs) return 'utf-16le';
  if (zeroEven > 0.3 * pairs && zeroOdd < 0.05 * pairs) return 'utf-16be';
  return null;
}

function decodesStrictly(bytes: Uint8Array, name: TextEncodingName): boolean {
  try {
    new TextDecoder(name, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function countReplacementChars(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) count++;
  return count;
}

function countNonAscii(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) count++;
  return count;
}

interface DoubleByteStats {
  pairs: number;
  /** Pairs inside GB2312 (lead and trail 0xA1–0xFE): the 7,445 characters of everyday Simplified Chinese. */
  gb2312: number;
  /** Pairs inside Big5's frequent-character block (lead 0xA4–0xC6): everyday Traditional Chinese. */
  big5Frequent: number;
}

/** Walks the bytes with GB18030's structure (1, 2 or 4 bytes) and tallies where the 2-byte pairs fall. */
function doubleByteStats(bytes: Uint8Array): DoubleByteStats {
  const stats: DoubleByteStats = { pairs: 0, gb2312: 0, big5Frequent: 0 };
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x81 || lead === 0xff) {
      i++;
      continue;
    }
    const next = bytes[i + 1];
    if (next === undefined) break;
    if (next >= 0x30 && next <= 0x39) {
      i += 4;
      continue;
    }
    stats.pairs++;
    if (lead >= 0xa1 && lead <= 0xfe && next >= 0xa1 && next <= 0xfe) stats.gb2312++;
    if (lead >= 0xa4 && lead <= 0xc6 && ((next >= 0x40 && next <= 0x7e) || (next >= 0xa1 && next <= 0xfe))) {
      stats.big5Frequent++;
    }
    i += 2;
  }
  return stats;
}

const PLAUSIBLE_SHARE = 0.75;
/** A UTF-8 file with a few damaged bytes still has many more valid multi-byte characters than damage. */
const VALID_PER_DAMAGED = 4;

function detectWithoutBom(bytes: Uint8Array): Detected {
  const utf16 = utf16ByZeroBytes(bytes);
  if (utf16) return { name: utf16, evidence: 'utf-16-zero-bytes' };
  if (decodesStrictly(bytes, 'utf-8')) return { name: 'utf-8', evidence: 'valid-utf-8' };

  const lossy = new TextDecoder('utf-8').decode(bytes);
  const damaged = countReplacementChars(lossy);
  if (countNonAscii(lossy) - damaged >= VALID_PER_DAMAGED * damaged) {
    return { name: 'utf-8', evidence: 'mostly-utf-8' };
  }

  // Chinese double-byte text: judged by where its pairs fall, tolerating a few damaged bytes as UTF-8 does above.
  const stats = doubleByteStats(bytes);
  if (stats.pairs > 0) {
    const fewDamaged = (name: TextEncodingName): boolean =>
      stats.pairs >= VALID_PER_DAMAGED * countReplacementChars(new TextDecoder(name).decode(bytes));
    if (stats.gb2312 >= PLAUSIBLE_SHARE * stats.pairs && fewDamaged('gb18030')) {
      return { name: 'gb18030', evidence: 'chinese-double-byte' };
    }
    if (stats.big5Frequent >= PLAUSIBLE_SHARE * stats.pairs && fewDamaged('big5')) {
      return { name: 'big5', evidence: 'chinese-double-byte' };
    }
    if (decodesStrictly(bytes, 'gb18030')) return { name: 'gb18030', evidence: 'chinese-double-byte' };
  }
  return { name: 'windows-1252', evidence: 'single-byte-fallback' };
}

/**
 * Picks the encoding from the bytes alone: a byte-order mark wins; then UTF-16's zero bytes; then strict UTF-8;
 * then UTF-8 with a little damage; then Chinese double-byte text (GB18030 when its pairs sit in GB2312's
 * everyday block, Big5 when they sit in Big5's); Windows-1252 last, since every byte sequence decodes in it.
 */
export function detectEncoding(bytes: Uint8Array): Detected {
  const bom = bomEncoding(bytes);
  if (bom) return { name: bom, evidence: 'byte-order-mark' };
  return detectWithoutBom(bytes);
}

/** Share of U+FFFD above which a chosen encoding is plainly the wrong one. */
const WRONG_ENCODING_SHARE = 0.01;

export interface Decoded {
  text: string;
  encoding: EncodingChoice;
  warnings: string[];
}

/** Decodes with the user's encoding or the detected one; a user's choice that garbles the file is refused. */
export function decodeBytes(
  bytes: Uint8Array,
  chosen: TextEncodingName | undefined,
  fileName?: string,
): Decoded {
  const detected = detectEncoding(bytes);
  const name = chosen ?? detected.name;
  const text = new TextDecoder(name).decode(bytes);
  const replacementCount = countReplacementChars(text);
  const warnings: string[] = [];
  const file = describeFile(fileName);

  if (chosen && chosen !== detected.name) {
    if (detected.name.startsWith('utf-16') && !chosen.startsWith('utf-16')) {
      throw new IngestError(
        'wrong-encoding',
        `${file} is ${encodingLabel(detected.name)} (every other byte is zero), not ${encodingLabel(chosen)}; choose ${encodingLabel(detected.name)}.`,
      );
    }
    const share = text.length === 0 ? 0 : replacementCount / text.length;
    if (share > WRONG_ENCODING_SHARE) {
      throw new IngestError(
        'wrong-encoding',
        `${file} does not decode as ${encodingLabel(chosen)}: ${replacementCount} characters came out unreadable. It looks like ${encodingLabel(detected.name)}; choose that encoding instead.`,
      );
    }
    if (detected.evidence === 'valid-utf-8' || detected.evidence === 'byte-order-mark') {
      warnings.push(
        `${file} is valid ${encodingLabel(detected.name)}, but you chose ${encodingLabel(chosen)}; if the text looks garbled, choose ${encodingLabel(detected.name)}.`,
      );
    }
  }
  if (!chosen && detected.evidence === 'single-byte-fallback') {
    warnings.push(
      `${file} is not UTF-8; it was read as ${encodingLabel(detected.name)}. If accented or non-Latin letters look wrong, choose the right encoding.`,
    );
  }
  if (!chosen && detected.name === 'big5') {
    warnings.push(
      `${file} was read as ${encodingLabel('big5')}; if the characters look wrong, choose GB18030.`,
    );
  }
  if (replacementCount > 0) {
    warnings.push(
      `${replacementCount} byte sequences in ${file} could not be decoded as ${encodingLabel(name)} and were replaced by "\uFFFD"; the rows holding them are flagged.`,
    );
  }
  const evidence: EncodingEvidence = chosen ? 'chosen-by-user' : detected.evidence;
  return { text, encoding: { name, evidence, replacementCount }, warnings };
}
