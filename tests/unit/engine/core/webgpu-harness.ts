/**
 * Runs exported graphs on onnxruntime-web's WebGPU EP (the native C++ EP, `onnxruntime-web/webgpu`)
 * in headless Chromium with SwiftShader, with CPU fallback disabled, so a node without a WebGPU
 * kernel fails session creation. ORT's files are served from 127.0.0.1 (a secure context).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { NdArray } from '../../../../src/engine/index.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

const ORT_DIST = join(process.cwd(), 'node_modules/onnxruntime-web/dist');
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-vulkan-surface',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const PAGE = `<!doctype html><script type="module">
import * as ort from '/ort/ort.webgpu.bundle.min.mjs';
ort.env.wasm.numThreads = 1;
ort.env.wasm.wasmPaths = '/ort/';
const typed = { float32: Float32Array, int32: Int32Array, bool: Uint8Array };
window.runModel = async (bytes, feeds) => {
  const options = { executionProviders: ['webgpu'], extra: { session: { disable_cpu_ep_fallback: '1' } } };
  let session;
  try {
    session = await ort.InferenceSession.create(new Uint8Array(bytes), options);
  } catch (e) {
    return { error: String(e && e.message ? e.message : e) };
  }
  const inputs = {};
  for (const f of feeds) {
    const data = f.dtype === 'int64' ? BigInt64Array.from(f.data.map(BigInt)) : typed[f.dtype].from(f.data);
    inputs[f.name] = new ort.Tensor(f.dtype, data, f.shape);
  }
  const out = await session.run(inputs);
  const result = {};
  for (const [name, t] of Object.entries(out)) result[name] = { shape: [...t.dims], data: Array.from(t.data, Number) };
  await session.release();
  return { outputs: result };
};
window.ready = true;
</script>`;

const TYPES: Record<string, string> = { '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

export interface WebGpuRunner {
  run(
    model: Uint8Array,
    feeds: Record<string, NdArray>,
  ): Promise<{ error?: string; outputs?: Record<string, NdArray> }>;
  close(): Promise<void>;
}

export async function startWebGpu(): Promise<WebGpuRunner> {
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0]!;
    const headers = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    };
    if (url === '/') {
      res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(PAGE);
      return;
    }
    const name = url.startsWith('/ort/') ? url.slice(5) : '';
    if (!/^[\w.-]+$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    readFile(join(ORT_DIST, name)).then(
      (body) =>
        res
          .writeHead(200, {
            ...headers,
            'content-type': TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream',
          })
          .end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('webgpu harness: no TCP address');
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    ignoreDefaultArgs: ['--headless'],
    args: FLAGS,
  });
  const page: Page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${address.port}/`);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  return {
    async run(model, feeds) {
      const plainFeeds = Object.entries(feeds).map(([name, a]) => ({
        name,
        dtype: a.dtype,
        shape: [...a.shape],
        data: Array.from(a.data),
      }));
      const result = await page.evaluate(
        ([bytes, f]) =>
          (window as unknown as { runModel: (b: number[], f: unknown) => Promise<unknown> }).runModel(
            bytes,
            f,
          ),
        [Array.from(model), plainFeeds] as const,
      );
      const r = result as { error?: string; outputs?: Record<string, { shape: number[]; data: number[] }> };
      if (r.error !== undefined) return { error: r.error };
      const outputs: Record<string, NdArray> = {};
      for (const [name, o] of Object.entries(r.outputs ?? {})) {
        outputs[name] = { dtype: 'float32', shape: o.shape, data: Float64Array.from(o.data) };
      }
      return { outputs };
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
