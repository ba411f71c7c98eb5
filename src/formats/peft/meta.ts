/** punchline.json: our metadata next to the PEFT files (base model hash, dataset, hyperparameters, metrics). */
import { PeftError } from './errors.ts';
import { PUNCHLINE_META_FILE, type PunchlineMeta } from './types.ts';

type Json = Record<string, unknown>;

function fail(field: string, problem: string): never {
  throw new PeftError(PUNCHLINE_META_FILE, field, problem);
}

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(field, 'must be a JSON object');
  return value as Json;
}

function string(obj: Json, key: string, prefix = ''): string {
  const value = obj[key];
  if (typeof value !== 'string') fail(prefix + key, `must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function strings(obj: Json, key: string): string[] {
  const value = obj[key] ?? [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    fail(key, 'must be a list of strings');
  return value as string[];
}

function record<T>(obj: Json, key: string, check: (v: unknown) => v is T, what: string): Record<string, T> {
  const value = object(obj[key] ?? {}, key);
  for (const [name, v] of Object.entries(value))
    if (!check(v)) fail(`${key}.${name}`, `must be ${what}, got ${JSON.stringify(v)}`);
  return value as Record<string, T>;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isScalar = (v: unknown): v is number | string | boolean =>
  isNumber(v) || typeof v === 'string' || typeof v === 'boolean';

export function parsePunchlineMeta(text: string): PunchlineMeta {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PeftError(PUNCHLINE_META_FILE, null, `not valid JSON (${(error as Error).message})`);
  }
  const obj = object(json, '(top level)');
  if (obj.format !== 'punchline-adapter')
    fail('format', `must be "punchline-adapter", got ${JSON.stringify(obj.format)}`);
  if (obj.version !== 1)
    fail('version', `${JSON.stringify(obj.version)} is not a version this app reads (expected 1)`);
  const base = object(obj.baseModel, 'baseModel');
  let dataset: PunchlineMeta['dataset'] = null;
  if (obj.dataset !== null && obj.dataset !== undefined) {
    const d = object(obj.dataset, 'dataset');
    dataset = {
      version: string(d, 'version', 'dataset.'),
      auditSummary: object(d.auditSummary ?? {}, 'dataset.auditSummary'),
    };
  }
  return {
    format: 'punchline-adapter',
    version: 1,
    name: string(obj, 'name'),
    createdAt: string(obj, 'createdAt'),
    baseModel: {
      name: string(base, 'name', 'baseModel.'),
      contentHash: string(base, 'contentHash', 'baseModel.'),
      arch: string(base, 'arch', 'baseModel.'),
    },
    dataset,
    hyperparameters: record(obj, 'hyperparameters', isScalar, 'a number, string or boolean'),
    metrics: record(obj, 'metrics', isNumber, 'a finite number'),
    labels: strings(obj, 'labels'),
    controlCodes: strings(obj, 'controlCodes'),
  };
}

export function punchlineMetaJson(meta: PunchlineMeta): string {
  return `${JSON.stringify(meta, null, 2)}\n`;
}
