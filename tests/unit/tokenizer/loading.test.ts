import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTokenizer } from '../../../src/tokenizer/load-browser.ts';
import { loadTokenizerFromDirectory } from '../../../src/tokenizer/load-node.ts';
import { createTokenizer } from '../../../src/tokenizer/tokenizer.ts';
import { MODEL_DIRECTORY, shippedTokenizer } from './shipped-tokenizer.ts';

describe('loading the tokenizer from local files', () => {
  let server: Server;
  let baseUrl = '';
  const requested: string[] = [];

  beforeAll(async () => {
    // A loopback static server stands in for the app's own origin; nothing leaves the machine.
    server = createServer((request, response) => {
      const name = (request.url ?? '/').replace('/models/punchline-tiny/', '');
      requested.push(name);
      readFile(join(MODEL_DIRECTORY, name))
        .then((body) => response.writeHead(200, { 'content-type': 'application/json' }).end(body))
        .catch(() => response.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models/punchline-tiny`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches only tokenizer.json and tokenizer_config.json from the model folder URL', async () => {
    const tokenizer = await fetchTokenizer(baseUrl);
    expect(requested.sort()).toEqual(['tokenizer.json', 'tokenizer_config.json']);
    const text = 'Knock knock. 谁呀？ 😂';
    expect(tokenizer.encode(text)).toEqual(shippedTokenizer.encode(text));
    expect(tokenizer.vocabSize).toBe(shippedTokenizer.vocabSize);
  });

  it('names the missing file when the folder is incomplete', async () => {
    await expect(fetchTokenizer(`${baseUrl}/missing`)).rejects.toThrow(
      /HTTP 404; the model folder must hold tokenizer/,
    );
    expect(() => loadTokenizerFromDirectory(join(MODEL_DIRECTORY, 'missing'))).toThrow(/file not found/);
  });

  it('rejects a tokenizer.json that is not byte-level BPE, saying what is wrong', () => {
    const json = {
      model: { type: 'WordPiece', vocab: {} },
      pre_tokenizer: { type: 'ByteLevel' },
      decoder: { type: 'ByteLevel' },
    };
    expect(() => createTokenizer(json, {}, 'bad/tokenizer.json')).toThrow(
      'bad/tokenizer.json: model.type is WordPiece; expected "BPE"',
    );
  });
});
