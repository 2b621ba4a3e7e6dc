/**
 * The known-good set: the plugin package versions that loaded successfully,
 * recorded by an application so that a later run in fail-safe mode can go
 * back to them. The file is JSON:
 *
 * ```json
 * {
 *   "version": 1,
 *   "packages": [{ "name": "@acme/tools", "version": "1.2.0" }]
 * }
 * ```
 *
 * @module
 */

import { loadSemver } from "./requirements.ts";
import { NotAFileError, readUtf8File } from "../../index/_utf8.ts";
import { errorText } from "../../core/_error_text.ts";

/** What to do about a known-good file that cannot be used. */
const RECORD_AGAIN = "delete it and record the known-good set again";

/** One package version of a known-good set. */
export interface KnownGoodPackage {
  /** The package name. */
  readonly name: string;
  /** The version that loaded successfully. */
  readonly version: string;
}

/**
 * Reads a known-good set written by {@linkcode writeKnownGood}.
 *
 * @param file The file's path.
 * @returns The package versions, sorted by name then version.
 * @throws {Deno.errors.NotFound} When the file does not exist.
 * @throws {Deno.errors.NotCapable} When the process may not read it (not
 * tried, so Deno does not prompt).
 * @throws {SyntaxError} When the file is not a known-good set, or not UTF-8
 * text (a byte order mark at the start is fine).
 * @throws {Error} When the path is not a regular file (a FIFO, a folder):
 * never opened.
 * @example
 * ```ts
 * import { readKnownGood, writeKnownGood } from "@plux/core";
 *
 * const file = await Deno.makeTempFile({ prefix: "plux_" });
 * await writeKnownGood(file, [{ name: "@acme/tools", version: "1.2.0" }]);
 * console.log(await readKnownGood(file)); // [{ name: "@acme/tools", version: "1.2.0" }]
 * await Deno.remove(file);
 * ```
 */
export async function readKnownGood(file: string): Promise<KnownGoodPackage[]> {
  // Checked, not tried: a read the process may not do would make Deno prompt.
  if (
    Deno.permissions.querySync({ name: "read", path: file }).state !== "granted"
  ) {
    throw new Deno.errors.NotCapable(
      `Requires read access to "${file}", which was not granted`,
    );
  }
  let text: string;
  try {
    // As indexes are read: a regular file only, a byte order mark dropped,
    // bytes that are not UTF-8 refused.
    text = await readUtf8File(file, file, RECORD_AGAIN);
  } catch (error) {
    if (error instanceof NotAFileError) throw error.withFix(RECORD_AGAIN);
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(
      `${file} is not valid JSON (${errorText(error)}); ` +
        "delete it and record the known-good set again",
    );
  }
  const semver = await loadSemver();
  const packages = (data as { packages?: unknown } | null)?.packages;
  const valid = (data as { version?: unknown } | null)?.version === 1 &&
    Array.isArray(packages) &&
    packages.every((p) =>
      typeof p?.name === "string" && p.name !== "" &&
      typeof p.version === "string" && semver.valid(p.version) !== null
    );
  if (!valid) {
    throw new SyntaxError(
      `${file} is not a known-good set (expected { "version": 1, "packages": ` +
        `[{ "name", "version" }] }); delete it and record the known-good set again`,
    );
  }
  return _sorted(packages as KnownGoodPackage[]);
}

/**
 * Writes a known-good set, replacing the file atomically: the set goes to a
 * temporary file in the same folder, is flushed to disk, and is renamed over
 * the file, so a reader (or a crash) sees the old set or the new one, never
 * part of one. Duplicates are dropped and the packages sorted, so equal sets
 * give equal files.
 *
 * When `file` is a symbolic link (or a chain of them), the set is written
 * through it to the file it leads to, which is replaced the same way in its
 * own folder; the link stays a link. A link that leads nowhere yet makes the
 * file it names.
 *
 * @param file The file's path; the application chooses it and needs read
 * and write permission for its folder (`--allow-read=<folder>
 * --allow-write=<folder>`), where the temporary file is made (for a link,
 * read permission for the link's folder and both for the target's).
 * @param packages The package versions that loaded successfully.
 * @returns Nothing, once the file is written.
 * @throws {TypeError} When `file` is empty, or names a folder by its form
 * (it ends with `/` or `\`, or with a `.` or `..` segment).
 * @throws {Error} When the file is a folder, its links lead in a loop, the
 * folder may not be read and written (no write is tried, so Deno does not
 * prompt) or the write fails: one line naming the file and the fix, with
 * Deno's error as `cause`; the old file is left as it was.
 * @example
 * ```ts
 * import { writeKnownGood } from "@plux/core";
 *
 * const file = await Deno.makeTempFile({ prefix: "plux_" });
 * await writeKnownGood(file, [{ name: "b", version: "1.0.0" }, { name: "a", version: "2.0.0" }]);
 * console.log(JSON.parse(await Deno.readTextFile(file)).packages[0].name); // "a"
 * await Deno.remove(file);
 * ```
 */
export async function writeKnownGood(
  file: string,
  packages: Iterable<KnownGoodPackage>,
): Promise<void> {
  if (typeof file !== "string" || file === "") {
    throw new TypeError(
      `writeKnownGood(): the file is ${
        typeof file === "string" ? "an empty path" : `a ${typeof file}`
      }; give the path of a file, for example "known-good.json"`,
    );
  }
  if (/(?:^|[/\\])\.{0,2}$/.test(file)) {
    const folder = file.replace(/[/\\]+$/, "");
    throw new TypeError(
      `writeKnownGood(): the file ${
        JSON.stringify(file)
      } names a folder, not a file; ` +
        `give the path of a file in it, for example ${
          JSON.stringify(`${folder}/known-good.json`)
        }`,
    );
  }
  const unique = new Map<string, KnownGoodPackage>();
  for (const { name, version } of packages) {
    unique.set(`${name}@${version}`, { name, version });
  }
  const data = { version: 1, packages: _sorted([...unique.values()]) };
  const text = JSON.stringify(data, null, 2) + "\n";
  let folder = _folderOf(file);
  const fail = (why: string, fix: string, cause?: unknown) =>
    new Error(`cannot write the known-good set ${file}: ${why}; ${fix}`, {
      cause,
    });
  const isFolder = (cause?: unknown) =>
    fail(
      "it is a folder",
      `give the path of a file, for example ${file}/known-good.json`,
      cause,
    );
  const explain = async (error: unknown) => {
    if (error instanceof Deno.errors.IsADirectory) return isFolder(error);
    const { allowFlag, runAdvice } = await import("../_permission_flag.ts");
    const fix = error instanceof Deno.errors.NotCapable
      ? runAdvice()(
        `${allowFlag("read", [folder])} ${allowFlag("write", [folder])}`,
      ) +
        " (the set is written to a temporary file there, then renamed over the file)"
      : error instanceof Deno.errors.NotFound
      ? `create the folder ${folder}, or choose a file in an existing one`
      : `make ${folder} and ${file} writable by the user running the application`;
    return fail(errorText(error), fix, error);
  };
  let target: string | undefined;
  let folderThere = false;
  try {
    target = await _throughLinks(file, (path) => folder = _folderOf(path));
    if (target !== undefined) {
      _requireAccess("write", folder);
      folderThere = (await _statOrUndefined(target))?.isDirectory === true;
    }
  } catch (error) {
    throw await explain(error);
  }
  if (target === undefined) {
    throw fail(
      "its symbolic links lead in a loop",
      `point ${file} at a file, or give another path`,
    );
  }
  if (folderThere) throw isFolder();
  try {
    await _replace(target, text);
  } catch (error) {
    throw await explain(error);
  }
}

/**
 * Where the set is written for `file`: the file itself, or where its
 * symbolic links lead (relative links resolved from their own folder);
 * `undefined` when they lead in a loop. Read access to each folder on the
 * way is checked first, so that Deno does not prompt.
 */
async function _throughLinks(
  file: string,
  visit: (path: string) => void,
): Promise<string | undefined> {
  let path = file;
  for (let hops = 0; hops <= 40; hops++) {
    visit(path);
    _requireAccess("read", _folderOf(path));
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return path;
      throw error;
    }
    if (!info.isSymlink) return path;
    const link = await Deno.readLink(path);
    path = /^(?:[/\\]|[A-Za-z]:[/\\])/.test(link)
      ? link
      : _normalize(`${_folderOf(path)}/${link}`);
  }
  return undefined;
}

/** Throws `NotCapable` unless `folder` may be read (and written, for "write"). */
function _requireAccess(need: "read" | "write", folder: string): void {
  for (
    const name of need === "read"
      ? ["read"] as const
      : ["read", "write"] as const
  ) {
    if (
      Deno.permissions.querySync({ name, path: folder }).state !== "granted"
    ) {
      throw new Deno.errors.NotCapable(
        `Requires ${name} access to "${folder}", which was not granted`,
      );
    }
  }
}

async function _statOrUndefined(path: string) {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * A path without `.` segments and with `x/..` pairs folded, as Deno reads
 * the paths of its permission flags (`./../real/x` is `../real/x`).
 */
function _normalize(path: string): string {
  const absolute = /^[/\\]/.test(path);
  const parts: string[] = [];
  for (const part of path.split(/[/\\]+/)) {
    if (part === "" || part === ".") continue;
    if (part === ".." && parts.length > 0 && parts.at(-1) !== "..") {
      parts.pop();
    } else if (part !== ".." || !absolute) parts.push(part);
  }
  return (absolute ? "/" : "") + (parts.join("/") || (absolute ? "" : "."));
}

/** Writes `text` to a new temporary file beside `file`, then renames it to `file`. */
async function _replace(file: string, text: string) {
  const cut = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  const temp = `${file.slice(0, cut + 1)}.${
    file.slice(cut + 1)
  }.${crypto.randomUUID()}.tmp`;
  try {
    const handle = await Deno.open(temp, { write: true, createNew: true });
    try {
      const bytes = new TextEncoder().encode(text);
      for (let written = 0; written < bytes.length;) {
        written += await handle.write(bytes.subarray(written));
      }
      await handle.syncData();
    } finally {
      handle.close();
    }
    await Deno.rename(temp, file);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/** The folder of a path (`.` for a bare file name), without `node:path`. */
function _folderOf(file: string): string {
  const cut = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  if (cut < 0) return ".";
  const folder = file.slice(0, cut);
  // The root (`/`, `C:\`) keeps its separator.
  return folder === "" || /^[A-Za-z]:$/.test(folder)
    ? file.slice(0, cut + 1)
    : folder;
}

function _sorted(packages: KnownGoodPackage[]): KnownGoodPackage[] {
  return packages
    .map(({ name, version }) => ({ name, version }))
    .sort((a, b) =>
      a.name < b.name
        ? -1
        : a.name > b.name
        ? 1
        : a.version < b.version
        ? -1
        : a.version > b.version
        ? 1
        : 0
    );
}
