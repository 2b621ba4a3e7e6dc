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
import { errorText } from "../../core/_error_text.ts";

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
 * @throws {SyntaxError} When the file is not a known-good set.
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
  const text = await Deno.readTextFile(file);
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
 * Writes a known-good set, replacing the file. Duplicates are dropped and
 * the packages sorted, so equal sets give equal files.
 *
 * @param file The file's path; the application chooses it and needs write
 * permission for it.
 * @param packages The package versions that loaded successfully.
 * @returns Nothing, once the file is written.
 * @throws {Deno.errors.NotCapable} Without write permission for `file`.
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
  await Deno.writeTextFile(file, JSON.stringify(data, null, 2) + "\n");
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
