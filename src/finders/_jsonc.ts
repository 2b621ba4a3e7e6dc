/**
 * Parsing of `deno.json`/`deno.jsonc` text, shared by discovery, plugin
 * directories and the indexer.
 *
 * @module
 */

import type { ParseError } from "npm:jsonc-parser@^3.3.1";

/**
 * Parses JSON with comments and trailing commas, as Deno reads its configs.
 * Plain JSON is parsed with `JSON.parse`; `jsonc-parser` (an npm package,
 * whose first import starts Deno's npm support and costs a process ~40 ms) is
 * imported only for text that needs it.
 *
 * @param text The file's text.
 * @param file The file's path, for messages.
 * @returns The top-level object.
 * @throws {SyntaxError} Naming the file, line and column of the first error,
 * or saying that the file does not hold an object.
 */
export async function parseJsonc(
  text: string,
  file: string,
): Promise<Record<string, unknown>> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const { parse, printParseErrorCode } = await import(
      "npm:jsonc-parser@^3.3.1"
    );
    const errors: ParseError[] = [];
    data = parse(text, errors, { allowTrailingComma: true });
    const first = errors[0];
    if (first !== undefined) {
      const before = text.slice(0, first.offset).split("\n");
      throw new SyntaxError(
        `${file}:${before.length}:${before.at(-1)!.length + 1}: ` +
          `${words(printParseErrorCode(first.error))}; ` +
          "fix the JSON(C) syntax there",
      );
    }
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new SyntaxError(`${file} must hold a JSON object; fix the file`);
  }
  return data as Record<string, unknown>;
}

/** `PropertyNameExpected` → `property name expected`. */
function words(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}
