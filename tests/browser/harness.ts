/**
 * Browser-test harness: the built app (dist/) served by `vite preview` on 127.0.0.1, driven by Debian's Chromium
 * through playwright-core.
 *
 *   startPreviewServer(): Promise<PreviewServer>
 *     Serves the build (dist/, or $PUNCHLINE_DIST_DIR when the test gate set it) on a free port of 127.0.0.1 with the COOP/COEP headers. `npm run build` must have run.
 *     The browser-test config starts one for the whole run (globalSetup.ts); tests read its URL with
 *     `inject('baseUrl')`.
 *   openApp(baseUrl, { webgpu = true, userDataDir?, path = '/' }): Promise<AppSession>
 *     Launches Chromium headless (fresh temporary profile unless `userDataDir` is given, e.g. to keep IndexedDB
 *     across browser restarts) and opens the page. `webgpu: true` passes the SwiftShader WebGPU flags from
 *     DESIGN.md; `webgpu: false` leaves WebGPU off so the app must fall back to WASM.
 *   AppSession
 *     page, context           playwright objects
 *     consoleErrors: string[] console.error output (the page's console includes its workers') and uncaught page errors
 *     requests: string[]      every URL the page or its workers requested
 *     foreignRequests()       the requests to any host other than 127.0.0.1 (these are also aborted)
 *     close()                 closes the browser, deletes a temporary profile, and throws if any request went
 *                             to a host other than 127.0.0.1 (so every test that closes its session checks it)
 *   chromiumArgs(webgpu): string[]  the exact flags, for tests that launch Chromium themselves.
 *
 * SwiftShader is slow: keep shapes tiny and tests few.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { preview } from 'vite';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const quietFlags = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
];

const webGpuFlags = [
  '--enable-unsafe-webgpu',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-vulkan-surface',
];

export function chromiumArgs(webgpu: boolean): string[] {
  return webgpu ? [...quietFlags, ...webGpuFlags] : [...quietFlags, '--disable-features=WebGPU'];
}

export interface PreviewServer {
  url: string;
  stop(): Promise<void>;
}

/** The build to serve: dist/, or the gate's private build (PUNCHLINE_DIST_DIR) so a parallel `npm run build` cannot swap it mid-run. */
export const distDir = process.env.PUNCHLINE_DIST_DIR ?? 'dist';

export async function startPreviewServer(): Promise<PreviewServer> {
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(`${distDir}/index.html is missing: run \`npm run build\` before the browser tests.`);
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: run \`apt-get install -y chromium\` or set CHROMIUM_PATH.`,
    );
  }
  const server = await preview({
    logLevel: 'error',
    build: { outDir: distDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not report a TCP address.');
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () => server.close(),
  };
}

export interface OpenOptions {
  webgpu?: boolean;
  userDataDir?: string;
  path?: string;
}

export interface AppSession {
  page: Page;
  context: BrowserContext;
  consoleErrors: string[];
  requests: string[];
  foreignRequests(): string[];
  close(): Promise<void>;
}

function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:') return true;
  return hostname === '127.0.0.1';
}

export async function openApp(baseUrl: string, options: OpenOptions = {}): Promise<AppSession> {
  const temporary = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'punchline-chromium-')));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    ignoreDefaultArgs: ['--headless'],
    args: chromiumArgs(options.webgpu ?? true),
  });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  await context.route(
    (url) => !isLocal(url.href),
    (route) => route.abort('blockedbyclient'),
  );
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`page: ${error.message}`));
  await page.goto(new URL(options.path ?? '/', baseUrl).href);
  return {
    page,
    context,
    consoleErrors,
    requests,
    foreignRequests: () => requests.filter((url) => !isLocal(url)),
    async close() {
      await context.close();
      if (temporary) await rm(userDataDir, { recursive: true, force: true });
      const foreign = requests.filter((url) => !isLocal(url));
      if (foreign.length > 0)
        throw new Error(`The page requested other hosts than 127.0.0.1: ${foreign.join(', ')}`);
    },
  };
}
