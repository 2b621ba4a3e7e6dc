/**
 * The local path of a `file:` URL, as `node:url`'s `fileURLToPath` gives it.
 * Written here because importing any `node:` module starts Deno's Node
 * compatibility layer, which costs a process about 20 ms: more than the rest
 * of the library's modules together (see docs/performance.md). The indexer
 * and the command line, off the default path, use `node:url` itself.
 *
 * @module
 */

/** `%2F`/`%2f` (`/`), and on Windows `%5C`/`%5c` (`\`) too. */
const ENCODED_SLASH = /%2f/i;
const ENCODED_SEPARATOR = /%(2f|5c)/i;

/**
 * The path of a `file:` URL: percent-decoded, with the separators and the
 * drive letter or UNC host of the platform Deno runs on.
 *
 * @param url A `file:` URL.
 * @param windows Whether to give a Windows path.
 * @returns The path.
 * @throws {TypeError} As `fileURLToPath` does: for another scheme, a host
 * on POSIX (other than `localhost`), an encoded separator, or a Windows URL
 * without a drive letter or host.
 */
export function fromFileUrl(
  url: URL | string,
  windows: boolean = Deno.build.os === "windows",
): string {
  const parsed = typeof url === "string" ? new URL(url) : url;
  if (parsed.protocol !== "file:") {
    throw new TypeError(`The URL must be of scheme file: ${parsed.href}`);
  }
  const { hostname, pathname } = parsed;
  if (!windows) {
    if (hostname !== "") {
      throw new TypeError(
        `File URL host must be "localhost" or empty: ${parsed.href}`,
      );
    }
    if (ENCODED_SLASH.test(pathname)) {
      throw new TypeError(
        `File URL path must not include encoded / characters: ${parsed.href}`,
      );
    }
    return decodeURIComponent(pathname);
  }
  if (ENCODED_SEPARATOR.test(pathname)) {
    throw new TypeError(
      `File URL path must not include encoded \\ or / characters: ${parsed.href}`,
    );
  }
  const path = decodeURIComponent(pathname.replaceAll("/", "\\"));
  if (hostname !== "") return `\\\\${hostname}${path}`;
  if (!/^\\[a-zA-Z]:/.test(path)) {
    throw new TypeError(`File URL path must be absolute: ${parsed.href}`);
  }
  return path.slice(1);
}
