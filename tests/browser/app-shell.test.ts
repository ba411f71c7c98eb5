import { afterEach, describe, expect, inject, test } from 'vitest';
import { openApp, type AppSession } from './harness.ts';

const baseUrl = inject('baseUrl');
let session: AppSession | null = null;

afterEach(async () => {
  await session?.close();
  session = null;
});

describe('app shell', () => {
  test('loads cleanly and reports the SwiftShader WebGPU adapter', async () => {
    session = await openApp(baseUrl, { webgpu: true });
    const { page } = session;
    const backend = page.getByTestId('backend-status');
    await expect.poll(() => backend.getAttribute('data-backend'), { timeout: 90_000 }).toBe('webgpu');
    expect(await backend.textContent()).toMatch(/WebGPU: .*swiftshader/i);
    await expect.poll(() => page.getByTestId('storage-status').textContent()).toMatch(/Storage: .* of /);
    expect(await page.getByTestId('worker-status').textContent()).toBe('Worker: idle');
    for (const title of ['Generate', 'Data', 'Train & Adapters']) {
      await page.getByRole('button', { name: title, exact: true }).click();
      expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe(title);
    }
    expect(session.consoleErrors).toEqual([]);
    expect(session.requests.length).toBeGreaterThan(0);
    expect(session.foreignRequests()).toEqual([]);
  });

  test('falls back to WASM and says why when WebGPU is off', async () => {
    session = await openApp(baseUrl, { webgpu: false });
    const backend = session.page.getByTestId('backend-status');
    await expect.poll(() => backend.getAttribute('data-backend'), { timeout: 90_000 }).toBe('wasm');
    expect(await backend.textContent()).toMatch(/^Compute: WASM, \d+ threads? — WebGPU .*adapter/);
    expect(session.consoleErrors).toEqual([]);
    expect(session.foreignRequests()).toEqual([]);
  });
});
