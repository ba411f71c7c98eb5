import { gunzipSync } from 'fflate';
import { IngestError, describeFile } from './errors.ts';

const SAVE_AS_CSV = 'in Excel use File › Save As › CSV UTF-8 (Comma delimited), then load that file';

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  return signature.every((byte, i) => bytes[at + i] === byte);
}

function asciiOf(text: string): number[] {
  return Array.from(text, (ch) => ch.charCodeAt(0));
}

function containsAscii(bytes: Uint8Array, needle: string, limit: number): boolean {
  const pattern = asciiOf(needle);
  const end = Math.min(bytes.length, limit) - pattern.length;
  for (let i = 0; i <= end; i++) {
    if (bytes[i] === pattern[0] && startsWith(bytes, pattern, i)) return true;
  }
  return false;
}

interface KnownBinary {
  signature: number[];
  at?: number;
  what: string;
}

const KNOWN_BINARIES: KnownBinary[] = [
  { signature: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { signature: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { signature: asciiOf('GIF8'), what: 'a GIF image' },
  { signature: asciiOf('%PDF'), what: 'a PDF document' },
  { signature: asciiOf('RIFF'), what: 'a media file (RIFF: WAV/AVI/WebP)' },
  { signature: asciiOf('ftyp'), at: 4, what: 'a video or audio file (MP4/MOV)' },
  { signature: asciiOf('ID3'), what: 'an MP3 audio file' },
  { signature: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive' },
  { signature: asciiOf('Rar!'), what: 'a RAR archive' },
  { signature: asciiOf('BZh'), what: 'a bzip2-compressed file' },
  { signature: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz-compressed file' },
  { signature: asciiOf('SQLite format 3'), what: 'an SQLite database' },
  { signature: asciiOf('PAR1'), what: 'a Parquet file' },
  { signature: [0x7f, 0x45, 0x4c, 0x46], what: 'a program (ELF executable)' },
];

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const GZIP = [0x1f, 0x8b];
const UTF32LE_BOM = [0xff, 0xfe, 0x00, 0x00];
const UTF32BE_BOM = [0x00, 0x00, 0xfe, 0xff];

function rejectZip(bytes: Uint8Array, file: string): never {
  const head = 1 << 16;
  if (containsAscii(bytes, 'xl/', head)) {
    throw new IngestError(
      'spreadsheet-workbook',
      `${file} looks like an Excel .xlsx workbook, not a CSV: ${SAVE_AS_CSV}.`,
    );
  }
  if (containsAscii(bytes, 'opendocument.spreadsheet', head)) {
    throw new IngestError(
      'spreadsheet-workbook',
      `${file} looks like a LibreOffice .ods spreadsheet, not a CSV: use File › Save As › Text CSV (UTF-8), then load that file.`,
    );
  }
  if (containsAscii(bytes, 'word/', head)) {
    throw new IngestError(
      'binary-file',
      `${file} looks like a Word .docx document, not a data file: put the jokes in a spreadsheet, one per row, and save it as CSV UTF-8.`,
    );
  }
  throw new IngestError(
    'compressed-file',
    `${file} is a ZIP archive: unzip it and load the CSV, TSV or JSON Lines file inside.`,
  );
}

/** Throws a specific IngestError when the bytes are a known non-text format (image, archive, workbook…). */
export function rejectKnownBinary(bytes: Uint8Array, fileName: string | undefined): void {
  const file = describeFile(fileName);
  if (startsWith(bytes, ZIP)) rejectZip(bytes, file);
  if (startsWith(bytes, OLE2)) {
    throw new IngestError(
      'spreadsheet-workbook',
      `${file} looks like an Excel 97–2003 .xls workbook, not a CSV: ${SAVE_AS_CSV}.`,
    );
  }
  if (startsWith(bytes, UTF32LE_BOM) || startsWith(bytes, UTF32BE_BOM)) {
    throw new IngestError(
      'wrong-encoding',
      `${file} is encoded as UTF-32, which is not supported: save it again as UTF-8 (in Excel: File › Save As › CSV UTF-8).`,
    );
  }
  // Signatures made of letters ("ID3", "BZh") could begin a real CSV, so they only count next to binary bytes.
  const binaryHead = hasStrayControlByte(bytes, 512);
  for (const known of KNOWN_BINARIES) {
    const printable = known.signature.every((byte) => byte >= 0x20 && byte < 0x7f);
    if ((binaryHead || !printable) && startsWith(bytes, known.signature, known.at ?? 0)) {
      throw new IngestError(
        'binary-file',
        `${file} is ${known.what}, not a table of jokes: load a CSV, TSV or JSON Lines file.`,
      );
    }
  }
}

/** A gzip member's declared size is at most ~1032× its compressed size; a larger claim means a corrupt or hostile file. */
const MAX_DEFLATE_RATIO = 1032;
const MAX_UNPACKED_BYTES = 1 << 30;

/** Returns the unpacked bytes of a .gz file, or null when the bytes are not gzip. */
export function gunzipIfCompressed(bytes: Uint8Array, fileName: string | undefined): Uint8Array | null {
  if (!startsWith(bytes, GZIP)) return null;
  const file = describeFile(fileName);
  const tail = bytes.length - 4;
  const declared =
    tail >= 2
      ? (bytes[tail]! | (bytes[tail + 1]! << 8) | (bytes[tail + 2]! << 16) | (bytes[tail + 3]! << 24)) >>> 0
      : Infinity;
  if (declared > MAX_UNPACKED_BYTES || declared > bytes.length * MAX_DEFLATE_RATIO + 1024) {
    throw new IngestError(
      'compressed-file',
      `${file} starts like a gzip file but is damaged or too large to unpack in the browser: unpack it yourself (gunzip) and load the CSV.`,
    );
  }
  try {
    return gunzipSync(bytes);
  } catch {
    throw new IngestError(
      'compressed-file',
      `${file} starts like a gzip file but could not be unpacked (damaged or truncated): unpack it yourself and load the CSV.`,
    );
  }
}

/** Control characters other than tab, line feed, vertical tab, form feed, carriage return. */
function isStrayControl(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0b && code !== 0x0c && code !== 0x0d) ||
    code === 0x7f
  );
}

function hasStrayControlByte(bytes: Uint8Array, limit: number): boolean {
  const end = Math.min(limit, bytes.length);
  for (let i = 0; i < end; i++) if (isStrayControl(bytes[i]!)) return true;
  return false;
}

export function countStrayControls(text: string, limit = text.length): number {
  let count = 0;
  const end = Math.min(limit, text.length);
  for (let i = 0; i < end; i++) if (isStrayControl(text.charCodeAt(i))) count++;
  return count;
}

const BINARY_SAMPLE_CHARS = 1 << 16;
const BINARY_CONTROL_SHARE = 0.05;

/** Decoded text that is mostly control characters came from a binary file, whatever its name says. */
export function rejectControlHeavyText(text: string, fileName: string | undefined): void {
  const sample = Math.min(text.length, BINARY_SAMPLE_CHARS);
  if (sample === 0) return;
  const controls = countStrayControls(text, sample);
  if (controls / sample > BINARY_CONTROL_SHARE) {
    const share = Math.round((100 * controls) / sample);
    throw new IngestError(
      'binary-file',
      `${describeFile(fileName)} does not look like text: ${share}% of its first characters are control bytes. Load a CSV, TSV or JSON Lines file (in Excel: File › Save As › CSV UTF-8).`,
    );
  }
}
