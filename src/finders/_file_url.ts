/**
 * Between local paths and `file:` URLs, as `node:url`'s `fileURLToPath` and
 * `pathToFileURL` go.
 * Written here because importing any `node:` module starts Deno's Node
 * compatibility layer, which costs a process about 20 ms: more than the rest
 * of the library's modules together (see docs/performance.md). The indexer
 * and the command line, off the default path, use `node:url` itself.
 *
 * @module
 */

/**
 * A `file:` href whose path is its text: printable ASCII without `%`, `?`,
 * `#`, backslash or space, and no empty, `.` or `..` segment.
 */
const PLAIN_HREF =
  /^file:\/\/(?:\/(?!\.\.?(?:\/|$))[^\0-\x20\x7f-\uffff/%?#\\]+)+\/?$/;

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
  // The href of a local folder or file without escapes, query or fragment
  // (every package root of a plain layout): its path as written, without
  // parsing a URL for each of thousands of packages.
  if (typeof url === "string" && !windows && PLAIN_HREF.test(url)) {
    return url.slice(7);
  }
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

/**
 * The `file:` URL of a path, as `node:url`'s `pathToFileURL` gives it: every
 * character of the path is part of a file name (`#`, `?`, `%`, a space, a
 * tab, a backslash on POSIX), never URL syntax. A relative path is taken
 * from the working directory.
 *
 * @param path The path.
 * @param windows Whether it is a Windows path (drive letter or UNC host).
 * @returns The URL.
 */
export function toFileUrl(
  path: string,
  windows: boolean = Deno.build.os === "windows",
): URL {
  // Most paths need no escaping: parsed at once (workspace members, package
  // folders), the same URL the general case below builds.
  if (!windows && PLAIN_PATH.test(path)) return new URL(`file://${path}`);
  const url = new URL("file:///");
  if (!windows) {
    const absolute = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
    url.pathname = encodePathChars(normalize(absolute, path), true);
    return url;
  }
  const slashed =
    (/^([a-zA-Z]:)?[\\/]/.test(path) ? path : `${Deno.cwd()}\\${path}`)
      .replaceAll("\\", "/");
  if (slashed.startsWith("//")) {
    const [host = "", share = "", ...rest] = slashed.slice(2).split("/");
    url.hostname = host;
    url.pathname = encodePathChars(
      `/${share}${normalize(`/${rest.join("/")}`, path)}`,
      false,
    );
  } else {
    const drive = /^[a-zA-Z]:/.test(slashed) ? slashed.slice(0, 2) : "";
    url.pathname = encodePathChars(
      `/${drive}${normalize(slashed.slice(drive.length), path)}`,
      false,
    );
  }
  return url;
}

/**
 * An absolute POSIX path of non-empty segments other than `.` and `..`, made
 * of characters that a URL path keeps as they are.
 */
const PLAIN_PATH = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9._-]+)+\/?$/;

/**
 * An absolute `/`-separated path without empty, `.` and `..` segments, as
 * `path.resolve` gives it, with a final `/` when `given` ended with one.
 */
function normalize(absolute: string, given: string): string {
  const segments: string[] = [];
  for (const segment of absolute.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = /[\\/]$/.test(given) && segments.length > 0 ? "/" : "";
  return `/${segments.join("/")}${trailing}`;
}

/**
 * Escapes what the `pathname` setter would read as URL syntax or drop:
 * `%`, tab, newline and carriage return, and on POSIX the backslash.
 */
function encodePathChars(path: string, posix: boolean): string {
  let encoded = path.replaceAll("%", "%25");
  if (posix) encoded = encoded.replaceAll("\\", "%5C");
  return encoded.replaceAll("\t", "%09").replaceAll("\n", "%0A")
    .replaceAll("\r", "%0D");
}
