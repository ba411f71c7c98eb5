import type { PunchlineTokenizer } from './tokenizer.ts';

/** What the decoder reads from a tokenizer: our own and imported tokenizers (src/models) both fit. */
export type TokenPieces = Pick<PunchlineTokenizer, 'piece'>;

/**
 * Turns token ids, fed one at a time during generation, into text that only ever contains complete
 * characters: bytes of a character split across tokens are held back until the character is whole.
 * The concatenated output equals `tokenizer.decode(allIds)`; like that decode, bytes that can never form
 * a character (cut off by a special token or by `finish`) come out as U+FFFD.
 */
export class StreamingDecoder {
  // ignoreBOM keeps a leading U+FEFF, as the full decode does.
  private decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  constructor(
    private readonly tokenizer: TokenPieces,
    private readonly options: { skipSpecialTokens?: boolean } = {},
  ) {}

  /** Adds one token id; returns the text that is now complete (often '' in the middle of a character). */
  push(id: number): string {
    const piece = this.tokenizer.piece(id);
    if (piece.kind === 'bytes') return this.decoder.decode(piece.bytes, { stream: true });
    const pending = this.finish();
    return this.options.skipSpecialTokens === true ? pending : pending + piece.content;
  }

  /** Ends the stream: returns whatever is still held back (U+FFFD for an incomplete character) and resets. */
  finish(): string {
    const rest = this.decoder.decode();
    this.decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
    return rest;
  }
}
