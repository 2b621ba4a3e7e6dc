/**
 * Small checks on plain values, and how one-line messages show them, shared
 * by the declarations, the index reader, the finders, the manager and the
 * indexer.
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

/**
 * A value as a one-line message shows it, without throwing: strings and
 * arrays as JSON (cut after 80 characters), numbers, booleans, bigints and
 * `null` as written, anything else by its kind (`an object`, `a function`).
 *
 * @param value Any value.
 * @returns The text.
 */
export function shownValue(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = quoted(value);
  else if (Array.isArray(value)) {
    try {
      text = quoted(value);
    } catch {
      text = "an array";
    }
  } else if (typeof value === "bigint") text = `${value}n`;
  else if (
    value === null || typeof value === "number" || typeof value === "boolean"
  ) {
    text = String(value);
  } else if (value === undefined) text = "undefined";
  else text = typeof value === "object" ? "an object" : `a ${typeof value}`;
  return text.length <= SHOWN ? text : `${text.slice(0, SHOWN - 3)}...`;
}

/** The longest value a message shows whole. */
const SHOWN = 80;

/**
 * JSON on one line: JSON leaves the line and paragraph separators (and NEL)
 * as they are, which break lines in a terminal; they are escaped.
 *
 * @param value A value JSON can write.
 * @returns The JSON text.
 */
export function quoted(value: unknown): string {
  return (JSON.stringify(value) ?? "undefined").replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The largest delay a timer honours (about 24.8 days). */
const MAX_DELAY = 2_147_483_647;

/**
 * Checks a timeout option: milliseconds from 0 to 2147483647, or `Infinity`
 * for no limit.
 *
 * @param value The option's value.
 * @param where The option, for the message, e.g. `loadAll() option timeout`.
 * @returns The value.
 * @throws {TypeError} When it is not such a number.
 */
export function checkTimeout(value: unknown, where: string): number {
  if (
    typeof value !== "number" ||
    !(value === Infinity || (value >= 0 && value <= MAX_DELAY))
  ) {
    throw new TypeError(
      `${where} must be a number of milliseconds from 0 to ${MAX_DELAY}, ` +
        `or Infinity for no limit; got ${String(value)}`,
    );
  }
  return value;
}
