/** eos_token_id as config.json and generation_config.json write it: a number, a list of numbers, or absent. */
export function eosIdsFromConfigs(...configs: unknown[]): number[] {
  const ids: number[] = [];
  for (const config of configs) {
    if (typeof config !== 'object' || config === null) continue;
    const value = (config as { eos_token_id?: unknown }).eos_token_id;
    for (const id of Array.isArray(value) ? (value as unknown[]) : [value])
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0 && !ids.includes(id)) ids.push(id);
  }
  return ids;
}
