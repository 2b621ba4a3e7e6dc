/**
 * The rule that keeps an index inside its package, decided on the specifier
 * that will be imported (after URL parsing, which drops tabs and newlines
 * and resolves `..`), never on the raw text of the index.
 *
 * @module
 */

/**
 * Whether a module specifier stays inside a package root.
 *
 * - A folder root (`file:`, `http:`, `https:`, ending in `/`): the specifier
 *   is the root and one or more segments.
 * - A `jsr:` or `npm:` root (`jsr:@scope/name@^1`): the specifier is the
 *   root, or the root, `/` and one or more segments without `%` (Deno's npm
 *   resolution joins them onto the package's folder).
 *
 * A segment is never empty, `.` or `..`, also once its escapes are decoded,
 * and holds no `\` or NUL.
 *
 * A specifier that is not well-formed Unicode (a lone surrogate) is
 * outside: URL parsing would replace it.
 *
 * A specifier that URL parsing would change (a tab, a newline, a leading
 * space, an escape it normalises; only the percent-encoding of letters
 * beyond ASCII is allowed) is outside: what is checked must be what is
 * imported.
 *
 * @param root The package root as discovery established it.
 * @param specifier The specifier an index entry gives.
 * @returns Whether importing it stays in the package.
 */
export function isInsideRoot(root: string, specifier: string): boolean {
  // A lone surrogate has no URL form: parsing would put U+FFFD in its place
  // (another file), and `encodeURIComponent` below would throw.
  if (!specifier.isWellFormed() || !root.isWellFormed()) return false;
  let url: URL;
  try {
    url = new URL(specifier);
  } catch {
    return false;
  }
  // Parsing may only percent-encode letters beyond ASCII; an empty query or
  // fragment (`x.ts?`) does not show in `search` and is refused here too.
  if (url.href !== encodeNonAscii(specifier) || /[?#]/.test(specifier)) {
    return false;
  }
  const folder = root.endsWith("/");
  if (folder ? !/^(file|https?):/.test(root) : !/^(jsr|npm):/.test(root)) {
    return false;
  }
  if (!folder && specifier === root) return true;
  const base = folder ? root : `${root}/`;
  if (!specifier.startsWith(base) || specifier.length === base.length) {
    return false;
  }
  return specifier.slice(base.length).split("/").every((segment) =>
    isPlainSegment(segment, folder)
  );
}

/**
 * A path segment that names a child: not empty, `.` or `..`, also once its
 * escapes are decoded (a folder URL may hold them, `%23` for `#`; jsr: and
 * npm: paths may not), and decoding adds no separator.
 */
function isPlainSegment(segment: string, escapes: boolean): boolean {
  if (!escapes && segment.includes("%")) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return false; // a malformed escape
  }
  return decoded !== "" && decoded !== "." && decoded !== ".." &&
    !/[/\\\0]/.test(decoded);
}

function encodeNonAscii(text: string): string {
  return text.replace(/[^\p{ASCII}]+/gu, (run) => encodeURIComponent(run));
}
