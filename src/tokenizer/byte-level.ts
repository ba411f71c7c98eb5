/**
 * The byte-level alphabet of GPT-2-style BPE: every byte 0..255 is written as one printable character
 * in vocabulary strings. Printable Latin-1 bytes stand for themselves; the other 68 bytes are mapped,
 * in byte order, to U+0100 onwards.
 */
function isPrintable(byte: number): boolean {
  return (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
}

function buildCharToByte(): Map<string, number> {
  const table = new Map<string, number>();
  let shifted = 0;
  for (let byte = 0; byte < 256; byte += 1) {
    const codePoint = isPrintable(byte) ? byte : 256 + shifted++;
    table.set(String.fromCodePoint(codePoint), byte);
  }
  return table;
}

const CHAR_TO_BYTE = buildCharToByte();

/** The bytes a byte-level vocabulary string stands for; null when it contains a character outside the alphabet. */
export function byteLevelBytes(token: string): Uint8Array | null {
  const bytes = new Uint8Array(token.length);
  let length = 0;
  for (const char of token) {
    const byte = CHAR_TO_BYTE.get(char);
    if (byte === undefined) return null;
    bytes[length++] = byte;
  }
  return bytes.subarray(0, length);
}
