/**
 * Text of files read from disk, taken the way Deno takes JSON files: a
 * UTF-8 byte order mark at the start is dropped, and bytes that are not
 * UTF-8 are an error rather than replacement characters. Local indexes and
 * configs are read with it, so they are treated as Deno's JSON import treats
 * the indexes of jsr:, npm: and URL packages.
 *
 * @module
 */

/** Fatal on bad bytes; drops a leading byte order mark (`ignoreBOM: false`). */
const DECODER = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes a file's bytes as UTF-8, without a leading byte order mark.
 *
 * @param bytes The file's bytes.
 * @param file The file, for the message.
 * @returns The text.
 * @throws {SyntaxError} When the bytes are not UTF-8: `<file> is not valid
 * UTF-8 text`.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return DECODER.decode(bytes);
  } catch {
    throw new SyntaxError(`${file} is not valid UTF-8 text`);
  }
}

/**
 * The text without a leading byte order mark.
 *
 * @param text The text.
 * @returns The text, from its first character after the mark.
 */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Whether parsed JSON holds U+FFFD (in a key or a string): what Deno's JSON
 * import puts where a file's bytes are not UTF-8. Searched without
 * recursion.
 *
 * @param value The parsed JSON.
 * @returns Whether a replacement character is in it.
 */
export function holdsReplacementCharacter(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "string") {
      if (item.includes("\ufffd")) return true;
    } else if (typeof item === "object" && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes("\ufffd")) return true;
        stack.push(child);
      }
    }
  }
  return false;
}
