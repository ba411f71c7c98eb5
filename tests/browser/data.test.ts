import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { appSessions } from './app-sessions.ts';

const baseUrl = inject('baseUrl');
const openSession = appSessions(baseUrl);

/**
 * Messy on purpose: BOM, CRLF, a quoted joke over two lines, doubled quotes, three copies of one joke (case and
 * spacing differ), an unterminated quote that swallows the rest of its line (rejected), and a formula-like cell.
 */
const MESSY_CSV =
  '\uFEFF' +
  [
    'joke,label',
    '"Why did the scarecrow win an award?\r\nBecause he was outstanding in his field.",funny',
    'Why did the chicken cross the road? To get to the other side.,funny',
    '"She said ""I am on a seafood diet"". I see food and I eat it.",funny',
    'why did the chicken cross the road?  To get to the other side!,funny',
    '=HYPERLINK("http://example.com") is not a joke,not funny',
    'The meeting moved to Thursday afternoon at three.,not funny',
    'WHY DID THE CHICKEN CROSS THE ROAD? TO GET TO THE OTHER SIDE.,funny',
    'I used to be a banker but I lost interest.,funny',
    '"This quote never ends,funny',
    'Parallel lines have so much in common; a shame they never meet.,funny',
  ].join('\r\n') +
  '\r\n';

/** Drops files on the drop zone the way a browser does: a DataTransfer built in the page, then a drop event. */
async function dropFile(page: Page, name: string, bytes: Uint8Array, type: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, data, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name, { type }));
      return dt;
    },
    { name, data: Array.from(bytes), type },
  );
  const zone = page.getByRole('region', { name: 'Drop a dataset file here' });
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
}

async function openDataArea(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Data', exact: true }).click();
  await page.getByRole('heading', { name: 'Import a dataset' }).waitFor();
}

function versionItems(page: Page) {
  return page.getByRole('list', { name: /^Versions of / }).getByRole('listitem');
}

describe('data area', () => {
  test('a dropped messy CSV is read, audited, fixed into version 2, exported, and both versions survive a reload', async () => {
    const session = await openSession({ webgpu: false });
    const { page } = session;
    await openDataArea(page);
    await dropFile(page, 'messy.csv', new TextEncoder().encode(MESSY_CSV), 'text/csv');

    await expect.poll(() => page.getByTestId('count-accepted').textContent(), { timeout: 30_000 }).toBe('9');
    expect(await page.getByTestId('count-rejected').textContent()).toBe('1');
    expect(await page.getByTestId('ingest-encoding').textContent()).toMatch(/^utf-8/);
    const rejected = page.getByRole('table', { name: 'Rejected rows' });
    expect(await rejected.getByRole('row').nth(1).getByRole('cell').first().textContent()).toBe('11');
    const preview = page.getByRole('table', { name: 'Preview of the first rows' });
    expect(await preview.getByRole('row').nth(1).textContent()).toContain('outstanding in his field');

    await page.getByRole('button', { name: 'Run the audit' }).click();
    const summary = page.getByRole('table', { name: 'Audit summary' });
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.getByRole('row').count()).toBeGreaterThan(8);
    expect(await page.getByTestId('score-exact-duplicates').textContent()).toMatch(/^\d+ \([A-F]\)$/);
    expect(await page.getByRole('group', { name: 'Charts' }).getByRole('img').count()).toBeGreaterThan(1);
    await expect
      .poll(() => page.getByTestId('findings-range').textContent())
      .toMatch(/^Findings 1–\d+ of \d+$/);
    expect(await page.getByRole('table', { name: 'Findings' }).textContent()).toMatch(
      /same text .* \(lines 4, 6, 9\).*line 9 WHY DID THE CHICKEN/,
    );

    await page.getByRole('button', { name: 'Drop exact duplicates (2 rows)' }).click();
    await expect.poll(() => versionItems(page).count(), { timeout: 30_000 }).toBe(2);
    expect(await versionItems(page).nth(1).textContent()).toMatch(
      /^Version 2 \(from version 1\): 7 rows\..*2 removed/,
    );
    expect(await page.getByRole('heading', { name: /^Audit of version 2 \(7 rows\)$/ }).count()).toBe(1);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export version 2 of messy.csv as CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('messy-v2.csv');
    const csv = await readFile((await file.path()) ?? '', 'utf8');
    expect(csv.match(/chicken/gi)).toHaveLength(1);
    expect(csv).toContain(`"'=HYPERLINK(""http://example.com"") is not a joke"`);

    await page.reload();
    await openDataArea(page);
    await expect.poll(() => versionItems(page).count(), { timeout: 30_000 }).toBe(2);
    expect(await versionItems(page).nth(0).textContent()).toMatch(/^Version 1: 9 rows\. Imported messy\.csv/);
    expect(await versionItems(page).nth(1).textContent()).toMatch(/^Version 2 \(from version 1\): 7 rows\./);
  });

  test('a GBK file through the picker (detected, and chosen after a wrong choice) and a UTF-16 file by drop are decoded; an image gets one clear message', async () => {
    const session = await openSession({ webgpu: false });
    const { page } = session;
    await openDataArea(page);
    const encoding = page.getByTestId('ingest-encoding');
    const preview = page.getByRole('table', { name: 'Preview of the first rows' });

    // Forced to UTF-8, the GBK file is refused with a message that names the right encoding; choosing it works.
    await page.getByLabel('Encoding').selectOption('utf-8');
    await page.getByLabel('Choose a file').setInputFiles('tests/fixtures/data/gbk-zh.csv');
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 })
      .toMatch(/^Could not read “gbk-zh\.csv”: .*does not decode as UTF-8.*GB18030/);
    await page.getByLabel('Encoding').selectOption('gb18030');
    await page.getByRole('button', { name: 'Read “gbk-zh.csv” again with this encoding' }).click();
    await expect.poll(() => encoding.textContent(), { timeout: 30_000 }).toBe('gb18030 (chosen by user)');
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByLabel('Encoding').selectOption('auto');
    await page.getByLabel('Choose a file').setInputFiles('tests/fixtures/data/gbk-zh.csv');
    await expect
      .poll(() => encoding.textContent(), { timeout: 30_000 })
      .toBe('gb18030 (chinese double byte)');
    expect(await preview.textContent()).toContain('今天天气很好。');
    expect(await page.getByLabel('Text column').inputValue()).toBe('内容');
    expect(await page.getByLabel('Label column').inputValue()).toBe('标签');

    const utf16 = readFileSync('tests/fixtures/data/utf16le-excel.txt');
    await dropFile(page, 'utf16le-excel.txt', utf16, 'text/plain');
    await expect.poll(() => encoding.textContent(), { timeout: 30_000 }).toMatch(/^utf-16le/);
    expect(await preview.textContent()).toContain('为什么电脑很累？因为它有太多的窗口。');
    expect(await page.getByLabel('Label column').inputValue()).toBe('类别');
    await page.getByLabel('Label column').selectOption('note');
    await page.getByRole('button', { name: 'Apply column mapping' }).click();
    const utf16Versions = page
      .getByRole('list', { name: 'Versions of utf16le-excel.txt' })
      .getByRole('listitem');
    await expect.poll(() => utf16Versions.count(), { timeout: 30_000 }).toBe(2);
    expect(await utf16Versions.nth(1).textContent()).toMatch(
      /^Version 2 \(from version 1\): 3 rows\. Columns re-mapped: text "笑话", label "note"\./,
    );
    expect(await page.getByLabel('Label column').inputValue()).toBe('note');

    await page.getByLabel('Choose a file').setInputFiles('tests/fixtures/data/pixel.png');
    const alert = page.getByRole('alert');
    await expect
      .poll(() => alert.textContent(), { timeout: 30_000 })
      .toMatch(/^Could not read “pixel\.png”: /);
    expect(await alert.count()).toBe(1);
    expect(await page.getByRole('list', { name: /^Versions of / }).count()).toBe(3);
  });
});
