import { createTokenizer, TokenizerFormatError, type PunchlineTokenizer } from './tokenizer.ts';

/** Loads tokenizer.json and tokenizer_config.json from a same-origin folder URL, e.g. "/models/punchline-tiny/". */
export async function fetchTokenizer(
  folderUrl: string,
  fetchImpl: typeof fetch = fetch,
): Promise<PunchlineTokenizer> {
  const base = folderUrl.endsWith('/') ? folderUrl : `${folderUrl}/`;
  const read = async (name: string): Promise<unknown> => {
    const response = await fetchImpl(`${base}${name}`);
    if (!response.ok)
      throw new TokenizerFormatError(
        `${base}${name}`,
        `HTTP ${response.status}; the model folder must hold ${name}`,
      );
    return (await response.json()) as unknown;
  };
  const [tokenizerJson, tokenizerConfig] = await Promise.all([
    read('tokenizer.json'),
    read('tokenizer_config.json'),
  ]);
  return createTokenizer(tokenizerJson, tokenizerConfig, `${base}tokenizer.json`);
}
