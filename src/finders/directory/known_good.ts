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
 * @param file The file's path; the application chooses it and needs read
 * and write permission for its folder (`--allow-read=<folder>
 * --allow-write=<folder>`), where the temporary file is made.
 * @param packages The package versions that loaded successfully.
 * @returns Nothing, once the file is written.
 * @throws {Error} When the folder may not be read and written (no write is
 * tried, so Deno does not prompt) or the write fails: one line naming the
 * file and the fix, with Deno's error as `cause`; the old file is left as
 * it was.
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
  const unique = new Map<string, KnownGoodPackage>();
  for (const { name, version } of packages) {
    unique.set(`${name}@${version}`, { name, version });
  }
  const data = { version: 1, packages: _sorted([...unique.values()]) };
  const text = JSON.stringify(data, null, 2) + "\n";
  const folder = _folderOf(file);
  try {
    for (const name of ["read", "write"] as const) {
      if (
        Deno.permissions.querySync({ name, path: folder }).state !== "granted"
      ) {
        throw new Deno.errors.NotCapable(
          `Requires ${name} access to "${folder}", which was not granted`,
        );
      }
    }
    await _replace(file, text);
  } catch (error) {
    const { allowFlag, runAdvice } = await import("../_permission_flag.ts");
    const fix = error instanceof Deno.errors.NotCapable
      ? runAdvice()(
        `${allowFlag("read", [folder])} ${allowFlag("write", [folder])}`,
      ) +
        " (the set is written to a temporary file there, then renamed over the file)"
      : error instanceof Deno.errors.NotFound
      ? `create the folder ${folder}, or choose a file in an existing one`
      : `make ${folder} and ${file} writable by the user running the application`;
    throw new Error(
      `cannot write the known-good set ${file}: ${errorText(error)}; ${fix}`,
      { cause: error },
    );
  }
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
