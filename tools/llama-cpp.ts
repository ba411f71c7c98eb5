/**
 * llama.cpp as a reference engine for the tools and benchmarks, through the npm package node-llama-cpp, which
 * ships prebuilt llama.cpp binaries (@node-llama-cpp/linux-x64 picks a CPU backend for the machine at load).
 * It is NOT a dependency of this project: ~730 MB with all its optional platform binaries and ~7 minutes to
 * install, so it lives in a git-ignored folder of its own and is imported from there at run time:
 *
 *   npm i --prefix runs/llama-cpp -E node-llama-cpp@3.21.1 --no-audit --no-fund
 *
 * (its postinstall may be skipped: the prebuilt binary is used, nothing is compiled). Another install prefix:
 * PUNCHLINE_LLAMA_CPP=DIR or the `prefix` argument. No app code may import this module.
 *
 * The types below are the few members of node-llama-cpp 3.21.1's API used here, copied by shape from its
 * d.ts (dist/bindings/getLlama.d.ts, dist/evaluator/LlamaModel/LlamaModel.d.ts,
 * dist/evaluator/LlamaContext/LlamaContext.d.ts and types.d.ts); the package's own types cannot be named
 * because it is not installed in node_modules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const LLAMA_CPP_VERSION = '3.21.1';
export const LLAMA_CPP_PREFIX = 'runs/llama-cpp';
/** Written by `npm run models:smollm2 -- --keep-gguf runs/llama-cpp/SmolLM2-135M-Instruct.Q4_1.gguf`. */
export const SMOLLM2_GGUF = 'runs/llama-cpp/SmolLM2-135M-Instruct.Q4_1.gguf';
export const INSTALL_COMMAND = `npm i --prefix ${LLAMA_CPP_PREFIX} -E node-llama-cpp@${LLAMA_CPP_VERSION} --no-audit --no-fund`;
export const GGUF_COMMAND = `npm run models:smollm2 -- --keep-gguf ${SMOLLM2_GGUF} --gguf-only`;

interface EvaluateOptions {
  temperature?: number;
  topK?: number;
  /** Without it generation stops silently at <|im_end|>; with it the EOG token is yielded and fed back. */
  yieldEogToken?: boolean;
}
interface LlamaContextSequence {
  evaluate(
    tokens: number[],
    options?: EvaluateOptions,
  ): AsyncGenerator<number, void, void | number | number[]>;
  clearHistory(): Promise<void>;
}
interface LlamaContext {
  readonly contextSize: number;
  readonly currentThreads: number;
  readonly flashAttention: 'auto' | boolean;
  getSequence(): LlamaContextSequence;
  dispose(): Promise<void>;
}
interface LlamaModel {
  createContext(options: {
    contextSize?: number;
    threads?: number | { ideal?: number; min?: number };
    sequences?: number;
  }): Promise<LlamaContext>;
  detokenize(tokens: readonly number[], specialTokens?: boolean): string;
  dispose(): Promise<void>;
}
interface Llama {
  readonly buildType: 'localBuild' | 'prebuilt';
  readonly llamaCppRelease: { readonly repo: string; readonly release: string };
  loadModel(options: { modelPath: string; gpuLayers?: number }): Promise<LlamaModel>;
  dispose(): Promise<void>;
}
interface NodeLlamaCpp {
  getLlama(options: {
    gpu: false;
    build: 'never';
    skipDownload: boolean;
    maxThreads: number;
    logLevel: 'error' | 'warn';
  }): Promise<Llama>;
}

/** The install folder: the argument, else $PUNCHLINE_LLAMA_CPP, else runs/llama-cpp. */
export function llamaCppPrefix(prefix?: string): string {
  return resolve(prefix ?? process.env.PUNCHLINE_LLAMA_CPP ?? LLAMA_CPP_PREFIX);
}

/** node-llama-cpp or the GGUF is not where it was looked for; the message names the command that fixes it. */
export class LlamaCppMissingError extends Error {
  override name = 'LlamaCppMissingError';
}

/** node-llama-cpp from the install folder and its installed version, or a LlamaCppMissingError. */
export async function importNodeLlamaCpp(prefix?: string): Promise<{ api: NodeLlamaCpp; version: string }> {
  const folder = llamaCppPrefix(prefix);
  const packageDir = join(folder, 'node_modules', 'node-llama-cpp');
  // The package's "exports" map "." to ./dist/index.js (ESM only), so the entry is imported by path.
  const entry = join(packageDir, 'dist', 'index.js');
  if (!existsSync(entry)) {
    throw new LlamaCppMissingError(
      `node-llama-cpp is not installed in ${folder} (no ${entry}). It is kept out of this project's dependencies ` +
        `(~730 MB, ~7 min); install it with:\n  ${INSTALL_COMMAND}\nor point PUNCHLINE_LLAMA_CPP at a folder ` +
        `whose node_modules holds node-llama-cpp@${LLAMA_CPP_VERSION}.`,
    );
  }
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { api: (await import(pathToFileURL(entry).href)) as NodeLlamaCpp, version };
}

export interface LlamaCppSession {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  /** Seconds for getLlama + loadModel + createContext. */
  loadS: number;
  /** e.g. "node-llama-cpp 3.21.1, prebuilt llama.cpp v0.4.0 (ggml-org/llama.cpp)". */
  build: string;
  dispose(): Promise<void>;
}

/**
 * llama.cpp on the CPU with exactly `threads` threads (maxThreads 0 makes the context's thread count binding
 * rather than a hint), one sequence, and a context of `contextSize` tokens (llama.cpp rounds it up to 256).
 */
export async function openLlamaCpp(options: {
  gguf: string;
  threads: number;
  contextSize: number;
  prefix?: string;
}): Promise<LlamaCppSession> {
  if (!existsSync(options.gguf))
    throw new LlamaCppMissingError(
      `no GGUF at ${options.gguf}; for SmolLM2 write it with:\n  ${GGUF_COMMAND}`,
    );
  const { api, version } = await importNodeLlamaCpp(options.prefix);
  const started = performance.now();
  const llama = await api.getLlama({
    gpu: false,
    build: 'never',
    skipDownload: true,
    maxThreads: 0,
    logLevel: 'error',
  });
  const model = await llama.loadModel({ modelPath: options.gguf, gpuLayers: 0 });
  const context = await model.createContext({ contextSize: options.contextSize, threads: options.threads });
  const loadS = (performance.now() - started) / 1000;
  const { repo, release } = llama.llamaCppRelease;
  return {
    llama,
    model,
    context,
    sequence: context.getSequence(),
    loadS,
    build: `node-llama-cpp ${version}, ${llama.buildType} llama.cpp ${release} (${repo})`,
    async dispose() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

export interface LlamaCppGreedyRun {
  ids: number[];
  /** Seconds from the first generated token to the last: newTokens - 1 decode steps, no prompt pass. */
  decodeS: number;
  /** (newTokens - 1) / decodeS, as src/runtime/generate.ts counts decodeTokensPerSecond. */
  decodeTps: number | null;
}

/**
 * Greedy decoding (llama.cpp's greedy sampler: temperature 0, top-k 1, no penalties) of `newTokens` tokens after
 * exactly `promptIds`, from an empty KV cache; end-of-generation tokens are kept and decoding goes on, as ours
 * does with eosTokenIds [].
 */
export async function llamaCppGreedy(
  session: LlamaCppSession,
  promptIds: number[],
  newTokens: number,
): Promise<LlamaCppGreedyRun> {
  await session.sequence.clearHistory();
  const ids: number[] = [];
  let firstAt = 0;
  for await (const token of session.sequence.evaluate(promptIds, {
    temperature: 0,
    topK: 1,
    yieldEogToken: true,
  })) {
    if (ids.length === 0) firstAt = performance.now();
    ids.push(token);
    if (ids.length === newTokens) break;
  }
  const decodeS = (performance.now() - firstAt) / 1000;
  return { ids, decodeS, decodeTps: ids.length > 1 && decodeS > 0 ? (ids.length - 1) / decodeS : null };
}

export interface LlamaCppDecodeBench {
  loadS: number;
  /** Median (the upper one for an even count) over the timed runs of (newTokens - 1) / seconds after the first token. */
  decodeTps: number | null;
  /** The greedy ids of the last timed run. */
  ids: number[];
  build: string;
  threads: number;
}

/**
 * bench/models.ts's decode column for llama.cpp: the same prompt ids, number of new tokens and thread count,
 * greedy, one 2-token warm-up run, then `runs` timed runs (1, as bench/models.ts times ours) and their median.
 * Load time is getLlama + loadModel (mmap'd GGUF, so pages are read on first use: the warm-up pays that) +
 * createContext.
 */
export async function llamaCppDecodeBench(options: {
  gguf: string;
  threads: number;
  promptIds: number[];
  newTokens: number;
  runs?: number;
  prefix?: string;
}): Promise<LlamaCppDecodeBench> {
  const session = await openLlamaCpp({
    gguf: options.gguf,
    threads: options.threads,
    contextSize: options.promptIds.length + options.newTokens,
    prefix: options.prefix,
  });
  try {
    await llamaCppGreedy(session, options.promptIds, 2);
    const timed: LlamaCppGreedyRun[] = [];
    for (let i = 0; i < (options.runs ?? 1); i++)
      timed.push(await llamaCppGreedy(session, options.promptIds, options.newTokens));
    const rates = timed.map((r) => r.decodeTps ?? 0).sort((a, b) => a - b);
    const median = rates[Math.floor(rates.length / 2)] ?? 0;
    return {
      loadS: session.loadS,
      decodeTps: median > 0 ? median : null,
      ids: timed.at(-1)?.ids ?? [],
      build: session.build,
      threads: session.context.currentThreads,
    };
  } finally {
    await session.dispose();
  }
}
