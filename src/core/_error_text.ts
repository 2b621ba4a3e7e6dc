/**
 * The text of a failure, fit to embed in a one-line message, and text fit
 * to write to a terminal.
 *
 * @module
 */

/** ANSI escape sequences: colours (`ESC [ ... m`) and other CSI codes. */
// deno-lint-ignore no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;

/** What stands for a value that cannot be turned into text. */
export const UNPRINTABLE = "<an unprintable value>";

/**
 * The message of an error without the ANSI colour codes Deno puts into some
 * messages even when its output is piped (`\u001b[36mhint:`), on one line:
 * lines trimmed, empty and repeated lines (the same stack fragment twice)
 * dropped, the rest joined with a space, and a final period dropped (Deno
 * ends `Module not found "...".` with one), since the text is embedded in a
 * message that goes on (`...: Module not found "x"; the module does not
 * exist`).
 *
 * It never throws, whatever was thrown: an object without a prototype, an
 * `Error` whose `message` getter throws, a `Proxy` whose traps throw, a
 * `Symbol.toPrimitive` that throws all become {@linkcode UNPRINTABLE}.
 *
 * @param error The failure.
 * @returns Its plain text.
 */
export function errorText(error: unknown): string {
  const lines: string[] = [];
  for (const line of rawText(error).replace(ANSI, "").split("\n")) {
    const trimmed = line.trim();
    if (trimmed !== "" && !lines.includes(trimmed)) lines.push(trimmed);
  }
  // Only a sentence's period: `--allow-read=.` keeps its dot. Deno's
  // `Module not found "x".` followed by its ` at file:...` loses it too.
  return lines.join(" ").replace(/([\w"')\]])\.$/, "$1")
    .replaceAll('". at ', '" at ');
}

/** An error's message, or the value as a string; never throws. */
function rawText(error: unknown): string {
  try {
    const text = isError(error) ? error.message : String(error);
    // A message that is not a string (set by hand) is turned into one.
    return typeof text === "string" ? text : String(text);
  } catch {
    return UNPRINTABLE;
  }
}

/**
 * Whether a value is an `Error`, answered without throwing (a `Proxy` whose
 * `getPrototypeOf` trap throws is not one).
 *
 * @param value The value.
 * @returns Whether `value instanceof Error`.
 */
export function isError(value: unknown): value is Error {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

/**
 * What a terminal could act on or reorder instead of showing: control
 * characters (C0 with every line break, DEL, C1 with NEL: a lone ESC or CSI
 * starts an escape sequence), the line and paragraph separators, format
 * characters (bidirectional marks, embeddings, overrides and isolates,
 * U+061C, zero-width and invisible characters, tags) and lone surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/**
 * Text fit to write to a terminal as (part of) one line: every character in
 * {@linkcode UNSAFE}, the newline too, shown as its escape (`\u000a`,
 * `\u001b`, `\u202e`) instead of acting on the terminal, so a value can
 * neither start a line that looks like another row nor reorder or hide what
 * follows it. The escape is the one JSON and JavaScript strings use, so a
 * line of `--json` output stays valid JSON. Names, descriptions, versions
 * and paths from indexes and folders are not trusted to be printable: every
 * line the command line and the library's `plux:` reports print goes
 * through here. Text that is already escaped is left as it is.
 *
 * @param text The text.
 * @returns The text with those characters escaped.
 */
export function terminalText(text: string): string {
  return text.replace(
    UNSAFE,
    (char) =>
      `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}${
        char.length === 2
          ? `\\u${char.charCodeAt(1).toString(16).padStart(4, "0")}`
          : ""
      }`,
  );
}
