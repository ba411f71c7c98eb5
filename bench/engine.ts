/**
 * Engine benchmark: decode tokens/s (KV cache, greedy, batch 1 and 4), LoRA train-step tokens/s and
 * full-parameter train-step tokens/s for a ~10M-parameter Llama and a SmolLM2-135M-shaped Llama with
 * random weights. onnxruntime-node cases run one per process so that each peak RSS is its own; with
 * --browser, the same cases (bench/engine-cases.ts) also run in headless Chromium on onnxruntime-web.
 *
 *   npx tsx bench/engine.ts [--models tiny10m,smollm2] [--threads 2] [--browser wasm,webgpu]
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseModelConfig } from '../src/engine/arch/config.ts';
import { parameterCount } from '../src/engine/arch/params.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import {
  BENCH_CASES,
  BENCH_CASE_LABELS,
  BENCH_MODELS,
  runBenchCase,
  type BenchCase,
  type BenchTiming,
} from './engine-cases.ts';

type Provider = 'wasm' | 'webgpu';

/** Browser runs are skipped where they would take many minutes: pretraining is Node-only by design, and
 * SwiftShader (WebGPU on the CPU, ~0.3 GFLOP/s) is for correctness, not speed. */
function runsInBrowser(provider: Provider, model: string, kind: BenchCase): boolean {
  if (kind === 'full') return false;
  if (provider === 'webgpu') return kind === 'decode1' || (kind === 'lora' && model === 'tiny10m');
  return true;
}

function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function nodeCase(model: string, kind: BenchCase, threads: number): Promise<void> {
  const timing = await runBenchCase(nodeRuntime, model, kind, {
    session: { executionProviders: ['cpu'], intraOpNumThreads: threads },
    placement: 'cpu',
    decodeTokens: 64,
    trainSteps: 3,
  });
  console.log(JSON.stringify({ ...timing, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function browserCases(
  providers: readonly Provider[],
  models: readonly string[],
): Promise<Map<string, BenchTiming | null>> {
  const results = new Map<string, BenchTiming | null>();
  // Loaded only here, so that the Node cases' peak RSS does not include Vite and Playwright.
  const { openApp } = await import('../tests/browser/harness.ts');
  const { startPageServer } = await import('../tests/browser/test-page.ts');
  const server = await startPageServer();
  try {
    for (const provider of providers) {
      for (const model of models) {
        for (const kind of BENCH_CASES) {
          const key = `${provider}:${model}:${kind}`;
          if (!runsInBrowser(provider, model, kind)) {
            results.set(key, null);
            continue;
          }
          // A fresh browser per case, so that one case's memory never slows the next.
          const app = await openApp(server.url, {
            webgpu: provider === 'webgpu',
            path: '/bench/engine-page.html',
          });
          try {
            await app.page.waitForFunction(() => typeof window.benchEngineCase === 'function');
            results.set(
              key,
              await app.page.evaluate(([p, m, k]) => window.benchEngineCase(p, m, k), [
                provider,
                model,
                kind,
              ] as const),
            );
          } finally {
            await app.close();
          }
        }
      }
    }
  } finally {
    await server.close();
  }
  return results;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const threads = Number(argValue(args, 'threads') ?? 2);
  const single = argValue(args, 'case');
  if (single) return nodeCase(argValue(args, 'model') as string, single as BenchCase, threads);

  const models = (argValue(args, 'models') ?? 'tiny10m,smollm2').split(',');
  for (const model of models) {
    if (!BENCH_MODELS[model])
      throw new Error(`unknown --models entry "${model}"; known: ${Object.keys(BENCH_MODELS).join(', ')}`);
  }
  const providers = (argValue(args, 'browser')?.split(',') ?? []) as Provider[];
  const self = fileURLToPath(import.meta.url);
  const load = os.loadavg()[0]?.toFixed(1) ?? '?';
  const node = new Map<string, BenchTiming & { peakRssMb: number }>();
  for (const model of models) {
    for (const kind of BENCH_CASES) {
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, self, '--case', kind, '--model', model, '--threads', String(threads)],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      node.set(`${model}:${kind}`, JSON.parse(out.trim().split('\n').pop() as string));
    }
  }
  const browser =
    providers.length > 0 ? await browserCases(providers, models) : new Map<string, BenchTiming | null>();

  console.log(
    `fp32, random weights. onnxruntime-node 1.30.0 (${threads} intra-op threads) and onnxruntime-web 1.30.0 in ` +
      `headless Chromium (WebGPU = SwiftShader); ${os.cpus().length} vCPU, load average ${load} at start.`,
  );
  const header = ['model', 'params', 'case', 'node tok/s', 'node ms/call', 'node peak RSS MB'];
  for (const p of providers) header.push(`${p} tok/s`, `${p} ms/call`);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const model of models) {
    const params = `${(parameterCount(parseModelConfig(BENCH_MODELS[model])) / 1e6).toFixed(1)}M`;
    for (const kind of BENCH_CASES) {
      const n = node.get(`${model}:${kind}`) as BenchTiming & { peakRssMb: number };
      const row = [
        model,
        params,
        BENCH_CASE_LABELS[kind],
        n.tokensPerSecond.toFixed(1),
        n.msPerCall.toFixed(1),
        n.peakRssMb.toFixed(0),
      ];
      for (const p of providers) {
        const b = browser.get(`${p}:${model}:${kind}`);
        row.push(b ? b.tokensPerSecond.toFixed(1) : 'skipped', b ? b.msPerCall.toFixed(1) : '');
      }
      console.log(`| ${row.join(' | ')} |`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
