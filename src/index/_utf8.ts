/**
 * Text of files read from disk: only a regular file is opened (a FIFO
 * would block the process), a UTF-8 byte order mark at the start is
 * dropped, as Deno's JSON import drops it, and bytes that are not UTF-8 are
 * an error rather than replacement characters. Every file discovery reads
 * (indexes, configs, import maps, the known-good set) is read with it.
 *
 * The indexes of jsr:, npm: and URL packages are JSON imports: Deno decodes
 * them, dropping a byte order mark and putting U+FFFD in place of bytes
 * that are not UTF-8, and the library never sees their bytes, so it takes
 * their text as Deno decoded it (a U+FFFD in it is read as written).
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
 * A path that is not a regular file: a FIFO, a socket, a device or a
 * folder. Reading one could block forever (a FIFO without a writer stops
 * the whole process: Deno's synchronous reads block the event loop), so it
 * is never opened. The reader says what the path is; whoever knows what
 * the file is for adds the fix (`withFix`).
 */
export class NotAFileError extends Error {
  /** The file, as the message names it. */
  readonly file: string;
  /** What the path is instead, for example `a FIFO (named pipe)`. */
  readonly kind: string;

  /**
   * @param file The file, for the message.
   * @param kind What it is instead.
   * @param fix What to do, appended to the message.
   */
  constructor(file: string, kind: string, fix?: string) {
    super(
      `${file} is not a file: it is ${kind}, which is never opened` +
        (fix === undefined ? "" : `; ${fix}`),
    );
    this.name = "NotAFileError";
    this.file = file;
    this.kind = kind;
  }

  /**
   * The same error with the fix for its file.
   *
   * @param fix What to do.
   * @returns A new error whose message ends with the fix.
   */
  withFix(fix: string): NotAFileError {
    return new NotAFileError(this.file, this.kind, fix);
  }
}

/**
 * What a path is when it is not a regular file, or `undefined` when it is.
 *
 * @param info What `Deno.stat` says of it (links followed).
 * @returns For example `a FIFO (named pipe)`.
 */
export function notAFile(info: Deno.FileInfo): string | undefined {
  if (info.isFile) return undefined;
  return info.isDirectory
    ? "a folder"
    : info.isFifo
    ? "a FIFO (named pipe)"
    : info.isSocket
    ? "a socket"
    : info.isCharDevice || info.isBlockDevice
    ? "a device"
    : "a special file";
}

/**
 * Reads a text file as UTF-8 the fast way (Deno decodes it natively), and
 * only when the text holds U+FFFD (where bad bytes would have been
 * replaced) decodes the bytes again strictly, to tell bad bytes from a
 * genuine U+FFFD. A leading byte order mark is dropped. The path is checked
 * first (links followed): only a regular file is opened.
 *
 * @param path The file.
 * @param file The file, for the message.
 * @param fix What to do, appended to the message.
 * @returns The text.
 * @throws {SyntaxError} When the bytes are not UTF-8.
 * @throws {NotAFileError} When the path is a FIFO, a socket, a device or a
 * folder.
 * @throws What `Deno.statSync` and `Deno.readTextFileSync` throw (not found,
 * no permission).
 */
export function readUtf8FileSync(
  path: string | URL,
  file: string,
  fix?: string,
): string {
  const kind = notAFile(Deno.statSync(path));
  if (kind !== undefined) throw new NotAFileError(file, kind);
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
 * @param fix What to do, appended to the message.
 * @returns The text.
 * @throws {SyntaxError} When the bytes are not UTF-8.
 * @throws {NotAFileError} When the path is not a regular file.
 * @throws What `Deno.stat` and `Deno.readTextFile` throw (not found, no
 * permission).
 */
export async function readUtf8File(
  path: string | URL,
  file: string,
  fix?: string,
): Promise<string> {
  const kind = notAFile(await Deno.stat(path));
  if (kind !== undefined) throw new NotAFileError(file, kind);
  const text = await Deno.readTextFile(path);
  return text.includes("\ufffd")
    ? decodeUtf8(await Deno.readFile(path), file, fix)
    : withoutBom(text);
}
