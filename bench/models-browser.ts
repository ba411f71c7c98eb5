/**
 * The headless-Chromium (onnxruntime-web WASM) column of bench/models.ts: the SmolLM2 test page
 * (tests/browser/pages/models-smollm2-page.ts) served by a Vite dev server, driven by playwright-core with
 * /usr/bin/chromium. WASM threads follow `threads`: the page's navigator.hardwareConcurrency is overridden over
 * CDP before onnxruntime-web sizes its thread pool from it.
 */
import { trainTokensPerSecond } from '../src/models/chat-lora-steps.ts';
import type { LoraStepSettings } from '../tests/browser/pages/models-smollm2-page.ts';

export interface BrowserModelResult {
  chromiumPath: string;
  loadS: number;
  decodeTps: number;
  trainTps: number;
  losses: number[];
  wasmThreads: number;
  weightBytes: number;
  /** Renderer VmHWM after loading, and at the end (after decoding and training); null without /proc. */
  peakLoadBytes: number | null;
  peakEndBytes: number | null;
}

export async function browserModelBench(
  threads: number,
  newTokens: number,
  lora: LoraStepSettings,
): Promise<BrowserModelResult> {
  // Loaded only here, so that a --skip-browser run never starts Vite or Playwright.
  const { chromiumPath } = await import('../tests/browser/harness.ts');
  const { openTestPage } = await import('../tests/browser/test-page.ts');
  const { overrideHardwareConcurrency, rendererMemory } = await import('../tests/browser/renderer-memory.ts');
  const page = await openTestPage('/tests/browser/pages/models-smollm2-page.html', 'smollm2Load', {
    webgpu: false,
  });
  try {
    const { context, page: tab } = page.app;
    await overrideHardwareConcurrency(context, tab, threads);
    const report = await tab.evaluate(() => window.smollm2Load());
    const afterLoad = await rendererMemory(context);
    const decodeTps = await tab.evaluate((n) => window.smollm2DecodeRate(n), newTokens);
    const steps = await tab.evaluate((s) => window.smollm2LoraSteps(s), lora);
    const end = await rendererMemory(context);
    if (page.app.consoleErrors.length > 0)
      throw new Error(`the page reported errors: ${page.app.consoleErrors.join('; ')}`);
    return {
      chromiumPath,
      loadS: report.loadMs / 1000,
      decodeTps,
      trainTps: trainTokensPerSecond(steps, steps),
      losses: steps.losses,
      wasmThreads: report.wasmThreads,
      weightBytes: report.weightBytes,
      peakLoadBytes: afterLoad?.peakBytes ?? null,
      peakEndBytes: end?.peakBytes ?? null,
    };
  } finally {
    await page.close();
  }
}
