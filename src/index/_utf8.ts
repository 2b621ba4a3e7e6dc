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
 * @param fix What to do, appended to the message.
 * @returns The text.
 * @throws {SyntaxError} When the bytes are not UTF-8: `<file> is not valid
 * UTF-8 text[: <fix>]`.
 */
export function decodeUtf8(
  bytes: Uint8Array,
  file: string,
  fix?: string,
): string {
  try {
    return DECODER.decode(bytes);
  } catch {
    throw new SyntaxError(
      `${file} is not valid UTF-8 text${fix === undefined ? "" : `: ${fix}`}`,
    );
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

/**
 * Reads a text file as UTF-8 the fast way (Deno decodes it natively), and
 * only when the text holds U+FFFD (where bad bytes would have been
 * replaced) decodes the bytes again strictly, to tell bad bytes from a
 * genuine U+FFFD. A leading byte order mark is dropped.
 *
 * @param path The file.
 * @param file The file, for the message.
 * @param fix What to do, appended to the message.
 * @returns The text.
 * @throws {SyntaxError} When the bytes are not UTF-8.
 * @throws What `Deno.readTextFileSync` throws (not found, no permission).
 */
export function readUtf8FileSync(
  path: string | URL,
  file: string,
  fix?: string,
): string {
  const text = Deno.readTextFileSync(path);
  return text.includes("\ufffd")
    ? decodeUtf8(Deno.readFileSync(path), file, fix)
    : withoutBom(text);
}

/**
 * {@linkcode readUtf8FileSync}, asynchronously.
 *
 * @param path The file.
 * @param file The file, for the message.
 * @returns The text.
 * @throws {SyntaxError} When the bytes are not UTF-8.
 * @throws What `Deno.readTextFile` throws (not found, no permission).
 */
export async function readUtf8File(
  path: string | URL,
  file: string,
): Promise<string> {
  const text = await Deno.readTextFile(path);
  return text.includes("\ufffd")
    ? decodeUtf8(await Deno.readFile(path), file)
    : withoutBom(text);
}

/**
 * Checks JSON that Deno's JSON import decoded (which puts U+FFFD in place of
 * bytes that are not UTF-8 instead of failing), as a local file is checked.
 *
 * @param data The imported JSON.
 * @param file Where it was imported from, for the message.
 * @param fix What to do, appended to the message.
 * @throws {SyntaxError} When it holds U+FFFD.
 */
export function checkImportedText(
  data: unknown,
  file: string,
  fix: string,
): void {
  if (holdsReplacementCharacter(data)) {
    throw new SyntaxError(
      `${file} is not valid UTF-8 text (it holds U+FFFD, which Deno puts in ` +
        `place of bytes that are not UTF-8): ${fix}`,
    );
  }
}
