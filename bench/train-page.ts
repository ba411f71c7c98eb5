/** Benchmark page (served by the Vite dev server that bench/train.ts starts): window.benchTrainCase. */
import { matMulModel, probeBackend } from '../src/runtime/backend.ts';
import { webRuntime } from '../src/runtime/ort-web.ts';
import { fetchTokenizer } from '../src/tokenizer/load-browser.ts';
import {
  runTrainBench,
  TINY_FOLDER,
  trainBenchShape,
  type TrainBenchSettings,
  type TrainBenchTiming,
} from './train-cases.ts';

export interface BrowserTrainTiming extends TrainBenchTiming {
  backend: string;
}

declare global {
  interface Window {
    benchTrainCase: (
      provider: 'wasm' | 'webgpu',
      model: string,
      settings: TrainBenchSettings,
    ) => Promise<BrowserTrainTiming>;
  }
}

const readJson = async (publicPath: string): Promise<unknown> => {
  const response = await fetch(`/${publicPath}`);
  if (!response.ok) throw new Error(`/${publicPath}: HTTP ${response.status}`);
  return response.json();
};

window.benchTrainCase = async (provider, model, settings) => {
  // The dev server refuses module imports from public/ (/ort/), so ORT's files come from node_modules.
  const report = await probeBackend({
    preferWasm: provider === 'wasm',
    wasmPaths: '/node_modules/onnxruntime-web/dist/',
  });
  if (report.backend !== provider)
    throw new Error(`asked for ${provider}, got ${report.label}: ${report.reason}`);
  const tokenizer = await fetchTokenizer(`/${TINY_FOLDER}/`);
  // ORT's WebGPU EP drops its device with its last session, which leaves weights bound before the trainer's
  // sessions exist on a dead device. The app always holds its model's decode session; here a small one.
  const holder = await webRuntime.createSession(matMulModel, { executionProviders: [provider] });
  try {
    // The same session settings and weight placement as the app's training worker (src/worker/train).
    const shape = await trainBenchShape(model, readJson);
    const timing = await runTrainBench(webRuntime, shape, tokenizer, settings, {
      session: { executionProviders: [provider] },
      placement: provider === 'webgpu' ? 'gpu-buffer' : 'cpu',
    });
    return { ...timing, backend: report.label };
  } finally {
    await holder.dispose();
  }
};
