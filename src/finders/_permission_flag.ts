/**
 * The Deno flag a failed read, import or plugin module needs, taken from
 * the error Deno gave (`Requires env access to "BOOM_OK", run again with the
 * --allow-env flag`), never guessed from what was being done; and how every
 * suggested flag is written ({@linkcode allowFlag}): quoted for the shell
 * when its value needs it.
 *
 * @module
 */

import { fromFileUrl } from "./_file_url.ts";
import { errorText } from "../core/_error_text.ts";

/**
 * A module file: a denied read of one is an import, and the modules it
 * imports in turn are beside it, so its folder is named rather than the
 * file (granting the file alone would only move the failure to the next).
 */
const MODULE = /\.(?:[cm]?[jt]sx?)$/;

/** Deno 2.9's permission sentence: the kind, and what was asked for. */
const REQUIRES = /Requires (\w+) access(?: to "([^"]*)")?/;

/** What a POSIX shell (and `deno task`) reads as one plain word. */
const PLAIN = /^[\w@%+=:,./-]+$/;

/** Path flags, whose values are files or folders. */
const PATH_KINDS = new Set(["read", "write", "ffi"]);

/**
 * How to tell the user to add a flag: gets the flag (with any note on its
 * value) and gives the sentence, such as `run the application with
 * --allow-env=BOOM_OK`.
 */
export type FlagAdvice = (flag: string) => string;

/**
 * A value as one shell word: as it is when it has no character a shell (or
 * `deno task`) would read otherwise, else in single quotes.
 *
 * @param value A path, host or name.
 * @returns For example `/app` or `'/tmp/dir with space'`.
 */
export function shellQuote(value: string): string {
  return PLAIN.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Writes a permission flag the way a user can paste it: `--allow-<kind>`,
 * then `=` and the values joined by commas, quoted with
 * {@linkcode shellQuote} when they need it. Deno splits a flag's value at
 * commas and has no escape for one, so a path with a comma is widened to the
 * nearest folder above it whose path has none.
 *
 * @param kind `read`, `write`, `env`, `net`, `import`, `run`, `ffi`, `sys`.
 * @param values What to allow; none gives the bare flag.
 * @returns For example `--allow-read='/tmp/dir with space'`.
 */
export function allowFlag(
  kind: string,
  values: readonly string[] = [],
): string {
  if (values.length === 0) return `--allow-${kind}`;
  const listed = PATH_KINDS.has(kind) ? values.map(withoutComma) : values;
  return `--allow-${kind}=${shellQuote([...new Set(listed)].join(","))}`;
}

/**
 * The advice of a process that runs an application: `run the application
 * with <flag>`, or, when the process is this library's command line,
 * `` run `plux <command>` with <flag> `` (the command the user ran).
 *
 * @returns The advice.
 */
export function runAdvice(): FlagAdvice {
  const command = cliCommand();
  const who = command === undefined ? "the application" : `\`plux ${command}\``;
  return (flag) => `run ${who} with ${flag}`;
}

/**
 * Names the Deno flag a failure needs, when the failure is a missing
 * permission: `--allow-env=BOOM_OK`, `--allow-net=example.invalid:80`,
 * `--allow-read=/etc/hostname`, `--allow-run=ls`, `--allow-ffi=<lib>`,
 * `--allow-sys=hostname`, `--allow-write=<path>`, `--allow-import=<host>`;
 * the bare flag when Deno names nothing (`Deno.env.toObject()`).
 *
 * A read inside `folder` names `folder`: a local package's modules need its
 * whole folder, not only the file that failed first. A read of a module
 * elsewhere (a library mapped by path) names that module's folder. An import
 * names the host Deno names, plus `jsr.io`, which an explicit list must
 * repeat.
 *
 * @param error The failure.
 * @param folder The package folder (a path, a `file:` URL, or the URL of a
 * remote package) a denied read inside it is widened to, if any.
 * @param advise How to say who needs the flag.
 * @returns A sentence to append to a message (`; run the application with
 * --allow-env=BOOM_OK`), or `""` when the failure is not a missing
 * permission.
 */
export function permissionHint(
  error: unknown,
  folder?: string,
  advise: FlagAdvice = runAdvice(),
): string {
  const flag = flagFor(error, folder);
  return flag === undefined ? "" : `; ${advise(flag)}`;
}

/**
 * The flag (with any note on its value) a failure needs, or `undefined`
 * when it is not a missing permission; see {@linkcode permissionHint}.
 *
 * @param error The failure.
 * @param folder The package folder a denied read inside it is widened to.
 * @returns For example `--allow-read=/app (or a folder that contains it)`.
 */
export function flagFor(error: unknown, folder?: string): string | undefined {
  const match = REQUIRES.exec(errorText(error));
  if (match === null) return undefined;
  const kind = match[1]!;
  const asked = match[2];
  if (kind === "import") {
    const host = asked ??
      (/^https?:/.test(folder ?? "") ? new URL(folder!).host : "<host>");
    const list = host === "jsr.io" ? [host] : [host, "jsr.io"];
    return `${allowFlag("import", list)} and every other host it imports ` +
      "from (a list replaces Deno's default allow-list, which has jsr.io)";
  }
  if (kind === "read") {
    const root = folder === undefined ? undefined : pathOf(folder);
    const path = asked === undefined ? root : trim(asked);
    if (path === undefined) return allowFlag("read");
    const widened = root !== undefined && isWithin(root, path)
      ? root
      : MODULE.test(path)
      ? parentOf(path)
      : path;
    return `${allowFlag("read", [widened])} (or a folder that contains it)`;
  }
  return allowFlag(kind, asked === undefined ? [] : [asked]);
}

/** The command of this library's command line the process runs, if it does. */
function cliCommand(): string | undefined {
  let main: string;
  try {
    main = Deno.mainModule;
  } catch {
    return undefined;
  }
  if (main !== new URL("../../cli.ts", import.meta.url).href) return undefined;
  return Deno.args.find((arg) => !arg.startsWith("-")) ?? "";
}

function pathOf(folder: string): string {
  return trim(folder.startsWith("file:") ? fromFileUrl(folder) : folder);
}

/** Without a trailing separator, except for a root (`/`). */
function trim(path: string): string {
  return path.replace(/(.)[\\/]+$/, "$1");
}

/** The folder holding `path` (absolute); a root is its own. */
function parentOf(path: string): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (cut === -1 || cut === path.length - 1) return path;
  const parent = path.slice(0, cut);
  // `/a.ts` is in `/`, `C:\a.ts` in `C:\`.
  return parent === "" || /^[A-Za-z]:$/.test(parent)
    ? path.slice(0, cut + 1)
    : parent;
}

/** The path, or the nearest folder above it whose path has no comma. */
function withoutComma(path: string): string {
  while (path.includes(",")) {
    const parent = parentOf(path);
    if (parent === path) break;
    path = parent;
  }
  return path;
}

function isWithin(root: string, path: string): boolean {
  return path === root || path.startsWith(`${root}/`) ||
    path.startsWith(`${root}\\`);
}

/**
 * The paths of `paths` the process may not `kind` (read or write), asked
 * with `Deno.permissions.querySync`, which never prompts: a command checks
 * before it touches anything, and names the flag instead.
 *
 * @param kind `read` or `write`.
 * @param paths Absolute paths.
 * @returns Those not granted.
 */
export function ungranted(
  kind: "read" | "write",
  paths: readonly string[],
): string[] {
  return paths.filter((path) =>
    Deno.permissions.querySync({ name: kind, path }).state !== "granted"
  );
}

/**
 * A path as a flag should name it for a command run in `base`: relative
 * when inside it (`plux.json`, `packages/a/plux.json`, `.` for `base`
 * itself), else absolute.
 *
 * @param path An absolute path.
 * @param base The folder the command runs in, if known.
 * @returns The path to put in the flag.
 */
export function flagPath(path: string, base: string | undefined): string {
  if (base === undefined) return path;
  const root = trim(base);
  if (path === root) return ".";
  for (const separator of ["/", "\\"]) {
    if (path.startsWith(root + separator)) {
      return path.slice(root.length + 1);
    }
  }
  return path;
}

/**
 * What a failure says Deno denied: the kind of access and the path, host or
 * name asked for, or `undefined` when it is not a missing permission.
 *
 * @param error The failure.
 * @returns For example `{ kind: "write", target: "/app/deno.json" }`.
 */
export function deniedAccess(
  error: unknown,
): { kind: string; target?: string } | undefined {
  const match = REQUIRES.exec(errorText(error));
  return match === null ? undefined : { kind: match[1]!, target: match[2] };
}
