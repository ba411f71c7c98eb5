/** Drives the Generate area of the built app in the browser tests. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export interface GenerateSettings {
  prompt: string;
  maxNewTokens: number;
  candidates: number;
  seed: number;
  temperature?: number;
}

export async function waitForModel(page: Page, timeout = 150_000): Promise<string> {
  const status = page.getByTestId('model-status');
  await expect
    .poll(() => status.getAttribute('data-status').catch(() => null), { timeout })
    .toMatch(/^(ready|failed)$/);
  const state = await status.getAttribute('data-status');
  if (state !== 'ready') throw new Error(`model did not load: ${await status.textContent()}`);
  return (await status.getAttribute('data-source')) ?? '';
}

export async function fillSettings(page: Page, settings: GenerateSettings): Promise<void> {
  await page.getByTestId('max-new-tokens').fill(String(settings.maxNewTokens));
  await page.getByTestId('candidate-count').fill(String(settings.candidates));
  await page.getByTestId('seed').fill(String(settings.seed));
  if (settings.temperature !== undefined)
    await page.getByTestId('temperature').fill(String(settings.temperature));
  await page.getByTestId('prompt').fill(settings.prompt);
}

/**
 * Records what the page shows while a generation runs: every DOM change appends the run status, the streamed
 * text of each card and its token count, so a test can see tokens that appeared before the run ended.
 */
export async function recordSnapshots(page: Page): Promise<void> {
  await page.evaluate(() => {
    const snapshots: { status: string; texts: string[]; tokens: number[] }[] = [];
    (window as unknown as { __snapshots: typeof snapshots }).__snapshots = snapshots;
    new MutationObserver(() => {
      const cards = [...document.querySelectorAll<HTMLElement>('[data-testid="candidate"]')];
      snapshots.push({
        status:
          document.querySelector('[data-testid="generate-stats"]')?.getAttribute('data-status') ?? 'none',
        texts: cards.map((c) => c.querySelector('[data-testid="candidate-continuation"]')?.textContent ?? ''),
        tokens: cards.map((c) => Number(c.dataset.tokens)),
      });
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

export async function snapshots(
  page: Page,
): Promise<{ status: string; texts: string[]; tokens: number[] }[]> {
  return page.evaluate(
    () =>
      (window as unknown as { __snapshots: { status: string; texts: string[]; tokens: number[] }[] })
        .__snapshots,
  );
}

/** The run's status once it is no longer running. */
export async function waitForRunEnd(page: Page, timeout = 150_000): Promise<string> {
  const stats = page.getByTestId('generate-stats');
  await expect
    .poll(() => stats.getAttribute('data-status').catch(() => null), { timeout })
    .toMatch(/^(finished|stopped|failed)$/);
  const status = (await stats.getAttribute('data-status')) ?? '';
  if (status === 'failed') throw new Error(`generation failed: ${await stats.textContent()}`);
  return status;
}

export async function continuations(page: Page): Promise<string[]> {
  return page.getByTestId('candidate-continuation').allTextContents();
}

export async function generateWithEnter(page: Page): Promise<void> {
  await page.getByTestId('prompt').press('Enter');
}

/** Each card's scorer probability and state, in the order the page shows them. */
export async function shownScores(page: Page): Promise<{ state: string; probability: number | null }[]> {
  return page.getByTestId('candidate').evaluateAll((cards) =>
    cards.map((card) => {
      const score = card.querySelector('[data-testid="candidate-score"]');
      return {
        state: card.getAttribute('data-state') ?? '',
        probability: score ? Number(score.getAttribute('data-probability')) : null,
      };
    }),
  );
}

/** The shown order is the scorer's: probabilities fall from card to card among the cards not held back. */
export function expectRanked(scores: { state: string; probability: number | null }[]): void {
  const shown = scores.filter((s) => s.state !== 'held').map((s) => s.probability);
  expect(shown.every((p) => p !== null && p >= 0 && p <= 1)).toBe(true);
  expect(shown).toEqual([...shown].sort((a, b) => (b as number) - (a as number)));
}
