/** A malformed, hostile or unsupported GGUF file: names the file, the field or tensor at fault, and the problem. */
export class GgufError extends Error {
  readonly file: string;
  /** The metadata key, tensor name or header field at fault; null when the file as a whole is wrong. */
  readonly field: string | null;

  constructor(file: string, field: string | null, problem: string) {
    super(`${file}: ${field === null ? '' : `${field}: `}${problem}`);
    this.name = 'GgufError';
    this.file = file;
    this.field = field;
  }
}
