import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { expectRanked, fillSettings, shownScores, waitForModel, waitForRunEnd } from './generate-page.ts';
import { appSessions } from './app-sessions.ts';

const baseUrl = inject('baseUrl');
const openSession = appSessions(baseUrl);

async function importCsv(page: Page, path: string, rows: string): Promise<void> {
  await page.getByRole('button', { name: 'Data', exact: true }).click();
  await page.getByRole('heading', { name: 'Import a dataset' }).waitFor();
  await page.getByLabel('Choose a file').setInputFiles(path);
  await expect.poll(() => page.getByTestId('count-accepted').textContent(), { timeout: 60_000 }).toBe(rows);
}

async function openTrain(page: Page, datasetFile: string): Promise<void> {
  await page.getByRole('button', { name: 'Train & Adapters', exact: true }).click();
  const select = page.getByLabel('Dataset version');
  await expect
    .poll(() => select.locator('option').allTextContents(), { timeout: 30_000 })
    .toContainEqual(expect.stringContaining(datasetFile));
  const options = await select.locator('option').allTextContents();
  await select.selectOption({ index: options.findIndex((o) => o.includes(datasetFile)) });
}

async function setFields(page: Page, fields: Record<string, number>): Promise<void> {
  for (const [name, value] of Object.entries(fields))
    await page.locator(`input[name="${name}"]`).fill(String(value));
}

const phase = (page: Page) => page.getByTestId('train-phase').textContent();
const step = async (page: Page) => Number(await page.getByTestId('train-step').textContent());

describe('Train on WASM', () => {
  test('a generator adapter: validation loss falls; a reload mid-run is resumed and finishes', async () => {
    const session = await openSession({ webgpu: false });
    const { page } = session;
    await waitForModel(page);
    await importCsv(page, 'tests/fixtures/train/labeled-jokes.csv', '34');
    await openTrain(page, 'labeled-jokes.csv');
    await setFields(page, {
      steps: 24,
      batchSize: 4,
      maxSeqLength: 32,
      evalEvery: 8,
      checkpointEvery: 4,
      learningRate: 0.005,
      warmupSteps: 2,
      validationShare: 0.2,
    });
    await page.getByRole('button', { name: 'Estimate' }).click();
    await expect
      .poll(() => page.getByLabel('Estimate').textContent(), { timeout: 120_000 })
      .toMatch(/24 updates at [\d.]+ s each on WASM/);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(() => step(page), { timeout: 150_000 }).toBeGreaterThanOrEqual(9);

    await page.reload();
    await page.getByRole('button', { name: 'Train & Adapters', exact: true }).click();
    const resume = page.getByRole('button', { name: 'Resume run' });
    await resume.waitFor({ timeout: 60_000 });
    expect(await page.getByRole('region', { name: 'Unfinished runs' }).textContent()).toMatch(
      /checkpoint at step (8|12|16|20)/,
    );
    await resume.click();
    await expect.poll(() => phase(page), { timeout: 170_000 }).toBe('finished');
    expect(await step(page)).toBe(24);
    const table = page.getByRole('region', { name: 'Before and after' });
    const cells = await table.getByRole('row').nth(1).getByRole('cell').allTextContents();
    const [before, after] = cells.map(Number);
    expect(after).toBeLessThan(before as number);
    expect(await page.getByRole('img', { name: /^Loss chart/ }).count()).toBe(1);
  });

  test('a classifier on a separable toy set, paused and resumed mid-run, reaches validation accuracy >= 0.9', async () => {
    const session = await openSession({ webgpu: false });
    const { page } = session;
    await waitForModel(page);
    await importCsv(page, 'tests/fixtures/train/separable.csv', '60');
    await openTrain(page, 'separable.csv');
    await page.getByLabel('Classifier (scorer)').check();
    await setFields(page, {
      // 30 updates rank the rows perfectly (AUC 1) before the logit's bias crosses zero; 60 also classify them.
      steps: 60,
      batchSize: 8,
      maxSeqLength: 32,
      evalEvery: 10,
      learningRate: 0.01,
      warmupSteps: 2,
      validationShare: 0.25,
    });
    await page.getByRole('button', { name: 'Train', exact: true }).click();

    // Pause holds the run between updates: the step count stays put until Resume.
    await expect.poll(() => step(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => phase(page), { timeout: 30_000 }).toBe('paused');
    const pausedAt = await step(page);
    expect(pausedAt).toBeLessThan(60);
    await page.waitForTimeout(1_500);
    expect(await step(page)).toBe(pausedAt);
    await page.getByRole('button', { name: 'Resume', exact: true }).click();

    await expect.poll(() => phase(page), { timeout: 170_000 }).toBe('finished');
    expect(await step(page)).toBeGreaterThan(pausedAt);
    const accuracy = Number(await page.getByTestId('accuracy').textContent());
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    expect(await page.getByRole('table', { name: 'Confusion matrix' }).textContent()).toMatch(/cats.*math/);

    // The trained classifier ranks generated candidates in Generate: scores are its P(math), best first.
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const scorer = page.getByTestId('scorer');
    await expect
      .poll(() => scorer.locator('option').allTextContents(), { timeout: 30_000 })
      .toContainEqual(expect.stringMatching(/^Classifier adapter: .*\(P\(math\)\)$/));
    const option = scorer.locator('option', { hasText: 'Classifier adapter' });
    await scorer.selectOption((await option.getAttribute('value')) ?? '');
    await fillSettings(page, { prompt: 'ten minus', maxNewTokens: 6, candidates: 3, seed: 4 });
    await page.getByTestId('generate-button').click();
    expect(await waitForRunEnd(page)).toBe('finished');
    expect(await page.getByTestId('candidate-score').allTextContents()).toEqual(
      Array.from({ length: 3 }, () => expect.stringMatching(/^#\d · P\(math\) [01]\.\d\d$/)),
    );
    expectRanked(await shownScores(page));
  });
});

describe('Train on WebGPU (SwiftShader)', () => {
  test('a handful of generator updates run on the WebGPU backend and store an adapter', async () => {
    const session = await openSession({ webgpu: true });
    const { page } = session;
    await waitForModel(page, 170_000);
    await importCsv(page, 'tests/fixtures/train/labeled-jokes.csv', '34');
    await openTrain(page, 'labeled-jokes.csv');
    await setFields(page, {
      steps: 3,
      batchSize: 1,
      maxSeqLength: 16,
      evalEvery: 3,
      checkpointEvery: 3,
      warmupSteps: 0,
      maxValidationItems: 1,
    });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(() => phase(page), { timeout: 170_000 }).toBe('finished');
    expect(await step(page)).toBe(3);
    expect(await page.getByRole('region', { name: 'Before and after' }).textContent()).toMatch(
      /adapter saved/,
    );
  }, 400_000);
});
