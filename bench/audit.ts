/**
 * Audit benchmark: builds 10k and 100k-row English + Chinese datasets from the corpora in
 * ../shared/data, runs the full audit, and prints rows/s, time per check, peak memory and how
 * near-duplicate detection scales with rows.  Run: npx tsx bench/audit.ts [--sizes 10000,100000]
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { nearDuplicateClusters } from '../src/data/audit/checks/near-duplicates.ts';
import { prepareCorpus } from '../src/data/audit/corpus.ts';
import { runAudit, type AuditProgress } from '../src/data/audit/run.ts';
import { mix32 } from '../src/data/audit/text.ts';
import type { DatasetRow } from '../src/data/types.ts';

const DATA = process.env.PUNCHLINE_DATA ?? join(import.meta.dirname, '..', '..', 'shared', 'data');

interface Source {
  file: string;
  kind: 'csv' | 'tsv' | 'lines';
  text: string;
  label: (record: Record<string, string>) => string | null;
}

const SOURCES: Source[] = [
  { file: 'en-colbert-humor/dev.csv.gz', kind: 'csv', text: 'text', label: (r) => r.humor ?? null },
  ...['train', 'dev', 'gold-test-27446'].map((f): Source => ({
    file: `en-hahackathon/${f}.csv.gz`,
    kind: 'csv',
    text: 'text',
    label: (r) => r.is_humor ?? null,
  })),
  ...['funjokes', 'funtweets', 'joke-db', 'onelinefun', 'reddit-cleanjokes', 'thejokecafe'].map(
    (f): Source => ({ file: `en-short-jokes/${f}.csv.gz`, kind: 'csv', text: 'Joke', label: () => '1' }),
  ),
  {
    file: 'en-puns-reddit-humor-detection/puns_pos_neg_data.csv.gz',
    kind: 'csv',
    text: ' text',
    label: (r) => r.label ?? null,
  },
  ...['task1_train', 'task1_test_with_label'].map((f): Source => ({
    file: `zh-ccl2019-humor/${f}.csv.gz`,
    kind: 'csv',
    text: 'joke',
    label: (r) => r.label ?? null,
  })),
  {
    file: 'zh-chinese-humor-sentiment/humor_degree_train.txt.gz',
    kind: 'lines',
    text: '0',
    label: (r) => (r['1'] === '5' ? '1' : '0'),
  },
  ...['dev', 'test'].map((f): Source => ({
    file: `zh-cold-offensive/${f}.csv.gz`,
    kind: 'csv',
    text: 'TEXT',
    label: () => '0',
  })),
  { file: 'zh-ruozhiba/ruozhiba-title-good.txt.gz', kind: 'lines', text: '0', label: () => '1' },
  {
    file: 'zh-tw-humor-multilabeled/JokeHumorLevel.txt.gz',
    kind: 'tsv',
    text: 'Content',
    label: (r) => (Number(r.HumorLevel) >= 3 ? '1' : '0'),
  },
];

function records(source: Source): Record<string, string>[] {
  const text = gunzipSync(readFileSync(join(DATA, source.file)))
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (source.kind === 'lines')
    return text
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const [t, label] = l.split('\t');
        return { '0': t ?? '', '1': label ?? '' };
      });
  const parsed = Papa.parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: true,
    delimiter: source.kind === 'tsv' ? '\t' : ',',
    quoteChar: source.kind === 'tsv' ? '\u0000' : '"',
  });
  return parsed.data;
}

function loadAll(): DatasetRow[] {
  const rows: DatasetRow[] = [];
  for (const source of SOURCES) {
    for (const r of records(source)) {
      const text = r[source.text];
      if (text === undefined) continue;
      rows.push({ id: rows.length, line: rows.length + 2, text, label: source.label(r), extra: {} });
    }
  }
  // Deterministic shuffle so every prefix mixes the sources.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = mix32(i * 2654435761) % (i + 1);
    [rows[i], rows[j]] = [rows[j] as DatasetRow, rows[i] as DatasetRow];
  }
  return rows.map((row, i) => ({ ...row, id: i, line: i + 2 }));
}

/**
 * CPU seconds of the main thread alone (Linux /proc), where all audit code runs; process CPU also
 * counts V8's helper threads. On a busy shared machine this, not wall time, predicts idle wall time.
 */
function mainThreadCpuSeconds(): number | null {
  const path = `/proc/self/task/${process.pid}/stat`;
  if (!existsSync(path)) return null;
  const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // After "pid (comm) ", utime and stime are fields 12 and 13 (0-based), in clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

async function benchAudit(rows: DatasetRow[]): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const cpuByStep = new Map<string, number>();
  let currentStep = '';
  let stepCpu = process.cpuUsage();
  const sample = (progress?: AuditProgress): void => {
    if (progress && progress.step !== currentStep) {
      const used = process.cpuUsage(stepCpu);
      cpuByStep.set(currentStep, (cpuByStep.get(currentStep) ?? 0) + (used.user + used.system) / 1000);
      currentStep = progress.step;
      stepCpu = process.cpuUsage();
    }
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const mainStart = mainThreadCpuSeconds();
  const report = await runAudit(rows, {}, sample);
  sample({ step: 'prepare', fraction: 1 });
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const mainSeconds = mainStart === null ? null : (mainThreadCpuSeconds() ?? 0) - mainStart;
  const han = report.perRow.language.filter((l) => l === 'zh').length;
  console.log(`\n## ${rows.length} rows (${((100 * han) / rows.length).toFixed(0)}% Chinese)`);
  console.log(
    `wall ${wall.toFixed(2)} s (${Math.round(rows.length / wall)} rows/s), process CPU ${cpuSeconds.toFixed(2)} s ` +
      `(${Math.round(rows.length / cpuSeconds)} rows/CPU-s), peak rss ${mb(peakRss)} MiB, peak heapUsed ${mb(peakHeap)} MiB, ` +
      `load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`,
  );
  if (mainSeconds !== null)
    console.log(
      `main (JavaScript) thread CPU ${mainSeconds.toFixed(2)} s, about the wall time on an idle machine: ` +
        `${Math.round(rows.length / mainSeconds)} rows/s`,
    );
  console.log('| step | wall ms | CPU ms | findings | score | summary |\n|---|---:|---:|---:|---:|---|');
  for (const t of report.timings) {
    const check = report.checks.find((c) => c.check === t.check);
    const cpuMs = (cpuByStep.get(t.check) ?? 0).toFixed(0);
    console.log(
      `| ${t.check} | ${t.ms.toFixed(0)} | ${cpuMs} | ${check?.findings.length ?? ''} | ${check?.score ?? ''} | ${check?.summary ?? ''} |`,
    );
  }
}

function benchNearDuplicates(rows: DatasetRow[]): void {
  console.log(
    '\n## Near-duplicate scaling\n| rows | wall ms | CPU ms | CPU µs/row | clusters |\n|---:|---:|---:|---:|---:|',
  );
  for (const n of [12_500, 25_000, 50_000, 100_000].filter((k) => k <= rows.length)) {
    const corpus = prepareCorpus(rows.slice(0, n));
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const clusters = nearDuplicateClusters(corpus);
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(
      `| ${n} | ${ms.toFixed(0)} | ${cpuMs.toFixed(0)} | ${((1000 * cpuMs) / n).toFixed(1)} | ${clusters.length} |`,
    );
  }
}

async function main(): Promise<void> {
  if (!existsSync(DATA)) {
    console.log(
      `bench/audit: corpus folder ${DATA} not found; nothing to benchmark (set PUNCHLINE_DATA to point at it).`,
    );
    return;
  }
  const sizesArg = process.argv.indexOf('--sizes');
  const sizes = sizesArg > 0 ? (process.argv[sizesArg + 1] ?? '').split(',').map(Number) : [10_000, 100_000];
  const loadStart = performance.now();
  const all = loadAll();
  console.log(
    `Loaded ${all.length} rows from ${DATA} in ${((performance.now() - loadStart) / 1000).toFixed(1)} s (not counted below).`,
  );
  for (const n of sizes) await benchAudit(all.slice(0, n));
  benchNearDuplicates(all);
}

await main();
