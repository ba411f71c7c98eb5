import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = dirname(fileURLToPath(import.meta.url));

// onnxruntime-web/webgpu loads the asyncify build; onnxruntime-web/wasm loads the plain one.
const ortFiles = [
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
];

/** Copies ORT's runtime files into public/ort so they are served (and built) from our own origin, never a CDN. */
function ortRuntimeFiles(): Plugin {
  return {
    name: 'punchline-ort-runtime-files',
    configResolved() {
      const from = join(root, 'node_modules/onnxruntime-web/dist');
      const to = join(root, 'public/ort');
      mkdirSync(to, { recursive: true });
      for (const file of ortFiles) {
        const source = join(from, file);
        const target = join(to, file);
        const stale = (() => {
          try {
            const a = statSync(source);
            const b = statSync(target);
            return a.size !== b.size || a.mtimeMs > b.mtimeMs;
          } catch {
            return true;
          }
        })();
        if (stale) copyFileSync(source, target);
      }
    },
  };
}

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), ortRuntimeFiles()],
  // One page at '/'. A missing file is a 404, not index.html: a model file that is absent must not parse as HTML.
  appType: 'mpa',
  server: { host: '127.0.0.1', headers: isolationHeaders },
  preview: { host: '127.0.0.1', headers: isolationHeaders },
  // The extern-wasm build of ORT loads its glue and .wasm from env.wasm.wasmPaths (/ort/) instead of bundling a
  // second 26 MB copy of the .wasm into assets/.
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  worker: { format: 'es' },
  // The wasm glue is loaded at run time from /ort/; keep ORT out of the dev pre-bundler so its own URLs survive.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
});
