import { GgufError } from './errors.ts';

/** Largest string the reader accepts (chat templates and token texts are far smaller). */
export const MAX_STRING_BYTES = 16 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A bounds-checked little-endian reader over the bytes of a GGUF header. Every read names the field it
 * is reading, so a truncated or hostile file fails with a GgufError that says where.
 */
export class GgufCursor {
  private readonly view: DataView;
  offset = 0;

  /** `fileSize` is the size of the whole file when `bytes` holds only its start. */
  constructor(
    private readonly bytes: Uint8Array,
    readonly label: string,
    private readonly fileSize = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes left in the whole file: what counts and lengths are bounded by. */
  get remaining(): number {
    return this.fileSize - this.offset;
  }

  /** Bytes left in the given prefix: what can actually be read. */
  private get available(): number {
    return this.bytes.length - this.offset;
  }

  fail(field: string | null, problem: string): never {
    throw new GgufError(this.label, field, problem);
  }

  private need(count: number, field: string): number {
    if (count > this.available) {
      const where = `needs ${count} bytes at offset ${this.offset} but only ${this.available} remain`;
      this.fail(
        field,
        this.bytes.length < this.fileSize
          ? `${where} in the first ${this.bytes.length} bytes given; pass a longer prefix of the file`
          : `${where} (truncated file?)`,
      );
    }
    const at = this.offset;
    this.offset += count;
    return at;
  }

  u8(field: string): number {
    return this.view.getUint8(this.need(1, field));
  }
  i8(field: string): number {
    return this.view.getInt8(this.need(1, field));
  }
  u16(field: string): number {
    return this.view.getUint16(this.need(2, field), true);
  }
  i16(field: string): number {
    return this.view.getInt16(this.need(2, field), true);
  }
  u32(field: string): number {
    return this.view.getUint32(this.need(4, field), true);
  }
  i32(field: string): number {
    return this.view.getInt32(this.need(4, field), true);
  }
  f32(field: string): number {
    return this.view.getFloat32(this.need(4, field), true);
  }
  f64(field: string): number {
    return this.view.getFloat64(this.need(8, field), true);
  }
  u64(field: string): bigint {
    return this.view.getBigUint64(this.need(8, field), true);
  }
  i64(field: string): bigint {
    return this.view.getBigInt64(this.need(8, field), true);
  }

  /** A uint64 that must be a count or offset no larger than `max`. */
  u64Bounded(field: string, max: number, what: string): number {
    const value = this.u64(field);
    if (value > BigInt(max)) this.fail(field, `${what} ${value} exceeds the limit ${max} for this file`);
    return Number(value);
  }

  string(field: string): string {
    const length = this.u64Bounded(field, Math.min(MAX_STRING_BYTES, this.remaining), 'string length');
    const at = this.need(length, field);
    try {
      return utf8.decode(this.bytes.subarray(at, at + length));
    } catch {
      return this.fail(field, `string at offset ${at} is not valid UTF-8`);
    }
  }
}
