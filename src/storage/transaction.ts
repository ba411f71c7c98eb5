/**
 * Issues writes in a transaction and waits for it to commit. A write that throws while being issued aborts the
 * transaction; any other failure (a QuotaExceededError at commit, a constraint error) arrives once, as the
 * transaction's own error, after everything it wrote has been rolled back.
 */
export async function commitWrites(
  tx: { abort(): void; done: Promise<void> },
  issue: () => Promise<unknown>[],
): Promise<void> {
  let requests: Promise<unknown>[];
  try {
    requests = issue();
  } catch (error) {
    abortQuietly(tx);
    await tx.done.catch(() => undefined);
    throw error;
  }
  // A failed request fails the transaction too, but tx.done may only say "AbortError": keep the request's cause.
  let cause: unknown = null;
  for (const request of requests) {
    request.catch((error: unknown) => {
      if (cause === null && !(error instanceof Error && error.name === 'AbortError')) cause = error;
    });
  }
  try {
    await tx.done;
  } catch (error) {
    throw error instanceof Error && error.name === 'AbortError' && cause !== null ? cause : error;
  }
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted: nothing left to roll back.
  }
}
