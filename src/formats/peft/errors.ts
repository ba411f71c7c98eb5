/** A PEFT adapter that cannot be imported or exported: names the file, the field or tensor at fault, and the problem. */
export class PeftError extends Error {
  readonly file: string;
  readonly field: string | null;

  constructor(file: string, field: string | null, problem: string) {
    super(`${file}: ${field === null ? '' : `${field}: `}${problem}`);
    this.name = 'PeftError';
    this.file = file;
    this.field = field;
  }
}
