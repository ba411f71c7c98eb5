/**
 * Test-only page (served by the Vite dev server that tests/browser/models-smollm2.test.ts and bench/models.ts
 * start): SmolLM2-135M-Instruct from public/models/smollm2-135m-instruct on onnxruntime-web's WASM backend.
 * The weights are fetched once per page into one buffer, viewed as float32 without a copy, and bound once as
 * graph inputs; the float32 decoder and the LoRA train step share those bound tensors.
 *
 *   smollm2Load()                                  fetch, parse, create the float32 decode session
 *   smollm2GreedyChat(prompt, maxNewTokens, kind)  greedy answer, float32 or 4-bit (MatMulNBits) weights
 *   smollm2DecodeRate(newTokens)                   greedy decode tokens/s after the chat prompt (no EOS stop)
 *   smollm2LoraSteps(settings)                     AdamW steps of fresh adapters on chat-formatted jokes
 */
import { parseModelConfig, type ModelConfig } from '../../../src/engine/arch/config.ts';
import { resolveCheckpoint } from '../../../src/engine/arch/checkpoint.ts';
import type { LoraConfig } from '../../../src/engine/arch/lora.ts';
import { createDecoder, type Decoder } from '../../../src/eval/decoder.ts';
import { parseSafetensors, readFloat32, type SafetensorsFile } from '../../../src/formats/safetensors.ts';
import {
  chatJokeBatch,
  runChatLoraSteps,
  type LoraStepsResult,
} from '../../../src/models/chat-lora-steps.ts';
import { GREEDY, greedyChat, type ChatAnswer } from '../../../src/models/greedy-chat.ts';
import { createImportedTokenizer, type ImportedTokenizer } from '../../../src/models/imported-tokenizer.ts';
import { createQuantizedDecoder } from '../../../src/models/quantized-decoder.ts';
import { probeBackend } from '../../../src/runtime/backend.ts';
import { generate } from '../../../src/runtime/generate.ts';
import { webRuntime } from '../../../src/runtime/ort-web.ts';

const FOLDER = '/models/smollm2-135m-instruct';

export interface LoadReport {
  loadMs: number;
  /** Bytes of the float32 weights the model holds. */
  weightBytes: number;
  wasmThreads: number;
  crossOriginIsolated: boolean;
  provider: string;
}

export interface LoraStepSettings {
  request: string;
  jokes: string[];
  seq: number;
  steps: number;
  lr: number;
  seed: number;
  lora: LoraConfig;
}

declare global {
  interface Window {
    smollm2Load: () => Promise<LoadReport>;
    smollm2GreedyChat: (
      prompt: string,
      maxNewTokens: number,
      weights: 'float32' | '4-bit',
    ) => Promise<ChatAnswer & { provider: string; loadMs: number }>;
    smollm2DecodeRate: (newTokens: number) => Promise<number>;
    smollm2LoraSteps: (
      settings: LoraStepSettings,
    ) => Promise<LoraStepsResult & { batch: number; seq: number; targets: number }>;
  }
}

interface LoadedModel {
  config: ModelConfig;
  tokenizer: ImportedTokenizer;
  weights: Map<string, Float32Array>;
  decoder: Decoder;
  report: LoadReport;
}

const session = { executionProviders: ['wasm'] } as const;

async function fetchOk(path: string): Promise<Response> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response;
}

/** The body streamed into one buffer of Content-Length bytes, so no second whole-file copy is ever made. */
async function fetchBytes(path: string): Promise<Uint8Array> {
  const response = await fetchOk(path);
  const length = Number(response.headers.get('content-length'));
  if (!response.body || !Number.isSafeInteger(length) || length <= 0)
    return new Uint8Array(await response.arrayBuffer());
  const bytes = new Uint8Array(length);
  const reader = response.body.getReader();
  let offset = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (offset + value.length > length)
      throw new Error(`${path}: more bytes than the Content-Length of ${length}`);
    bytes.set(value, offset);
    offset += value.length;
  }
  if (offset !== length) throw new Error(`${path}: got ${offset} of ${length} bytes`);
  return bytes;
}

/** Float32 tensors as views into the file's buffer when aligned; anything else is converted (a copy). */
function weightViews(config: ModelConfig, file: SafetensorsFile): Map<string, Float32Array> {
  const resolved = resolveCheckpoint(config, file.byName, file.label);
  const weights = new Map<string, Float32Array>();
  for (const [name, fileName] of resolved.fileNames) {
    const info = file.byName.get(fileName);
    const start = file.bytes.byteOffset + (info?.byteOffset ?? 0);
    weights.set(
      name,
      info?.dtype === 'F32' && start % 4 === 0
        ? new Float32Array(file.bytes.buffer, start, info.byteLength / 4)
        : readFloat32(file, fileName),
    );
  }
  return weights;
}

async function load(): Promise<LoadedModel> {
  const started = performance.now();
  const backend = await probeBackend({ preferWasm: true, wasmPaths: '/node_modules/onnxruntime-web/dist/' });
  const [configJson, tokenizerJson, tokenizerConfig] = await Promise.all(
    ['config.json', 'tokenizer.json', 'tokenizer_config.json'].map(
      async (name) => (await (await fetchOk(`${FOLDER}/${name}`)).json()) as unknown,
    ),
  );
  const config = parseModelConfig(configJson);
  const tokenizer = createImportedTokenizer(tokenizerJson, tokenizerConfig, `${FOLDER}/tokenizer.json`);
  const path = `${FOLDER}/model.safetensors`;
  const weights = weightViews(config, parseSafetensors(await fetchBytes(path), path));
  // On WASM, binding wraps the arrays without copying; the train step reuses these bound tensors.
  const decoder = await createDecoder(webRuntime, config, weights, 'cpu', session);
  let weightBytes = 0;
  for (const w of new Set(weights.values())) weightBytes += w.byteLength;
  const report: LoadReport = {
    loadMs: performance.now() - started,
    weightBytes,
    wasmThreads: backend.wasmThreads,
    crossOriginIsolated: backend.crossOriginIsolated,
    provider: decoder.session.executionProvider,
  };
  return { config, tokenizer, weights, decoder, report };
}

let loaded: Promise<LoadedModel> | null = null;
const model = (): Promise<LoadedModel> => (loaded ??= load());

window.smollm2Load = async () => (await model()).report;

window.smollm2GreedyChat = async (prompt, maxNewTokens, weightKind) => {
  const { config, tokenizer, weights, decoder, report } = await model();
  const messages = [{ role: 'user' as const, content: prompt }];
  if (weightKind === 'float32') {
    const answer = await greedyChat(decoder, tokenizer, messages, maxNewTokens);
    return { ...answer, provider: decoder.session.executionProvider, loadMs: report.loadMs };
  }
  // 4-bit: MatMulNBits blocks of 32 with float zero points, which hold the GGUF's Q4_1 blocks exactly.
  const started = performance.now();
  const quantized = await createQuantizedDecoder(
    webRuntime,
    config,
    weights,
    'cpu',
    { bits: 4, blockSize: 32, zeroPoints: 'float' },
    session,
  );
  const loadMs = performance.now() - started;
  try {
    const answer = await greedyChat(quantized, tokenizer, messages, maxNewTokens);
    return { ...answer, provider: quantized.session.executionProvider, loadMs };
  } finally {
    await quantized.dispose();
  }
};

window.smollm2DecodeRate = async (newTokens) => {
  const { tokenizer, decoder } = await model();
  const prompt = tokenizer.encodeChat([{ role: 'user', content: 'Tell me a joke about cats.' }]);
  const run = (maxNewTokens: number) =>
    generate(decoder.session, decoder.runtime.tensors, decoder.spec, {
      prompts: [prompt],
      maxNewTokens,
      eosTokenIds: [],
      sampling: GREEDY,
      seed: 0,
      boundInputs: decoder.weights,
    });
  await run(2);
  return (await run(newTokens)).decodeTokensPerSecond ?? 0;
};

window.smollm2LoraSteps = async (settings) => {
  const { config, tokenizer, decoder } = await model();
  const batch = chatJokeBatch(tokenizer, settings.request, settings.jokes, settings.seq);
  const result = await runChatLoraSteps(webRuntime, config, decoder.weights, batch, { ...settings, session });
  return { ...result, batch: batch.batch, seq: batch.seq, targets: batch.targets };
};
