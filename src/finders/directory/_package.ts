import { join, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { parseJsonc } from "../_jsonc.ts";
import {
  INDEX_FILE,
  type IndexEntry,
  isInsidePackage,
  parseIndex,
} from "../../index/format.ts";
import type { DirectoryProblem } from "./directory_problem.ts";
import type { IndexedPackage } from "../index_entries.ts";
import { permissionHint } from "../_permission_flag.ts";
import { errorText } from "../../core/_error_text.ts";
import { loadSemver, type Requirements } from "./requirements.ts";
import { isRecord } from "../../core/_values.ts";
import { NotAFileError, readUtf8File } from "../../index/_utf8.ts";

/** An unpacked plugin package found in a plugin directory. */
export interface DirectoryPackage {
  /** The package name from its deno.json. */
  readonly name: string;
  /** The package version from its deno.json. */
  readonly version: string;
  /** The entry as listed in the plugin directory. */
  readonly path: string;
  /** The entry's real path: the package folder. */
  readonly dir: string;
  /** What the package needs from the host. */
  readonly requires: Requirements;
  /** The package and its index, for `indexEntries`. */
  readonly indexed: IndexedPackage;
}

/** What reading one directory entry gave: a package, a problem, or nothing. */
export type EntryResult =
  | { package: DirectoryPackage; problem?: undefined }
  | { package?: undefined; problem: DirectoryProblem }
  | undefined;

/**
 * The fix of an index that does not match its package: a plugin directory
 * holds installed copies, so the user reinstalls, or the package's
 * maintainers regenerate the index and publish again.
 *
 * @param pkg The package, `name@version`.
 * @returns The fix, one clause.
 */
function indexFix(pkg: string): string {
  return `reinstall ${pkg}, or ask its maintainers to run ` +
    "`deno task plux:index` and publish it again";
}

/**
 * Reads one entry of a plugin directory. Dot entries and plain files are
 * ignored (`undefined`); an entry that is not a usable package gives a
 * problem.
 *
 * @param root The plugin directory's real path.
 * @param path The entry's path.
 * @returns The package, or the problem, or `undefined`.
 */
export async function readDirectoryEntry(
  root: string,
  path: string,
): Promise<EntryResult> {
  const fail = (
    kind: DirectoryProblem["kind"],
    reason: string,
    pkg?: { name?: string; version?: string },
  ): EntryResult => ({
    problem: {
      kind,
      package: pkg?.name,
      version: pkg?.version,
      path,
      reason,
    },
  });
  let dir: string;
  try {
    dir = await Deno.realPath(path);
  } catch (error) {
    return fail("invalid", `cannot be read: ${describe(error, path)}`);
  }
  if (!isInside(root, dir)) {
    return fail(
      "outside",
      `is a link to ${dir}, outside the plugin directory ${root}; ` +
        "move the package into the plugin directory instead of linking it",
    );
  }
  if (!(await Deno.stat(dir)).isDirectory) return undefined;

  const configPath = await _firstExisting(dir, ["deno.json", "deno.jsonc"]);
  if (configPath === undefined) {
    return fail(
      "invalid",
      "has no deno.json; a plugin package is a folder with deno.json (name, version) and plux.json",
    );
  }
  const config = await _readInside(dir, configPath);
  if (typeof config !== "string") return fail(config.kind, config.reason);
  let data: Record<string, unknown>;
  try {
    data = await parseJsonc(config, configPath);
  } catch (error) {
    return fail("invalid", `${(error as Error).message}, or reinstall it`);
  }
  const name = typeof data.name === "string" && data.name !== ""
    ? data.name
    : undefined;
  const semver = await loadSemver();
  const version = typeof data.version === "string" &&
      semver.valid(data.version) !== null
    ? data.version
    : undefined;
  if (name === undefined || version === undefined) {
    return fail(
      "invalid",
      `${configPath} needs a "name" and a semver "version" ` +
        `(got ${JSON.stringify(data.name)} and ${
          JSON.stringify(data.version)
        })`,
      { name },
    );
  }
  const pkg = { name, version };
  const requires = _requirements(data.plux);
  if (typeof requires === "string") {
    return fail("invalid", `${configPath}: ${requires}`, pkg);
  }

  const indexPath = join(dir, INDEX_FILE);
  const text = await _readInside(dir, indexPath);
  if (typeof text !== "string") return fail(text.kind, text.reason, pkg);
  let index;
  try {
    index = parseIndex(text, indexPath);
  } catch (error) {
    return fail("invalid", (error as Error).message, pkg);
  }
  if (index.problems.length > 0) {
    return fail(
      "invalid",
      index.problems.map((p) => p.message).join("; "),
      pkg,
    );
  }
  const stated = index.index.package;
  if (
    (stated?.name !== undefined && stated.name !== name) ||
    (stated?.version !== undefined && stated.version !== version)
  ) {
    return fail(
      "invalid",
      `${indexPath} was written for ${stated.name}@${stated.version}, ` +
        `not ${name}@${version}; ${indexFix(`${name}@${version}`)}`,
      pkg,
    );
  }
  const exports = _exportsOf(data.exports);
  const modulePath = (entry: IndexEntry): string | undefined => {
    const location = entry.path ??
      (entry.subpath === undefined ? undefined : exports[entry.subpath]);
    return location !== undefined && isInsidePackage(location, "path")
      ? join(dir, location)
      : undefined;
  };
  for (const entries of Object.values(index.index.plugins)) {
    const lost = entries.find((entry) => modulePath(entry) === undefined);
    if (lost !== undefined) {
      return fail(
        "invalid",
        `${indexPath}: plugin ${lost.name} has subpath ${lost.subpath}, ` +
          `which ${configPath} does not export as a "./..." path; ${
            indexFix(`${name}@${version}`)
          }`,
        pkg,
      );
    }
  }
  const urls = new Map<IndexEntry, string>();
  const indexed: IndexedPackage = {
    source: {
      kind: "directory",
      package: name,
      version,
      index: _fileUrl(indexPath),
    },
    index: index.index,
    root: _fileUrl(dir).replace(/\/?$/, "/"),
    specifierOf: (entry) => {
      // Asked twice per module when a package settles: worked out once.
      let url = urls.get(entry);
      if (url === undefined) {
        urls.set(entry, url = _fileUrl(modulePath(entry)!));
      }
      return url;
    },
    fix: indexFix(`${name}@${version} (${dir})`),
  };
  return { package: { ...pkg, path, dir, requires, indexed } };
}

/**
 * Whether `path` is `root` or inside it (both real paths).
 *
 * @param root A folder.
 * @param path A path.
 * @returns Whether `path` is within `root`.
 */
export function isInside(root: string, path: string): boolean {
  return path === root ||
    path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Names the error of a failed file access, with the permission flag it
 * needs.
 *
 * @param error The failure.
 * @param path The path accessed.
 * @returns A short description.
 */
export function describe(error: unknown, path: string): string {
  return errorText(error) + permissionHint(error, path);
}

async function _firstExisting(
  dir: string,
  names: string[],
): Promise<string | undefined> {
  for (const name of names) {
    try {
      await Deno.lstat(join(dir, name));
      return join(dir, name);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) return join(dir, name);
    }
  }
  return undefined;
}

async function _readInside(
  dir: string,
  path: string,
): Promise<string | { kind: "invalid" | "outside"; reason: string }> {
  try {
    const real = await Deno.realPath(path);
    if (!isInside(dir, real)) {
      return {
        kind: "outside",
        reason: `${path} is a link to ${real}, outside the package; refused`,
      };
    }
    return await readUtf8File(real, path);
  } catch (error) {
    if (error instanceof NotAFileError) {
      return {
        kind: "invalid",
        reason: error.withFix("reinstall the package").message,
      };
    }
    if (error instanceof SyntaxError) {
      return {
        kind: "invalid",
        reason: `${error.message}; save it as UTF-8, or reinstall the package`,
      };
    }
    return { kind: "invalid", reason: `cannot read ${describe(error, path)}` };
  }
}

function _requirements(plux: unknown): Requirements | string {
  if (plux === undefined) return {};
  if (!isRecord(plux)) return `"plux" must be an object`;
  if (plux.requires === undefined) return {};
  const requires = plux.requires;
  if (
    !isRecord(requires) ||
    !Object.values(requires).every((range) => typeof range === "string")
  ) {
    return `"plux.requires" must map package names to semver ranges, ` +
      `for example { "@plux/core": "^0.1" }`;
  }
  return requires as Requirements;
}

function _exportsOf(exports: unknown): Record<string, string> {
  if (typeof exports === "string") return { ".": exports };
  if (!isRecord(exports)) return {};
  return Object.fromEntries(
    Object.entries(exports).filter(([, v]) => typeof v === "string"),
  ) as Record<string, string>;
}

function _fileUrl(path: string): string {
  return pathToFileURL(path).href;
}
