/**
 * Small checks on plain values, shared by the index reader, the finders and
 * the indexer.
 *
 * @module
 */

/**
 * Whether a parsed JSON value is an object (not `null`, not an array).
 *
 * @param value The value.
 * @returns Whether it can be read as a record.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Orders strings by UTF-16 code units, the same on every machine and locale.
 *
 * @param a A string.
 * @param b Another string.
 * @returns Negative, zero or positive, for `Array.prototype.sort`.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
