/** Asks the browser not to evict our data under storage pressure. persist() exists only on the page, not in workers. */
export async function requestPersistentStorage(): Promise<boolean | null> {
  const manager = globalThis.navigator?.storage;
  if (!manager?.persist) return null;
  try {
    return await manager.persist();
  } catch {
    return null;
  }
}
