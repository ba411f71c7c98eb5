/**
 * LoRA fine-tuning benchmark: optimizer updates per second and peak memory of the Punchline trainer (src/train:
 * train-step graph, gradient clipping, AdamW) on onnxruntime-node and, in headless Chromium, on onnxruntime-web
 * (WASM, and WebGPU on SwiftShader), beside PyTorch + PEFT on CPU with the same model shape, rank, target
 * modules, batch, sequence length and threads. Models: the default punchline-tiny shape and a SmolLM2-135M-shaped
 * Llama, random weights. The job is bench/train-cases.ts in every engine. Each Node and PyTorch case runs in its
 * own process and each browser case in a fresh browser, so that every peak is its own.
 *
 *   npx tsx bench/train.ts [--models tiny,smollm2] [--batch 4] [--seq 128] [--threads 1] [--steps 4]
 *                          [--browser wasm,webgpu|none] [--webgpu-steps 1]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseModelConfig } from '../src/engine/arch/config.ts';
import { parameterCount } from '../src/engine/arch/params.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { loadTokenizerFromDirectory } from '../src/tokenizer/load-node.ts';
import type { BrowserTrainTiming } from './train-page.ts';
import {
  runTrainBench,
  TINY_FOLDER,
  trainBenchShape,
  type TrainBenchSettings,
  type TrainBenchTiming,
} from './train-cases.ts';

type Provider = 'wasm' | 'webgpu';

interface CaseResult {
  engine: string;
  secondsPerStep: number;
  tokensPerSecond: number;
  peakRssMb: number;
}

/** A browser case: its timing and peaks, or why there is none. */
type BrowserResult =
  | { ok: true; timing: BrowserTrainTiming; rendererMb: number; idleRendererMb: number; gpuMb: number | null }
  | { ok: false; reason: string };

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const readPublicJson = async (path: string): Promise<unknown> =>
  JSON.parse(readFileSync(`public/${path}`, 'utf8')) as unknown;

const mib = (bytes: number) => bytes / (1 << 20);

/** Runs in a child process: the trainer on onnxruntime-node, then its own peak RSS. */
async function engineCase(model: string, settings: TrainBenchSettings, threads: number): Promise<void> {
  const timing = await runTrainBench(
    nodeRuntime,
    await trainBenchShape(model, readPublicJson),
    loadTokenizerFromDirectory(`public/${TINY_FOLDER}`),
    settings,
    { session: { intraOpNumThreads: threads }, placement: 'cpu' },
  );
  const result: CaseResult = {
    engine: 'punchline (onnxruntime-node)',
    secondsPerStep: timing.secondsPerStep,
    tokensPerSecond: timing.tokensPerSecond,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(result));
}

function lastJsonLine(output: string): CaseResult {
  const line = output
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1);
  if (!line) throw new Error(`benchmark case printed no result:\n${output}`);
  return JSON.parse(line) as CaseResult;
}

/**
 * One browser case per fresh Chromium, on the Vite dev server's bench/train-page.html. WASM threads follow
 * `threads`: navigator.hardwareConcurrency is overridden over CDP before onnxruntime-web sizes its pool from it.
 */
async function browserCases(
  cases: readonly { provider: Provider; model: string; settings: TrainBenchSettings }[],
  threads: number,
): Promise<BrowserResult[]> {
  // Loaded only here, so that the Node cases never start Vite or Playwright.
  const { openApp } = await import('../tests/browser/harness.ts');
  const { gpuProcessMemory, overrideHardwareConcurrency, rendererMemory } =
    await import('../tests/browser/renderer-memory.ts');
  const { startPageServer } = await import('../tests/browser/test-page.ts');
  const server = await startPageServer();
  const results: BrowserResult[] = [];
  try {
    for (const { provider, model, settings } of cases) {
      const app = await openApp(server.url, {
        webgpu: provider === 'webgpu',
        path: '/bench/train-page.html',
      });
      try {
        await app.page.waitForFunction(() => typeof window.benchTrainCase === 'function', undefined, {
          timeout: 120_000,
        });
        await overrideHardwareConcurrency(app.context, app.page, threads);
        const idle = await rendererMemory(app.context);
        const timing = await app.page.evaluate(([p, m, s]) => window.benchTrainCase(p, m, s), [
          provider,
          model,
          settings,
        ] as const);
        const renderer = await rendererMemory(app.context);
        const gpu = provider === 'webgpu' ? await gpuProcessMemory(app.context) : null;
        results.push({
          ok: true,
          timing,
          rendererMb: renderer ? mib(renderer.peakBytes) : NaN,
          idleRendererMb: idle ? mib(idle.peakBytes) : NaN,
          gpuMb: gpu ? mib(gpu.peakBytes) : null,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.error(`${provider} ${model}: ${message}`);
        // ORT's own words come last, after the fed shapes.
        const reason = message.includes('ERROR_MESSAGE:') ? message.split('ERROR_MESSAGE:').at(-1) : message;
        results.push({ ok: false, reason: reason?.trim().split('\n')[0]?.slice(0, 120) ?? 'failed' });
      } finally {
        await app.close().catch(() => undefined);
      }
    }
  } finally {
    await server.close();
  }
  return results;
}

async function main(): Promise<void> {
  const models = arg('models', 'tiny,smollm2').split(',');
  const batch = Number(arg('batch', '4'));
  const seq = Number(arg('seq', '128'));
  const threads = Number(arg('threads', '1'));
  const steps = Number(arg('steps', '4'));
  const webgpuSteps = Number(arg('webgpu-steps', '1'));
  const browserArg = arg('browser', 'wasm,webgpu');
  const providers = (browserArg === 'none' ? [] : browserArg.split(',')) as Provider[];
  for (const p of providers)
    if (p !== 'wasm' && p !== 'webgpu') throw new Error(`--browser: "${p}"; expected wasm, webgpu or none`);
  const self = fileURLToPath(import.meta.url);
  const loadAtStart = os.loadavg()[0]?.toFixed(1) ?? '?';
  const shapes = new Map<string, Record<string, unknown>>();
  for (const model of models) shapes.set(model, await trainBenchShape(model, readPublicJson));

  const rows: Record<string, string | number>[] = [];
  const modelLabel = (model: string) =>
    `${model} (${(parameterCount(parseModelConfig(shapes.get(model) as Record<string, unknown>)) / 1e6).toFixed(1)}M)`;
  const common = ['--batch', String(batch), '--seq', String(seq), '--threads', String(threads)];
  const nodeSeconds = new Map<string, number>();
  for (const model of models) {
    const ours = lastJsonLine(
      execFileSync('npx', ['tsx', self, '--case', model, ...common, '--steps', String(steps)], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      }),
    );
    nodeSeconds.set(model, ours.secondsPerStep);
    const torch = lastJsonLine(
      execFileSync(
        'python3',
        [
          'bench/train_peft.py',
          '--config',
          JSON.stringify(shapes.get(model)),
          ...common,
          '--steps',
          String(steps),
        ],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      ),
    );
    for (const r of [ours, torch])
      rows.push({
        model: modelLabel(model),
        engine: r.engine,
        'ms/step': Math.round(r.secondsPerStep * 1000),
        'tokens/s': Math.round(r.tokensPerSecond),
        'peak MiB': Math.round(r.peakRssMb),
        memory: 'process peak RSS',
      });
  }

  // SwiftShader runs WebGPU on the CPU (~0.3 GFLOP/s, DESIGN.md): only the default model, and few updates.
  const browserPlan = providers.flatMap((provider) =>
    models.map((model) => ({
      provider,
      model,
      settings: { batch, seq, steps: provider === 'webgpu' ? webgpuSteps : steps },
      run: provider === 'wasm' || model === 'tiny',
    })),
  );
  const measured = await (browserPlan.some((c) => c.run)
    ? browserCases(
        browserPlan.filter((c) => c.run),
        threads,
      )
    : Promise.resolve([]));
  const idlePeaks: number[] = [];
  let webgpuTiny: TrainBenchTiming | null = null;
  let next = 0;
  for (const c of browserPlan) {
    const engine = `punchline (onnxruntime-web ${c.provider === 'webgpu' ? 'webgpu SwiftShader' : 'wasm'})`;
    if (!c.run) {
      // Scaled from the default model's SwiftShader update by the two models' onnxruntime-node times.
      const ratio = (nodeSeconds.get(c.model) ?? NaN) / (nodeSeconds.get('tiny') ?? NaN);
      const estimate = webgpuTiny ? (webgpuTiny.secondsPerStep * ratio) / 60 : NaN;
      const note = Number.isFinite(estimate) ? `, ~${Math.round(estimate)} min/update est.` : '';
      rows.push({ model: modelLabel(c.model), engine, 'ms/step': `skipped (SwiftShader${note})` });
      continue;
    }
    const r = measured[next++] as BrowserResult;
    if (!r.ok) {
      rows.push({ model: modelLabel(c.model), engine, 'ms/step': `n/a (${r.reason})` });
      continue;
    }
    if (c.provider === 'webgpu' && c.model === 'tiny') webgpuTiny = r.timing;
    idlePeaks.push(r.idleRendererMb);
    rows.push({
      model: modelLabel(c.model),
      engine,
      'ms/step': Math.round(r.timing.secondsPerStep * 1000),
      'tokens/s': Math.round(r.timing.tokensPerSecond),
      'peak MiB':
        r.gpuMb === null ? Math.round(r.rendererMb) : `${Math.round(r.rendererMb)} + ${Math.round(r.gpuMb)}`,
      memory: r.gpuMb === null ? 'renderer peak RSS' : 'renderer + GPU process peak RSS',
    });
  }
  rows.sort(
    (a, b) =>
      models.indexOf(String(a.model).split(' ')[0] ?? '') -
      models.indexOf(String(b.model).split(' ')[0] ?? ''),
  );

  console.log(
    `LoRA r=8 alpha=16 on q,k,v,o; batch ${batch} × seq ${seq}; ${threads} thread(s); median of ${steps} updates ` +
      `after a first untimed one (WebGPU: ${webgpuSteps}); fp32, random weights.`,
  );
  console.log(
    `${os.cpus().length} vCPU shared with whatever else runs (load average ${loadAtStart} at start, ` +
      `${os.loadavg()[0]?.toFixed(1) ?? '?'} at end): figures are under that load.`,
  );
  if (providers.length > 0) {
    const idle = idlePeaks.length > 0 ? Math.round(Math.min(...idlePeaks)) : NaN;
    console.log(
      'Browser: headless Chromium, Vite dev server, the trainer on the page (the app runs it in a worker); ' +
        `WASM threads = --threads. Memory: VmHWM of the largest renderer (the page's; ~${idle} MiB before ` +
        'training); WebGPU adds the GPU process, where SwiftShader keeps the GPU buffers.',
    );
  }
  console.table(rows);
}

const caseModel = process.argv.indexOf('--case') >= 0 ? arg('case', '') : null;
if (caseModel)
  await engineCase(
    caseModel,
    {
      batch: Number(arg('batch', '4')),
      seq: Number(arg('seq', '128')),
      steps: Number(arg('steps', '4')),
    },
    Number(arg('threads', '1')),
  );
else await main();
