export const formatDate = (ms: number): string => new Date(ms).toLocaleString();

export const formatValue = (value: number | string | boolean): string =>
  typeof value === 'number' && !Number.isInteger(value) ? value.toPrecision(4) : String(value);
