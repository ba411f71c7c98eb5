import { expect } from 'vitest';
import { GgufError } from '../../../../src/formats/gguf/errors.ts';

/** Runs `fn`, which must throw a GgufError blaming `field` with a message matching `pattern`. */
export function expectGgufError(fn: () => unknown, field: string | null, pattern: RegExp): void {
  let thrown: unknown = null;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(GgufError);
  expect((thrown as GgufError).field).toBe(field);
  expect((thrown as GgufError).message).toMatch(pattern);
}
