/**
 * Resident memory of a Chromium session's renderer processes, read from Linux's /proc (VmRSS now, VmHWM the
 * peak since the process started). The renderers' process ids come from the browser over CDP
 * (SystemInfo.getProcessInfo). performance.measureUserAgentSpecificMemory is not available headless, and the JS
 * heap figures of CDP's Performance.getMetrics leave out ArrayBuffers and WebAssembly memory, which is where a
 * model's weights live.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';

export interface RendererMemory {
  /** The largest renderer's figures (the test page's; a spare renderer stays small). */
  rssBytes: number;
  peakBytes: number;
  /** Processes of the kind measured (renderers, or GPU processes for gpuProcessMemory). */
  renderers: number;
}

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match ? Number(match[1]) : null;
}

/** null where /proc cannot be read (not Linux) or the browser reports no renderer. */
export function rendererMemory(context: BrowserContext): Promise<RendererMemory | null> {
  return processMemory(context, (type) => type === 'renderer');
}

/**
 * The GPU process's figures: with WebGPU on SwiftShader, GPU buffers (bound weights, activations) live there,
 * not in the renderer.
 */
export function gpuProcessMemory(context: BrowserContext): Promise<RendererMemory | null> {
  return processMemory(context, (type) => type.toLowerCase() === 'gpu');
}

async function processMemory(
  context: BrowserContext,
  ofType: (type: string) => boolean,
): Promise<RendererMemory | null> {
  const browser = context.browser();
  if (!browser) return null;
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    let best: RendererMemory | null = null;
    const processes = processInfo.filter((p) => ofType(p.type));
    for (const { id } of processes) {
      const rss = statusKiB(id, 'VmRSS');
      const peak = statusKiB(id, 'VmHWM');
      if (rss === null || peak === null) continue;
      if (!best || peak * 1024 > best.peakBytes)
        best = { rssBytes: rss * 1024, peakBytes: peak * 1024, renderers: processes.length };
    }
    return best;
  } finally {
    await cdp.detach();
  }
}

/** The page's navigator.hardwareConcurrency as seen from now on; onnxruntime-web sizes its WASM thread pool by it. */
export async function overrideHardwareConcurrency(
  context: BrowserContext,
  page: Parameters<BrowserContext['newCDPSession']>[0],
  cores: number,
): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: cores });
}
