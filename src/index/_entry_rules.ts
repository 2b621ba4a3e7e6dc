/**
 * What a `plux.json` entry may hold: module locations that stay inside the
 * package, package names, and metadata of bounded depth. The rules are on
 * the text; the finders check the resolved URL again (`finders/_confine.ts`).
 *
 * @module
 */

/**
 * Whether a module location of an index entry stays inside its package.
 *
 * @param location A `subpath` or `path` value.
 * @param kind Which of the two it is; only `subpath` may be `"."`.
 * @returns Whether it is a safe package-relative location.
 */
export function isInsidePackage(
  location: unknown,
  kind: "subpath" | "path",
): boolean {
  if (typeof location !== "string") return false;
  if (kind === "subpath" && location === ".") return true;
  // Most locations are plain ASCII (`./src/x.ts`): a regex without `u` says
  // so quickly, and what it accepts the full rule accepts too.
  if (ASCII_INSIDE.test(location)) return true;
  // The `u` regex takes a lone surrogate for a character; URL parsing and
  // `encodeURIComponent` do not (one becomes U+FFFD, the other throws).
  return INSIDE.test(location) && location.isWellFormed();
}

/** {@linkcode INSIDE} for segments of ASCII letters, digits and `._@+~-`. */
const ASCII_INSIDE =
  /^\.\/(?!\.\.?(?:\/|$))[\w.@+~-]+(?:\/(?!\.\.?(?:\/|$))[\w.@+~-]+)*$/;

/**
 * `./` and one or more `/`-separated segments that are neither empty, `.`
 * nor `..`, without backslashes, `?`, `#` or `%` (no escapes, no queries),
 * and without whitespace or control characters: URL parsing drops tabs and
 * newlines, so `"./\t../x"` would become `../x` once resolved.
 */
const INSIDE =
  /^\.\/(?!\.\.?(?:\/|$))[^/\\?#%\s\p{Cc}\p{Cf}]+(?:\/(?!\.\.?(?:\/|$))[^/\\?#%\s\p{Cc}\p{Cf}]+)*$/u;

/** Whitespace and control or format characters, which URL parsing may drop. */
const UNSEEN = /[\s\p{Cc}\p{Cf}]/u;

/**
 * A package name as JSR and npm allow it: `@scope/name` or `name`, lower-case
 * letters, digits, `-`, `.` and `_` (npm's older names may have upper case).
 * Never a URL, a path or a specifier with a version.
 */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/i;

/**
 * Whether a value is a package name as JSR and npm allow it (`@scope/name`
 * or `name`): never a URL, a path, or a name with a version.
 *
 * @param name The value.
 * @returns Whether it is such a name.
 */
export function isPackageName(name: unknown): name is string {
  return typeof name === "string" && name.length <= 214 &&
    PACKAGE_NAME.test(name);
}

/**
 * A version as JSR and npm publish them: semantic versioning's
 * `MAJOR.MINOR.PATCH`, an optional `-pre.release` and `+build`, each part
 * letters, digits and `-` only.
 */
const VERSION =
  /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9a-z-]+(?:\.[0-9a-z-]+)*)?(?:\+[0-9a-z-]+(?:\.[0-9a-z-]+)*)?$/i;

/**
 * Whether a value is a package version (`1.2.3`, `2.0.0-rc.1`,
 * `1.0.0+build.5`): never text with spaces, line breaks or other
 * characters a version does not hold.
 *
 * @param version The value.
 * @returns Whether it is such a version.
 */
export function isVersion(version: unknown): version is string {
  return typeof version === "string" && version.length <= 256 &&
    VERSION.test(version);
}

/**
 * Why a `subpath` or `path` value is refused, or `undefined` when it is fine.
 *
 * @param location The value (`undefined` when absent).
 * @param kind Which of the two it is.
 * @returns The problem, to follow "plugin x " in a message.
 */
export function locationProblem(
  location: unknown,
  kind: "subpath" | "path",
): string | undefined {
  if (location === undefined || isInsidePackage(location, kind)) {
    return undefined;
  }
  return `has ${kind} ${JSON.stringify(location)}, which ${
    typeof location === "string" && !location.isWellFormed()
      ? "is not well-formed Unicode (it holds a lone surrogate, which no " +
        "file name or URL can hold)"
      : typeof location === "string" && UNSEEN.test(location)
      ? "holds whitespace or a control character (URL parsing drops " +
        "some, so the module imported would not be the one named)"
      : "points outside its package"
  } (expected ${
    kind === "subpath" ? '"." or ' : ""
  }"./..." without "." or ".." segments, URLs, %, ?, # or \\)`;
}

/**
 * Whether a value is a non-empty string of well-formed Unicode: what every
 * name of an index (namespace, plugin, export, requirement) must be. A lone
 * surrogate (`"\ud800"`) has no UTF-8 form: it cannot be a file name, a URL
 * or a module export, and `encodeURIComponent` throws on it.
 *
 * @param value The value.
 * @returns Whether it is such a name.
 */
export function isName(value: unknown): value is string {
  return typeof value === "string" && value !== "" && value.isWellFormed();
}

/**
 * A name as a message shows it: as it is when well-formed, else with its
 * lone surrogates written as `\udxxx` (as `JSON.stringify` writes them).
 *
 * @param name The name.
 * @returns The text to show.
 */
export function shownName(name: string): string {
  return name.isWellFormed() ? name : JSON.stringify(name).slice(1, -1);
}

/**
 * How deep metadata may nest. Everything that reads it (`plux list --json`,
 * `plux registry`, `formatIndex`) may then recurse without overflowing the
 * stack, whatever an index holds.
 */
export const MAX_METADATA_DEPTH = 64;

/**
 * Whether objects and arrays nest deeper than {@linkcode MAX_METADATA_DEPTH},
 * found without recursion.
 *
 * @param value The metadata.
 * @returns Whether it is too deep.
 */
export function nestedDeeper(value: unknown): boolean {
  // Most metadata is one object of plain values (a description): answered
  // without the stack, which would allocate for each of thousands of entries.
  if (flat(value)) return false;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (depth > MAX_METADATA_DEPTH) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Whether a value is not an object, or an object none of whose values is. */
function flat(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const child = record[key];
    if (typeof child === "object" && child !== null) return false;
  }
  return true;
}
