import { GgufError } from './errors.ts';
import { isGgufArray, type GgufMetadataEntry, type GgufValue } from './metadata.ts';

/** A parsed GGUF file, or anything else that carries its metadata and a label for errors. */
export interface MetadataSource {
  metadata: ReadonlyMap<string, GgufMetadataEntry>;
  label: string;
}

function entry(src: MetadataSource, key: string): GgufValue | undefined {
  return src.metadata.get(key)?.value;
}

function describe(value: GgufValue): string {
  if (isGgufArray(value)) return `an array of ${value.items.length} ${value.itemType}`;
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

export function optionalString(src: MetadataSource, key: string): string | undefined {
  const value = entry(src, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new GgufError(src.label, key, `must be a string, got ${describe(value)}`);
  return value;
}

export function requiredString(src: MetadataSource, key: string): string {
  const value = optionalString(src, key);
  if (value === undefined) throw new GgufError(src.label, key, 'required metadata key is missing');
  return value;
}

export function optionalNumber(src: MetadataSource, key: string): number | undefined {
  const value = entry(src, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new GgufError(src.label, key, `must be a finite number, got ${describe(value)}`);
  }
  return value;
}

export function optionalPositiveInt(src: MetadataSource, key: string): number | undefined {
  const value = optionalNumber(src, key);
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value <= 0) {
    throw new GgufError(src.label, key, `must be a positive integer, got ${value}`);
  }
  return value;
}

export function requiredPositiveInt(src: MetadataSource, key: string): number {
  const value = optionalPositiveInt(src, key);
  if (value === undefined) throw new GgufError(src.label, key, 'required metadata key is missing');
  return value;
}

export function optionalBool(src: MetadataSource, key: string): boolean | undefined {
  const value = entry(src, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean')
    throw new GgufError(src.label, key, `must be a bool, got ${describe(value)}`);
  return value;
}

export function stringArray(src: MetadataSource, key: string): string[] {
  const value = entry(src, key);
  if (value === undefined) throw new GgufError(src.label, key, 'required metadata key is missing');
  if (!isGgufArray(value) || value.itemType !== 'STRING') {
    throw new GgufError(src.label, key, `must be an array of strings, got ${describe(value)}`);
  }
  return value.items as string[];
}

export function optionalIntArray(src: MetadataSource, key: string): number[] | undefined {
  const value = entry(src, key);
  if (value === undefined) return undefined;
  if (!isGgufArray(value) || value.items.some((v) => typeof v !== 'number' || !Number.isInteger(v))) {
    throw new GgufError(src.label, key, `must be an array of integers, got ${describe(value)}`);
  }
  return value.items as number[];
}

/** The shortest decimal that reads back as the same float32 (GGUF stores 1e-5 as 9.99999974e-06). */
export function shortestFloat32(value: number): number {
  const target = Math.fround(value);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number.parseFloat(target.toPrecision(digits));
    if (Math.fround(candidate) === target) return candidate;
  }
  return target;
}
