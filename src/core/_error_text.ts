/**
 * The text of a failure, fit to embed in a one-line message, and text fit
 * to write to a terminal.
 *
 * @module
 */

/** ANSI escape sequences: colours (`ESC [ ... m`) and other CSI codes. */
// deno-lint-ignore no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;

/**
 * The message of an error without the ANSI colour codes Deno puts into some
 * messages even when its output is piped (`\u001b[36mhint:`), on one line:
 * lines trimmed, empty and repeated lines (the same stack fragment twice)
 * dropped, the rest joined with a space, and a final period dropped (Deno
 * ends `Module not found "...".` with one), since the text is embedded in a
 * message that goes on (`...: Module not found "x"; the module does not
 * exist`).
 *
 * @param error The failure.
 * @returns Its plain text.
 */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines: string[] = [];
  for (const line of text.replace(ANSI, "").split("\n")) {
    const trimmed = line.trim();
    if (trimmed !== "" && !lines.includes(trimmed)) lines.push(trimmed);
  }
  // Only a sentence's period: `--allow-read=.` keeps its dot. Deno's
  // `Module not found "x".` followed by its ` at file:...` loses it too.
  return lines.join(" ").replace(/([\w"')\]])\.$/, "$1")
    .replaceAll('". at ', '" at ');
}

/**
 * Control characters (C0 but the newline, DEL, C1: a lone ESC or CSI starts
 * a terminal escape sequence) and the bidirectional overrides and isolates
 * that reorder what a terminal shows.
 */
const UNSAFE = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text fit to write to a terminal: every control character but the newline,
 * and every bidirectional override, shown as its escape (`\u001b`,
 * `\u202e`) instead of acting on the terminal. The escape is the one JSON
 * and JavaScript strings use, so `--json` output stays valid JSON. Names,
 * descriptions and paths from indexes and folders are not trusted to be
 * printable.
 *
 * @param text The text.
 * @returns The text with those characters escaped.
 */
export function terminalText(text: string): string {
  return text.replace(
    UNSAFE,
    (char) =>
      char === "\n"
        ? char
        : `\\u${char.codePointAt(0)!.toString(16).padStart(4, "0")}`,
  );
}
