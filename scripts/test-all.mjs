#!/usr/bin/env node
// The test gate: every stage runs in order (browser tests need the build), each gets one summary line, and the
// last line is "N passed, N failed" over the stages. Exit status is 0 only when nothing failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `node_modules/.bin/${name}`;
// A private build: others working in the same checkout may rebuild dist/ while the browser tests run.
const distDir = mkdtempSync(join(tmpdir(), 'punchline-gate-dist-'));
const vitest = ['node', '--import', './scripts/node-polyfills.mjs', 'node_modules/vitest/vitest.mjs', 'run'];

function pythonTestsSkipReason() {
  const probe = spawnSync('python3', ['-c', 'import pytest, torch'], { cwd: root, stdio: 'ignore' });
  if (probe.error) return 'python3 is not installed';
  return probe.status === 0 ? null : 'python3 lacks pytest or torch (.ci/run installs them)';
}

const stages = [
  { name: 'prettier', command: [bin('prettier'), '--check', '--log-level', 'warn', '.'] },
  { name: 'eslint', command: [bin('eslint'), '--max-warnings', '0', '.'] },
  { name: 'tsc', command: [bin('tsc'), '--noEmit', '-p', 'tsconfig.json'] },
  { name: 'unit tests', command: vitest },
  {
    name: 'build',
    command: [bin('vite'), 'build', '--logLevel', 'warn', '--outDir', distDir, '--emptyOutDir'],
  },
  {
    name: 'browser tests',
    command: [...vitest, '--config', 'tests/browser/vitest.config.ts'],
    needs: 'build',
  },
  {
    name: 'python tests',
    command: ['python3', '-m', 'pytest', 'tests/python', '-q'],
    // pytest exits 5 when it collects no tests: nothing to fail yet.
    okCodes: [0, 5],
    skipReason: pythonTestsSkipReason,
  },
];

const results = [];
for (const stage of stages) {
  const blocked = stage.needs && results.find((r) => r.name === stage.needs && r.status !== 'passed');
  const skip = stage.skipReason?.();
  if (blocked) {
    results.push({ name: stage.name, status: 'failed', seconds: 0, note: `not run: ${stage.needs} failed` });
    continue;
  }
  if (skip) {
    results.push({ name: stage.name, status: 'skipped', seconds: 0, note: skip });
    continue;
  }
  console.log(`\n=== ${stage.name}: ${stage.command.join(' ')}`);
  const started = Date.now();
  const [command, ...args] = stage.command;
  const run = spawnSync(command, args, {
    env: { ...process.env, PUNCHLINE_DIST_DIR: distDir },
    cwd: root,
    stdio: 'inherit',
  });
  const seconds = (Date.now() - started) / 1000;
  const ok = !run.error && (stage.okCodes ?? [0]).includes(run.status ?? -1);
  const note = run.error
    ? run.error.message
    : run.status === 5 && ok
      ? 'no tests collected'
      : `exit ${run.status}`;
  results.push({ name: stage.name, status: ok ? 'passed' : 'failed', seconds, note });
}

rmSync(distDir, { recursive: true, force: true });

console.log('\n=== summary');
for (const r of results) {
  const label = r.status.toUpperCase().padEnd(7);
  console.log(`${label} ${r.name.padEnd(14)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.note}`);
}
const passed = results.filter((r) => r.status === 'passed').length;
const failed = results.filter((r) => r.status === 'failed').length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
