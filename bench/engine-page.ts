/** Benchmark page (served by the Vite dev server that bench/engine.ts --browser starts): window.benchEngineCase. */
import { probeBackend } from '../src/runtime/backend.ts';
import { webRuntime } from '../src/runtime/ort-web.ts';
import { runBenchCase, type BenchCase, type BenchTiming } from './engine-cases.ts';

declare global {
  interface Window {
    benchEngineCase: (provider: 'wasm' | 'webgpu', model: string, kind: BenchCase) => Promise<BenchTiming>;
  }
}

window.benchEngineCase = async (provider, model, kind) => {
  // The dev server refuses module imports from public/ (/ort/), so ORT's files come from node_modules.
  await probeBackend({ preferWasm: provider === 'wasm', wasmPaths: '/node_modules/onnxruntime-web/dist/' });
  return runBenchCase(webRuntime, model, kind, {
    session: { executionProviders: [provider], disableCpuFallback: provider === 'webgpu' },
    placement: provider === 'webgpu' ? 'gpu-buffer' : 'cpu',
    // SwiftShader runs WebGPU on the CPU about 100x slower than WASM: keep its runs short.
    decodeTokens: provider === 'webgpu' ? 6 : 32,
    trainSteps: 1,
  });
};
