/**
 * The text of a failure, fit to embed in a one-line message.
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
 * dropped, the rest joined with a space.
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
  return lines.join(" ");
}
