import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'lora-steps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tools/lora-steps.ts', () => {
  it('halves the loss of a tiny random model in 50 LoRA steps on a repeated text', () => {
    const text = join(dir, 'joke.txt');
    writeFileSync(text, 'Why did the chicken cross the road? To get to the other side. '.repeat(20));
    const stdout = execFileSync(
      'npx',
      ['tsx', 'tools/lora-steps.ts', '--tiny-random', '--text', text, '--steps', '50'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const losses = [...stdout.matchAll(/^step +\d+ +loss ([\d.]+)$/gm)].map((m) => Number(m[1]));
    expect(losses).toHaveLength(50);
    expect(losses[49]).toBeLessThan((losses[0] as number) / 2);
  });

  it('rejects a text shorter than one window, saying how long it must be', () => {
    const text = join(dir, 'short.txt');
    writeFileSync(text, 'too short');
    expect(() =>
      execFileSync('npx', ['tsx', 'tools/lora-steps.ts', '--tiny-random', '--text', text], {
        encoding: 'utf8',
        stdio: 'pipe',
        timeout: 60_000,
      }),
    ).toThrow(/holds 9 tokens; --seq 32 needs at least 33/);
  });
});
