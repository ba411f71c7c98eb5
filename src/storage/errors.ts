/** Raised when the browser refuses a write for lack of space; nothing from the failed write is kept. */
export class StorageQuotaError extends Error {
  override readonly name = 'StorageQuotaError';
  readonly details: { what: string; bytesNeeded: number; usage: number | null; quota: number | null };

  constructor(what: string, bytesNeeded: number, usage: number | null, quota: number | null) {
    const free =
      usage !== null && quota !== null ? `${formatBytes(quota - usage)} free of ${formatBytes(quota)}` : '';
    super(
      `Not enough browser storage to save ${what} (needs ${formatBytes(bytesNeeded)}${free ? `; ${free}` : ''}). ` +
        'Nothing was saved. Delete models, datasets or runs you no longer need, or allow persistent storage, then try again.',
    );
    this.details = { what, bytesNeeded, usage, quota };
  }
}

/** Raised when a stored record is missing or fails its integrity check. */
export class StorageIntegrityError extends Error {
  override readonly name = 'StorageIntegrityError';
  readonly details: Record<string, string | number>;

  constructor(message: string, details: Record<string, string | number>) {
    super(message);
    this.details = details;
  }
}

export function isQuotaExceeded(error: unknown): boolean {
  return error instanceof Error && error.name === 'QuotaExceededError';
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
