import { fileURLToPath } from 'node:url';
import { loadTokenizerFromDirectory } from '../../../src/tokenizer/load-node.ts';

/** The committed punchline-tiny folder; every tokenizer test runs on the shipped files. */
export const MODEL_DIRECTORY = fileURLToPath(
  new URL('../../../public/models/punchline-tiny/', import.meta.url),
);

export const shippedTokenizer = loadTokenizerFromDirectory(MODEL_DIRECTORY);
