/**
 * Reading and writing adapter zips with fflate. Reading is defensive: the entry count and every entry's
 * declared size are bounded before anything is inflated, so a zip bomb fails fast with a clear error.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { PeftError } from './errors.ts';

export interface ZipLimits {
  /** Largest uncompressed size accepted per file name (others are skipped, not inflated). */
  maxBytes: Record<string, number>;
  maxEntries: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
/** Bytes of a central-directory entry with an empty name: bounds how many entries the bytes can hold. */
const MIN_CENTRAL_ENTRY = 46;

function u32(bytes: Uint8Array, at: number): number {
  if (at < 0 || at + 4 > bytes.length) return -1;
  return new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0, true);
}

/** The entry count the end-of-central-directory record claims, checked before fflate walks it. */
function declaredEntryCount(bytes: Uint8Array, label: string): number {
  const stop = Math.max(0, bytes.length - 22 - 65535);
  for (let at = bytes.length - 22; at >= stop; at--) {
    if (u32(bytes, at) !== EOCD_SIGNATURE) continue;
    let count = (bytes[at + 10] ?? 0) | ((bytes[at + 11] ?? 0) << 8);
    if (u32(bytes, at - 20) === ZIP64_LOCATOR_SIGNATURE) {
      const zip64At = u32(bytes, at - 12);
      if (u32(bytes, zip64At) === ZIP64_EOCD_SIGNATURE) count = u32(bytes, zip64At + 32);
    }
    return count;
  }
  throw new PeftError(label, null, 'not a zip archive (no end-of-central-directory record)');
}

/**
 * The entries whose base name is a key of `limits.maxBytes` (at the top level or inside one folder), keyed
 * by base name. Entries that are too large, duplicated or undecodable are reported by name.
 */
export function readAdapterZip(bytes: Uint8Array, label: string, limits: ZipLimits): Map<string, Uint8Array> {
  const count = declaredEntryCount(bytes, label);
  if (count > limits.maxEntries || count * MIN_CENTRAL_ENTRY > bytes.length) {
    throw new PeftError(
      label,
      null,
      `the archive claims ${count} entries; at most ${limits.maxEntries} are accepted`,
    );
  }
  const declared = new Map<string, { path: string; size: number }>();
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (entry) => {
        const parts = entry.name.split('/');
        const base = parts[parts.length - 1] ?? '';
        const cap = Object.hasOwn(limits.maxBytes, base) ? limits.maxBytes[base] : undefined;
        if (cap === undefined || parts.length > 2 || entry.name.endsWith('/')) return false;
        if (entry.originalSize > cap) {
          throw new PeftError(
            label,
            entry.name,
            `uncompressed size ${entry.originalSize} bytes exceeds the ${cap}-byte limit`,
          );
        }
        if (declared.has(base))
          throw new PeftError(
            label,
            entry.name,
            `a second ${base} in the archive (first: ${declared.get(base)?.path})`,
          );
        declared.set(base, { path: entry.name, size: entry.originalSize });
        return true;
      },
    });
  } catch (error) {
    if (error instanceof PeftError) throw error;
    throw new PeftError(label, null, `not a valid zip archive (${(error as Error).message})`);
  }
  const out = new Map<string, Uint8Array>();
  for (const [base, { path, size }] of declared) {
    const content = files[path];
    if (content?.length !== size) {
      throw new PeftError(
        label,
        path,
        `inflates to ${content?.length ?? 0} bytes but the archive declares ${size} (corrupt archive)`,
      );
    }
    out.set(base, content);
  }
  return out;
}

/** A zip of the given files; `stored` names files kept uncompressed (safetensors barely compress). */
export function writeZip(files: Record<string, Uint8Array>, stored: readonly string[] = []): Uint8Array {
  const entries: Zippable = {};
  for (const [name, content] of Object.entries(files)) {
    entries[name] = [content, { level: stored.includes(name) ? 0 : 6 }];
  }
  return zipSync(entries, { mtime: new Date('2026-01-01T00:00:00Z') });
}
