/**
 * Ingestion benchmark: reads every corpus in ../shared/data through ingestFile (gzip unpacked by the
 * ingester itself), then builds 10k- and 100k-row CSVs from their rows with our exporter and times
 * ingestFile on them. Prints rows/s and peak memory. Usage: npx tsx bench/ingest.ts [dataDir]
 * (with `node --expose-gc --import tsx bench/ingest.ts` the heap is collected before each run, so
 * "heap over baseline" is what one ingestion holds at its peak).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { encodeUtf8, exportCsv } from '../src/data/export.ts';
import { IngestError, ingestFile, type ColumnMapping, type IngestResult } from '../src/data/ingest/index.ts';
import type { DatasetRow } from '../src/data/types.ts';

const DATA_DIR = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'data');
const SIZES = [10_000, 100_000];

function dataFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? dataFiles(path) : [path];
    })
    .filter((path) => path.endsWith('.gz'))
    .sort();
}

interface Peak {
  rss: number;
  heap: number;
}

function sample(peak: Peak): void {
  const usage = process.memoryUsage();
  peak.rss = Math.max(peak.rss, usage.rss);
  peak.heap = Math.max(peak.heap, usage.heapUsed);
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

async function readCorpora(files: string[]): Promise<DatasetRow[]> {
  const table: Array<Record<string, string | number>> = [];
  const pool: DatasetRow[] = [];
  for (const path of files) {
    const name = relative(DATA_DIR, path);
    try {
      const result: IngestResult = await ingestFile(new Uint8Array(readFileSync(path)), { fileName: name });
      table.push({
        file: name,
        format: result.format,
        encoding: result.encoding.name,
        delimiter: JSON.stringify(result.delimiter),
        text: result.mapping.text,
        label: result.mapping.label ?? '-',
        labels: result.labelScheme.kind,
        rows: result.rows.length,
        flagged: result.counts.flagged,
        rejected: result.counts.rejected,
      });
      for (const row of result.rows) {
        pool.push({ id: 0, line: 0, text: row.text, label: row.label, extra: { source: name } });
      }
    } catch (error) {
      if (!(error instanceof IngestError)) throw error;
      table.push({ file: name, format: `refused: ${error.message.slice(0, 60)}` });
    }
  }
  console.log('Corpora read through ingestFile:');
  console.table(table);
  return pool;
}

/** Runs per size; the median is reported, since this 2-core machine is shared and single runs are noisy. */
const REPEATS = 3;

async function timeIngest(pool: DatasetRow[], size: number): Promise<Record<string, string | number>> {
  const mapping: ColumnMapping = { text: 'text', label: 'label', extra: ['source'] };
  const rows = Array.from({ length: size }, (_, i) => pool[i % pool.length]!);
  const bytes = encodeUtf8(exportCsv(rows, mapping));
  const peak: Peak = { rss: 0, heap: 0 };
  const seconds: number[] = [];
  let progressEvents = 0;
  let rowsOut = 0;
  let rejected = 0;
  let baseline = Infinity;
  for (let run = 0; run < REPEATS; run++) {
    globalThis.gc?.();
    baseline = Math.min(baseline, process.memoryUsage().heapUsed);
    progressEvents = 0;
    const started = performance.now();
    const result = await ingestFile(bytes, { fileName: `bench-${size}.csv` }, () => {
      progressEvents++;
      sample(peak);
    });
    seconds.push((performance.now() - started) / 1000);
    sample(peak);
    rowsOut = result.rows.length;
    rejected = result.counts.rejected;
  }
  const median = [...seconds].sort((x, y) => x - y)[Math.floor(REPEATS / 2)]!;
  return {
    rows: size,
    'MB in': Number(mb(bytes.length)),
    'median s': Number(median.toFixed(2)),
    'best s': Number(Math.min(...seconds).toFixed(2)),
    'rows/s (median)': Math.round(rowsOut / median),
    'progress events': progressEvents,
    'peak RSS MB': Number(mb(peak.rss)),
    'peak heap MB': Number(mb(peak.heap)),
    'heap over baseline MB': Number(mb(peak.heap - baseline)),
    'rows out': rowsOut,
    rejected,
  };
}

async function main(): Promise<void> {
  if (!existsSync(DATA_DIR)) {
    console.log(
      `No corpus folder at ${DATA_DIR}: nothing to benchmark (pass a folder of .gz data files to run).`,
    );
    return;
  }
  const pool = await readCorpora(dataFiles(DATA_DIR));
  if (pool.length === 0) {
    console.log('The corpus folder holds no readable rows: nothing to benchmark.');
    return;
  }
  const results = [];
  for (const size of SIZES) results.push(await timeIngest(pool, size));
  console.log(
    `Ingestion of exporter-written CSV, ${REPEATS} runs each (Node ${process.version}; the RSS and heap include the corpus rows held for building the inputs):`,
  );
  console.table(results);
}

await main();
