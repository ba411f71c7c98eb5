/**
 * Opens a test-only page of this repository (tests/browser/**.html) in Chromium, served by a Vite dev server
 * that transforms its TypeScript on the fly, and waits until the page has installed its entry function on
 * `window`. protobufjs (CommonJS) is pre-bundled up front and HMR is off: a dependency discovered while the
 * page runs would otherwise make Vite reload the page mid-test.
 */
import { createServer } from 'vite';
import { openApp, type AppSession } from './harness.ts';

export interface TestPage {
  app: AppSession;
  close(): Promise<void>;
}

/** A Vite dev server on a free 127.0.0.1 port for this repository's pages (the app, test and bench pages). */
export async function startPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = await createServer({
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    optimizeDeps: { include: ['protobufjs/light.js'] },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') {
    await server.close();
    throw new Error('vite dev server reported no TCP address');
  }
  return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

export async function openTestPage(
  path: string,
  entryFunction: string,
  options: { webgpu: boolean },
): Promise<TestPage> {
  const server = await startPageServer();
  const app = await openApp(server.url, { webgpu: options.webgpu, path });
  const close = async (): Promise<void> => {
    try {
      await app.close();
    } finally {
      await server.close();
    }
  };
  try {
    await app.page.waitForFunction(
      (name) => typeof (window as unknown as Record<string, unknown>)[name] === 'function',
      entryFunction,
      { timeout: 60_000 },
    );
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { app, close };
}
