/**
 * Test-only page (served by the Vite dev server that tests/browser/models-smollm2.test.ts starts): exposes
 * window.smollm2GreedyChat(prompt, maxNewTokens), which fetches public/models/smollm2-135m-instruct from this
 * origin and answers with the chat template and greedy decoding on onnxruntime-web's WASM backend, with float32
 * or 4-bit (MatMulNBits) projection weights.
 */
import { parseModelConfig } from '../../../src/engine/arch/config.ts';
import { loadWeights } from '../../../src/engine/arch/weights.ts';
import { createDecoder } from '../../../src/eval/decoder.ts';
import { parseSafetensors } from '../../../src/formats/safetensors.ts';
import { greedyChat, type ChatAnswer } from '../../../src/models/greedy-chat.ts';
import { createImportedTokenizer } from '../../../src/models/imported-tokenizer.ts';
import { createQuantizedDecoder } from '../../../src/models/quantized-decoder.ts';
import { probeBackend } from '../../../src/runtime/backend.ts';
import { webRuntime } from '../../../src/runtime/ort-web.ts';

const FOLDER = '/models/smollm2-135m-instruct';

declare global {
  interface Window {
    smollm2GreedyChat: (
      prompt: string,
      maxNewTokens: number,
      weights: 'float32' | '4-bit',
    ) => Promise<ChatAnswer & { provider: string; loadMs: number }>;
  }
}

async function fetchOk(path: string): Promise<Response> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response;
}

window.smollm2GreedyChat = async (prompt, maxNewTokens, weightKind) => {
  const started = performance.now();
  await probeBackend({ preferWasm: true, wasmPaths: '/node_modules/onnxruntime-web/dist/' });
  const [configJson, tokenizerJson, tokenizerConfig] = await Promise.all(
    ['config.json', 'tokenizer.json', 'tokenizer_config.json'].map(
      async (name) => (await (await fetchOk(`${FOLDER}/${name}`)).json()) as unknown,
    ),
  );
  const config = parseModelConfig(configJson);
  const tokenizer = createImportedTokenizer(tokenizerJson, tokenizerConfig, `${FOLDER}/tokenizer.json`);
  const path = `${FOLDER}/model.safetensors`;
  const weights = loadWeights(
    config,
    parseSafetensors(new Uint8Array(await (await fetchOk(path)).arrayBuffer()), path),
  );
  const session = { executionProviders: ['wasm'] } as const;
  // 4-bit: MatMulNBits blocks of 32 with float zero points, which hold the GGUF's Q4_1 blocks exactly.
  const decoder =
    weightKind === 'float32'
      ? await createDecoder(webRuntime, config, weights, 'cpu', session)
      : await createQuantizedDecoder(
          webRuntime,
          config,
          weights,
          'cpu',
          { bits: 4, blockSize: 32, zeroPoints: 'float' },
          session,
        );
  const loadMs = performance.now() - started;
  try {
    const answer = await greedyChat(decoder, tokenizer, [{ role: 'user', content: prompt }], maxNewTokens);
    return { ...answer, provider: decoder.session.executionProvider, loadMs };
  } finally {
    await decoder.dispose();
  }
};
