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
export async function rendererMemory(context: BrowserContext): Promise<RendererMemory | null> {
  const browser = context.browser();
  if (!browser) return null;
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    let best: RendererMemory | null = null;
    const renderers = processInfo.filter((p) => p.type === 'renderer');
    for (const { id } of renderers) {
      const rss = statusKiB(id, 'VmRSS');
      const peak = statusKiB(id, 'VmHWM');
      if (rss === null || peak === null) continue;
      if (!best || peak * 1024 > best.peakBytes)
        best = { rssBytes: rss * 1024, peakBytes: peak * 1024, renderers: renderers.length };
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
