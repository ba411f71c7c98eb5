import { afterEach, describe, expect, inject, test } from 'vitest';
import { openApp, type AppSession } from './harness.ts';

const baseUrl = inject('baseUrl');
let session: AppSession | null = null;

afterEach(async () => {
  const finished = session;
  session = null;
  if (!finished) return;
  await finished.close();
  // Every test: a clean console, and not one request to a host other than 127.0.0.1.
  expect(finished.consoleErrors).toEqual([]);
  expect(finished.requests.length).toBeGreaterThan(0);
  expect(finished.foreignRequests()).toEqual([]);
});

async function backendOf(s: AppSession): Promise<string> {
  const status = s.page.getByTestId('backend-status');
  await expect
    .poll(() => status.getAttribute('data-backend'), { timeout: 90_000 })
    .toMatch(/^(webgpu|wasm|failed)$/);
  return (await status.getAttribute('data-backend')) ?? '';
}

async function waitUntilIdle(s: AppSession): Promise<void> {
  await expect
    .poll(() => s.page.getByTestId('worker-status').textContent(), { timeout: 120_000 })
    .toBe('Worker: idle');
}

describe('app shell', () => {
  test('loads cleanly and reports the SwiftShader WebGPU adapter', async () => {
    session = await openApp(baseUrl, { webgpu: true });
    const { page } = session;
    expect(await backendOf(session)).toBe('webgpu');
    expect(await page.getByTestId('backend-status').textContent()).toMatch(
      /^Compute: WebGPU: .*swiftshader/i,
    );
    await expect.poll(() => page.getByTestId('storage-status').textContent()).toMatch(/^Storage: .+ of .+/);
    // Other areas may start work of their own at load (the Generate area loads its model).
    expect(await page.getByTestId('worker-status').textContent()).toMatch(
      /^Worker: (idle|busy \(\d+ running\))$/,
    );
    const nav = page.getByRole('navigation', { name: 'Areas' });
    for (const title of ['Generate', 'Data', 'Train & Adapters']) {
      await nav.getByRole('button', { name: title, exact: true }).click();
      expect(await nav.getByRole('button', { name: title, exact: true }).getAttribute('aria-pressed')).toBe(
        'true',
      );
      expect(
        await page.getByRole('main').getByRole('heading', { level: 2, name: title, exact: true }).count(),
      ).toBe(1);
    }
  });

  test('falls back to WASM and says why when WebGPU is off', async () => {
    session = await openApp(baseUrl, { webgpu: false });
    expect(await backendOf(session)).toBe('wasm');
    expect(await session.page.getByTestId('backend-status').textContent()).toMatch(
      /^Compute: WASM, \d+ threads? — WebGPU is present but offers no adapter/,
    );
    await waitUntilIdle(session);
  });

  test('the benchmark streams progress through the worker and stops on cancel', async () => {
    // WASM: the round trip is under test here, not the backend, and SwiftShader would only make it slower.
    session = await openApp(baseUrl, { webgpu: false });
    const { page } = session;
    expect(await backendOf(session)).toBe('wasm');
    await waitUntilIdle(session);
    await page.getByTestId('system-toggle').click();
    const status = page.getByTestId('benchmark-status');
    await page.getByTestId('benchmark-size').fill('16');
    await page.getByTestId('benchmark-steps').fill('5');
    await page.getByTestId('benchmark-start').click();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 60_000 }).toBe('finished');
    expect(await status.textContent()).toMatch(
      /^WASM, \d+ threads?: median \d+\.\d\d [MG]FLOP\/s over 5 runs of 16×16$/,
    );

    await page.getByTestId('benchmark-steps').fill('100000');
    await page.getByTestId('benchmark-start').click();
    await expect
      .poll(() => status.textContent(), { timeout: 60_000 })
      .toMatch(/^Running: ([3-9]|\d\d+) of 100000 done$/);
    expect(await page.getByTestId('worker-status').textContent()).toBe('Worker: busy (1 running)');
    await page.getByTestId('benchmark-cancel').click();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled');
    const runs = Number(/Cancelled after (\d+) runs/.exec((await status.textContent()) ?? '')?.[1]);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(runs).toBeLessThan(100000);
    expect(await page.getByTestId('worker-status').textContent()).toBe('Worker: idle');
  });

  test('a setting written to IndexedDB survives a reload', async () => {
    session = await openApp(baseUrl, { webgpu: true });
    const { page } = session;
    expect(await backendOf(session)).toBe('webgpu');
    await page.getByTestId('system-toggle').click();
    await page.getByTestId('backend-preference').selectOption('wasm');
    await expect
      .poll(() => page.getByTestId('backend-status').textContent(), { timeout: 60_000 })
      .toMatch(/^Compute: WASM, \d+ threads? — WASM was chosen in settings\.$/);

    await page.reload();
    expect(await backendOf(session)).toBe('wasm');
    await page.getByTestId('system-toggle').click();
    expect(await page.getByTestId('backend-preference').inputValue()).toBe('wasm');
  });

  test('the harness catches and blocks a request to another host', async () => {
    const probe = await openApp(baseUrl, { webgpu: false });
    const outcome = await probe.page.evaluate(() =>
      fetch('http://192.0.2.1/beacon', { mode: 'no-cors' }).then(
        () => 'sent',
        () => 'blocked',
      ),
    );
    expect(outcome).toBe('blocked');
    expect(probe.foreignRequests()).toEqual(['http://192.0.2.1/beacon']);
    await expect(probe.close()).rejects.toThrow(
      /other hosts than 127\.0\.0\.1: http:\/\/192\.0\.2\.1\/beacon/,
    );
  });
});
