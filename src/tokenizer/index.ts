export {
  createTokenizer,
  TokenizerFormatError,
  type PunchlineTokenizer,
  type TokenPiece,
} from './tokenizer.ts';
export { StreamingDecoder } from './streaming-decoder.ts';
export { encodeJoke, type Joke } from './joke-sequence.ts';
export { fetchTokenizer } from './load-browser.ts';
export * from './special-tokens.ts';
