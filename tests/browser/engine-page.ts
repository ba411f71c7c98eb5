/**
 * Test-only page (served by a Vite dev server started in engine-backends.test.ts): exposes
 * window.runEngineCases(provider), which runs the shared engine cases on onnxruntime-web.
 */
import { probeBackend } from '../../src/runtime/backend.ts';
import { webRuntime } from '../../src/runtime/ort-web.ts';
import { cpuOnlyGraphError, runEngineCases, type EngineCaseResults } from './engine-cases.ts';

declare global {
  interface Window {
    runEngineCases: (provider: 'wasm' | 'webgpu') => Promise<EngineCaseResults>;
    cpuOnlyGraphErrorOnWebGpu: () => Promise<string | null>;
  }
}

window.runEngineCases = async (provider) => {
  // Configures ORT's wasm paths and threads and checks that the backend runs at all. The dev server refuses
  // module imports from public/ (where the app serves /ort/), so ORT's files come from node_modules here.
  await probeBackend({ preferWasm: provider === 'wasm', wasmPaths: '/node_modules/onnxruntime-web/dist/' });
  return runEngineCases(webRuntime, {
    executionProviders: [provider],
    // On WebGPU every node must run on the GPU: a CPU fallback fails session creation.
    disableCpuFallback: provider === 'webgpu',
  });
};

window.cpuOnlyGraphErrorOnWebGpu = () =>
  cpuOnlyGraphError(webRuntime, { executionProviders: ['webgpu'], disableCpuFallback: true });
