/** Benchmark page (served by the Vite dev server that bench/generate.ts starts): window.benchGenerate. */
import { probeBackend } from '../src/runtime/backend.ts';
import { webRuntime } from '../src/runtime/ort-web.ts';
import { benchGenerate, type GenerateBenchOptions, type GenerateBenchResult } from './generate-cases.ts';

declare global {
  interface Window {
    benchGenerate: (
      provider: 'wasm' | 'webgpu',
      options: GenerateBenchOptions,
    ) => Promise<GenerateBenchResult>;
  }
}

const FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];

window.benchGenerate = async (provider, options) => {
  // The dev server refuses module imports from public/ (/ort/), so ORT's files come from node_modules.
  const report = await probeBackend({
    preferWasm: provider === 'wasm',
    wasmPaths: '/node_modules/onnxruntime-web/dist/',
  });
  if (report.backend !== provider)
    throw new Error(`asked for ${provider}, got ${report.label}: ${report.reason}`);
  const files = new Map<string, ArrayBuffer>();
  for (const name of FILES) {
    const response = await fetch(`/models/punchline-tiny/${name}`);
    if (!response.ok) throw new Error(`/models/punchline-tiny/${name}: HTTP ${response.status}`);
    files.set(name, await response.arrayBuffer());
  }
  return { ...(await benchGenerate(webRuntime, files, provider, options)), provider: report.label };
};
