/** A malformed or unsupported safetensors file: names the file, the tensor (when one is at fault) and the problem. */
export class SafetensorsError extends Error {
  readonly file: string;
  readonly tensor: string | null;

  constructor(file: string, tensor: string | null, problem: string) {
    super(`${file}: ${tensor === null ? '' : `tensor "${tensor}": `}${problem}`);
    this.name = 'SafetensorsError';
    this.file = file;
    this.tensor = tensor;
  }
}
