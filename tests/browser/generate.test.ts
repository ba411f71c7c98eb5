import { describe, expect, inject, test } from 'vitest';
import {
  continuations,
  expectRanked,
  fillSettings,
  generateWithEnter,
  recordSnapshots,
  shownScores,
  snapshots,
  waitForModel,
  waitForRunEnd,
} from './generate-page.ts';
import { appSessions } from './app-sessions.ts';

const baseUrl = inject('baseUrl');
const openSession = appSessions(baseUrl);

const HAN = /\p{Script=Han}/u;

describe('Generate on WASM (no WebGPU adapter)', () => {
  test('streams, repeats with the same seed, writes Chinese, and loads offline from IndexedDB', async () => {
    const session = await openSession({ webgpu: false });
    const { page } = session;
    expect(await waitForModel(page)).toBe('network');
    expect(await page.getByTestId('model-status').textContent()).toMatch(/running on WASM/);

    // Streaming: tokens are in the DOM while the run is still going.
    await fillSettings(page, { prompt: 'Why did the programmer', maxNewTokens: 40, candidates: 2, seed: 7 });
    await recordSnapshots(page);
    await generateWithEnter(page);
    expect(await waitForRunEnd(page)).toBe('finished');
    const seen = await snapshots(page);
    const whileRunning = seen.filter((s) => s.status === 'running' && s.tokens.some((t) => t > 0));
    expect(whileRunning.length).toBeGreaterThan(0);
    expect(whileRunning.some((s) => s.texts.some((t) => t.length > 0))).toBe(true);
    const first = await continuations(page);
    expect(first).toHaveLength(2);
    // Ranked by the built-in style-code scorer, best first.
    expect(await page.getByTestId('scorer').inputValue()).toBe('style-codes');
    const scores = await shownScores(page);
    expect(scores.every((s) => s.probability !== null)).toBe(true);
    expectRanked(scores);
    expect(await page.getByTestId('generate-stats').textContent()).toMatch(
      /Time to first token \d+ ms · [\d.]+ tokens\/s · WASM/,
    );

    // Same seed and settings: the same text again.
    await page.getByTestId('generate-button').click();
    expect(await waitForRunEnd(page)).toBe('finished');
    expect(await continuations(page)).toEqual(first);

    // A Chinese opening: Chinese tag chosen automatically, Chinese characters out, no replacement characters.
    await fillSettings(page, {
      prompt: '为什么程序员',
      maxNewTokens: 30,
      candidates: 2,
      seed: 3,
      temperature: 0.7,
    });
    expect(await page.getByTestId('language').locator('option').first().textContent()).toBe('Auto (Chinese)');
    await generateWithEnter(page);
    expect(await waitForRunEnd(page)).toBe('finished');
    const chinese = await continuations(page);
    expect(chinese.some((text) => HAN.test(text))).toBe(true);
    for (const text of chinese) expect(text).not.toContain('\uFFFD');

    // A thumbs up is stored with the output.
    await page.getByTestId('rate-up').first().click();
    await expect.poll(() => page.getByTestId('rate-up').first().getAttribute('aria-pressed')).toBe('true');

    // Reload with the model folder unreachable: the model comes from IndexedDB and still generates.
    await session.context.route('**/models/**', (route) => route.abort('internetdisconnected'));
    const before = session.requests.length;
    await page.reload();
    expect(await waitForModel(page)).toBe('storage');
    await fillSettings(page, { prompt: 'Knock knock', maxNewTokens: 8, candidates: 1, seed: 1 });
    await generateWithEnter(page);
    expect(await waitForRunEnd(page)).toBe('finished');
    expect(Number(await page.getByTestId('candidate').getAttribute('data-tokens'))).toBeGreaterThan(0);
    expect(session.requests.slice(before).filter((url) => url.includes('/models/'))).toEqual([]);
    // History survived the reload: every output so far, the rated one still rated.
    await expect.poll(() => page.getByTestId('history-item').count()).toBe(7);
    expect(await page.locator('[data-testid="history-item"] button[aria-pressed="true"]').count()).toBe(1);
  });
});

describe('Generate on WebGPU (SwiftShader)', () => {
  test('streams a few tokens, and Stop halts within one token', async () => {
    const session = await openSession({ webgpu: true });
    const { page } = session;
    await waitForModel(page);
    expect(await page.getByTestId('model-status').textContent()).toMatch(/running on WebGPU/);

    await fillSettings(page, { prompt: 'Why did the cat', maxNewTokens: 3, candidates: 1, seed: 2 });
    await recordSnapshots(page);
    await generateWithEnter(page);
    expect(await waitForRunEnd(page)).toBe('finished');
    const seen = await snapshots(page);
    expect(seen.some((s) => s.status === 'running' && (s.tokens[0] ?? 0) > 0)).toBe(true);
    expect(Number(await page.getByTestId('candidate').getAttribute('data-tokens'))).toBeGreaterThan(0);

    // A joke that ends on its own before Stop is pressed proves nothing: try the next seed then.
    const card = page.getByTestId('candidate');
    const button = page.getByTestId('generate-button');
    let pressed = false;
    for (let seed = 4; seed < 8 && !pressed; seed++) {
      await fillSettings(page, {
        prompt: 'Why did the cat',
        maxNewTokens: 200,
        candidates: 1,
        seed,
        temperature: 1.5,
      });
      await button.click();
      await expect
        .poll(
          async () =>
            ((await card.getAttribute('data-tokens')) ?? '0') !== '0' ||
            (await button.textContent()) !== 'Stop',
          {
            timeout: 120_000,
          },
        )
        .toBe(true);
      if ((await button.textContent()) === 'Stop') {
        await button.click();
        pressed = true;
      } else await waitForRunEnd(page);
    }
    expect(pressed).toBe(true);
    expect(await waitForRunEnd(page)).toBe('stopped');
    const stats = page.getByTestId('generate-stats');
    expect(Number(await stats.getAttribute('data-after-stop'))).toBeLessThanOrEqual(1);
    expect(Number(await card.getAttribute('data-tokens'))).toBeLessThan(200);
    expect(await button.textContent()).toBe('Generate');
  });
});
