/** An error as it crosses the worker boundary: plain data, never a stringified object. */
export interface SerializedError {
  name: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Every error the client hands to the UI; `name` says which kind, `message` is meant for people. */
export class WorkerError extends Error {
  readonly details: Record<string, unknown>;

  constructor(name: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = name;
    this.details = details;
  }
}

/** The task stopped because it was cancelled; the UI usually shows nothing for it. */
export class CancelledError extends WorkerError {
  constructor(message = 'Cancelled.') {
    super('CancelledError', message);
  }
}

/** The browser had no room for a write; nothing from that write was kept. */
export class QuotaError extends WorkerError {}

/** The worker itself failed (a crash or a script that did not load), so no request can complete. */
export class WorkerCrashedError extends WorkerError {}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const details = (error as Error & { details?: unknown }).details;
    const plain = details && typeof details === 'object' ? jsonSafe(details) : undefined;
    const name = error.name === 'AbortError' ? 'CancelledError' : error.name;
    return plain ? { name, message: error.message, details: plain } : { name, message: error.message };
  }
  return {
    name: 'Error',
    message: typeof error === 'string' ? error : 'The worker failed with a non-Error value.',
  };
}

export function rebuildError(error: SerializedError): WorkerError {
  switch (error.name) {
    case 'CancelledError':
      return new CancelledError(error.message);
    case 'StorageQuotaError':
      return new QuotaError(error.name, error.message, error.details);
    default:
      return new WorkerError(error.name, error.message, error.details);
  }
}

function jsonSafe(value: object): Record<string, unknown> | undefined {
  try {
    return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
