/**
 * Parsing of `deno.json`/`deno.jsonc` text, shared by discovery, plugin
 * directories and the indexer.
 *
 * @module
 */

import type { ParseError } from "npm:jsonc-parser@^3.3.1";
import { decodeUtf8, withoutBom } from "../index/_utf8.ts";

/**
 * Parses JSON with comments and trailing commas, as Deno reads its configs.
 * Plain JSON is parsed with `JSON.parse`; `jsonc-parser` (an npm package,
 * whose first import starts Deno's npm support and costs a process ~40 ms) is
 * imported only for text that needs it.
 *
 * A UTF-8 byte order mark at the start is dropped, as Deno drops it; given
 * as bytes, text that is not UTF-8 is an error (Deno refuses such a config
 * too) rather than replacement characters.
 *
 * @param content The file's text, or its bytes.
 * @param file The file's path, for messages.
 * @returns The top-level object.
 * @throws {SyntaxError} Naming the file, line and column of the first error,
 * or saying that the file is not UTF-8 or does not hold an object.
 */
export async function parseJsonc(
  content: string | Uint8Array,
  file: string,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = typeof content === "string"
      ? withoutBom(content)
      : decodeUtf8(content, file);
  } catch (error) {
    throw new SyntaxError(`${(error as Error).message}; save it as UTF-8`);
  }
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
