import { GgufCursor } from './cursor.ts';
import { GGUF_VALUE_TYPE, type GgufValueTypeName } from './types.ts';

export type GgufScalar = number | bigint | boolean | string;

export interface GgufArray {
  /** Element type of the array. */
  itemType: GgufValueTypeName;
  items: GgufValue[];
}

export type GgufValue = GgufScalar | GgufArray;

export interface GgufMetadataEntry {
  type: GgufValueTypeName;
  value: GgufValue;
}

/** Arrays of arrays are legal GGUF; deeper nesting than this only appears in hostile files. */
const MAX_ARRAY_DEPTH = 3;
/** Far above the largest vocabularies (~260k tokens, ~500k merges); keeps a hostile array from filling memory. */
export const MAX_ARRAY_LENGTH = 1 << 22;

const TYPE_NAMES = new Map<number, GgufValueTypeName>(
  Object.entries(GGUF_VALUE_TYPE).map(([name, id]) => [id, name as GgufValueTypeName]),
);

/** Smallest encoding of one value of each type: bounds an array's length by the bytes left. */
const MIN_BYTES: Record<GgufValueTypeName, number> = {
  UINT8: 1,
  INT8: 1,
  BOOL: 1,
  UINT16: 2,
  INT16: 2,
  UINT32: 4,
  INT32: 4,
  FLOAT32: 4,
  UINT64: 8,
  INT64: 8,
  FLOAT64: 8,
  STRING: 8,
  ARRAY: 12,
};

export function valueTypeName(cursor: GgufCursor, field: string): GgufValueTypeName {
  const id = cursor.u32(field);
  const name = TYPE_NAMES.get(id);
  if (name === undefined) cursor.fail(field, `unknown metadata value type ${id} (expected 0..12)`);
  return name;
}

/** uint64/int64 values stay exact: numbers when they are safe integers, bigints otherwise. */
function exactInteger(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

export function readValue(cursor: GgufCursor, type: GgufValueTypeName, field: string, depth = 0): GgufValue {
  switch (type) {
    case 'UINT8':
      return cursor.u8(field);
    case 'INT8':
      return cursor.i8(field);
    case 'UINT16':
      return cursor.u16(field);
    case 'INT16':
      return cursor.i16(field);
    case 'UINT32':
      return cursor.u32(field);
    case 'INT32':
      return cursor.i32(field);
    case 'FLOAT32':
      return cursor.f32(field);
    case 'FLOAT64':
      return cursor.f64(field);
    case 'UINT64':
      return exactInteger(cursor.u64(field));
    case 'INT64':
      return exactInteger(cursor.i64(field));
    case 'BOOL': {
      const byte = cursor.u8(field);
      if (byte > 1) cursor.fail(field, `bool value must be 0 or 1, got ${byte}`);
      return byte === 1;
    }
    case 'STRING':
      return cursor.string(field);
    case 'ARRAY': {
      if (depth >= MAX_ARRAY_DEPTH) cursor.fail(field, `arrays nested deeper than ${MAX_ARRAY_DEPTH}`);
      const itemType = valueTypeName(cursor, `${field} (array item type)`);
      const length = cursor.u64Bounded(
        `${field} (array length)`,
        Math.min(MAX_ARRAY_LENGTH, Math.floor(cursor.remaining / MIN_BYTES[itemType])),
        'array length',
      );
      // Grown as items are read, so a length the file cannot back fails on reading, not on allocating.
      const items: GgufValue[] = [];
      for (let i = 0; i < length; i++) items.push(readValue(cursor, itemType, `${field}[${i}]`, depth + 1));
      return { itemType, items };
    }
  }
}

export function isGgufArray(value: GgufValue | undefined): value is GgufArray {
  return typeof value === 'object' && value !== null && 'items' in value;
}
