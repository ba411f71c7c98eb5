/**
 * Time to first token and decode tokens/s of the default model (public/models/punchline-tiny) with our
 * KV-cache generate loop: onnxruntime-node, and headless Chromium on WASM and on WebGPU (SwiftShader, for
 * reference only: it runs WebGPU on the CPU). Then says whether transformers.js could run the same graph.
 *
 *   npx tsx bench/generate.ts [--tokens 64] [--runs 3] [--no-browser]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { REQUIRED_FILES } from '../src/worker/generate/model-files.ts';
import { benchGenerate, type GenerateBenchOptions, type GenerateBenchResult } from './generate-cases.ts';

const MODEL_DIR = 'public/models/punchline-tiny';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number >= 1`);
  return value;
}

function readFolder(): Map<string, ArrayBuffer> {
  return new Map(
    REQUIRED_FILES.map((name) => {
      const bytes = readFileSync(join(MODEL_DIR, name));
      return [name, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer];
    }),
  );
}

interface Row {
  where: string;
  result: GenerateBenchResult | null;
  note?: string;
}

async function browserRows(
  cases: { provider: 'wasm' | 'webgpu'; options: GenerateBenchOptions }[],
): Promise<Row[]> {
  const { openApp } = await import('../tests/browser/harness.ts');
  const { startPageServer } = await import('../tests/browser/test-page.ts');
  const server = await startPageServer();
  const rows: Row[] = [];
  try {
    for (const { provider, options } of cases) {
      // A fresh browser per case, so one case's memory never slows the next.
      const app = await openApp(server.url, {
        webgpu: provider === 'webgpu',
        path: '/bench/generate-page.html',
      });
      try {
        await app.page.waitForFunction(() => typeof window.benchGenerate === 'function', null, {
          timeout: 120_000,
        });
        const result = await app.page.evaluate(([p, o]) => window.benchGenerate(p, o), [
          provider,
          options,
        ] as const);
        rows.push({ where: `Chromium ${provider}`, result });
      } catch (error) {
        rows.push({
          where: `Chromium ${provider}`,
          result: null,
          note: (error as Error).message.split('\n')[0],
        });
      } finally {
        await app.close();
      }
    }
  } finally {
    await server.close();
  }
  return rows;
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function printTable(rows: Row[]): void {
  const header = [
    'runtime',
    'backend',
    'batch',
    'prompt',
    'new tokens',
    'load ms',
    'TTFT ms',
    'decode tok/s',
  ];
  const lines = rows.map(({ where, result, note }) =>
    result
      ? [
          where,
          result.provider,
          String(result.batch),
          String(result.promptTokens),
          String(result.newTokens),
          fixed(result.loadMs, 0),
          fixed(result.timeToFirstTokenMs, 1),
          fixed(result.decodeTokensPerSecond, 1),
        ]
      : [where, `failed: ${note ?? ''}`, '', '', '', '', '', ''],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}

/** Why transformers.js's text-generation cannot run this graph, from the graph's own signature. */
function transformersJsNote(graph: GenerateBenchResult['graph']): string {
  const reasons: string[] = [];
  if (graph.idType !== 'int64') {
    reasons.push(
      `input_ids, attention_mask and position_ids are ${graph.idType} (the WebGPU EP has int64 disabled, see ` +
        'DESIGN.md), while transformers.js always feeds them as int64 tensors (toI64Tensor, BigInt64Array ' +
        'position ids), so ORT rejects the first run with a type mismatch',
    );
  }
  if (graph.extraInputs > 0) {
    reasons.push(
      `the weights are ${graph.extraInputs} graph inputs (e.g. "${graph.firstExtraInput}"), bound once and shared ` +
        'between the decode and train-step sessions; transformers.js feeds only input_ids, attention_mask, ' +
        'position_ids and past_key_values.*, so every weight input would be missing',
    );
  }
  if (reasons.length === 0) return 'transformers.js: the graph signature matches what it feeds.';
  return (
    'transformers.js text-generation was not run: it cannot load this decode graph as it is, because\n' +
    reasons.map((r) => `  - ${r};`).join('\n') +
    '\n  Running it would need a second export (int64 ids, weights as initializers, onnx/model.onnx layout) ' +
    'and its own pinned onnxruntime copy, i.e. not the same graph on the same runtime, so no side-by-side row.'
  );
}

async function main(): Promise<void> {
  const newTokens = arg('tokens', 64);
  const runs = arg('runs', 3);
  const withBrowser = !process.argv.includes('--no-browser');
  const files = readFolder();
  const rows: Row[] = [];
  for (const batch of [1, 4]) {
    rows.push({
      where: 'Node',
      result: await benchGenerate(nodeRuntime, files, 'cpu', { batch, newTokens, runs }),
    });
  }
  if (withBrowser) {
    rows.push(
      ...(await browserRows([
        { provider: 'wasm', options: { batch: 1, newTokens, runs } },
        { provider: 'wasm', options: { batch: 4, newTokens, runs } },
        // SwiftShader is ~100x slower than WASM: a few tokens, one timed run.
        { provider: 'webgpu', options: { batch: 1, newTokens: 6, runs: 1 } },
      ])),
    );
  }
  const training = JSON.parse(readFileSync(join(MODEL_DIR, 'training.json'), 'utf8')) as { steps?: number };
  console.log(
    `punchline-tiny (step ${training.steps ?? '?'} weights), fp32; ${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)}. ` +
      `Medians of ${runs} timed runs after a warm-up (WebGPU: 1). TTFT = prompt pass + first sample; ` +
      'decode tok/s = tokens after the first, all candidates, per second.',
  );
  printTable(rows);
  const graph = rows.find((r) => r.result)?.result?.graph;
  if (graph) console.log(transformersJsNote(graph));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
