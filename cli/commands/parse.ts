/** Option parsers: bad values are usage errors (exit 2), reported before any request. */
import { usageError } from '../exit-codes';

export function listOption(value: string): string[] {
  return value.split(/[,\s]+/).filter((s) => s.length > 0);
}

export function intOption(name: string, min = 1, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max)
      throw usageError(`${name} must be an integer from ${min} to ${max} (got ${value})`);
    return n;
  };
}

/** NumericDate seconds, ISO 8601, or `now`; sent as ISO 8601. */
export function timeOption(name: string) {
  return (value: string): string => {
    if (value === 'now') return new Date().toISOString();
    const date = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
    if (Number.isNaN(date.getTime())) throw usageError(`${name} must be NumericDate seconds, ISO 8601 or "now" (got ${value})`);
    return date.toISOString();
  };
}
