/**
 * `src/index/`: the `plux.json` index, what every finder reads and the
 * indexer writes. This file holds the format (parse, validate, format) and
 * the rules an entry must keep; `expects_index.ts` says which packages must
 * ship an index (and which task writes it), `declares_plugins.ts` whether a
 * module's text declares plugins. It imports `core/` only; the finders, the
 * indexer and the command line import it.
 *
 * The `plux.json` index: what a plugin package offers, per namespace, and
 * where each plugin's code is inside the package.
 *
 * ```json
 * {
 *   "version": 1,
 *   "package": { "name": "@acme/services", "version": "1.2.0" },
 *   "plugins": {
 *     "acme.services": [
 *       {
 *         "name": "redis",
 *         "export": "RedisService",
 *         "subpath": "./redis",
 *         "path": "./src/redis.ts",
 *         "metadata": { "description": "Redis cache" }
 *       },
 *       {
 *         "name": "sessions",
 *         "export": "Sessions",
 *         "subpath": "./sessions",
 *         "path": "./src/sessions.ts",
 *         "requires": [
 *           "redis"
 *         ],
 *         "after": [
 *           "metrics"
 *         ]
 *       }
 *     ]
 *   }
 * }
 * ```
 *
 * - `subpath` is the key of the package's `exports` that serves the module
 *   (`"."` or `"./x"`); jsr:, npm: and workspace packages import it as
 *   `<package>/<subpath>`. It is absent when the module is not exported.
 * - `path` is the module's file, relative to the package root (`./...`);
 *   sources that allow paths (local folders, URLs) import it directly.
 * - `requires` and `after` (both optional, absent meaning none) name plugins
 *   of the same namespace that the plugin needs, or comes after when they
 *   are present: a manager knows the load order from the indexes alone.
 *   They are sorted and written only when not empty, so an index without
 *   them is read as it always was.
 * - `metadata` is free-form; readers ignore fields they do not know, so later
 *   versions of format 1 may add fields.
 *
 * @module
 */

import { compareStrings, isRecord } from "../core/_values.ts";
import {
  isInsidePackage,
  isName,
  isPackageName,
  isVersion,
  locationProblem,
  MAX_METADATA_DEPTH,
  nestedDeeper,
  shownName,
} from "./_entry_rules.ts";
import { decodeUtf8, withoutBom } from "./_utf8.ts";

export { isInsidePackage, isName, isPackageName, isVersion };
import { errorText } from "../core/_error_text.ts";
import { isDependencyList } from "../core/plugin_spec.ts";
import { markLeftOut } from "../core/errors.ts";

/** The version of the index format this library writes and reads. */
export const INDEX_VERSION = 1;

/** The file name of the index, next to the package's deno.json. */
export const INDEX_FILE = "plux.json";

/** One plugin of a `plux.json` index. */
export interface IndexEntry {
  /** The plugin's name in its namespace. */
  readonly name: string;
  /** The name of the module export that declares the plugin (`"default"` for a default export). */
  readonly export: string;
  /** The `exports` key of the package that serves the module, when exported. */
  readonly subpath?: string;
  /** The module's path relative to the package root, starting with `./`. */
  readonly path?: string;
  /** Plugins of the same namespace this one requires; absent means none. */
  readonly requires?: readonly string[];
  /** Plugins of the same namespace this one comes after when present; absent means none. */
  readonly after?: readonly string[];
  /** Free-form metadata, for example `{ description }`. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A whole `plux.json` index. */
export interface PluginIndex {
  /** The format version; {@linkcode INDEX_VERSION}. */
  readonly version: number;
  /** The package the index was written for. */
  readonly package?: { readonly name?: string; readonly version?: string };
  /** The plugins, per namespace. */
  readonly plugins: Readonly<Record<string, readonly IndexEntry[]>>;
}

/** What {@linkcode parseIndex} found: the valid part and each problem. */
export interface ParsedIndex {
  /** The index, holding only the entries that passed validation. */
  readonly index: PluginIndex;
  /** One error per rejected entry, naming the file and the entry. */
  readonly problems: SyntaxError[];
}

const FIX = "regenerate it with `deno task plux:index` in that package";

/**
 * Parses and validates the text of a `plux.json`. A file that is not JSON or
 * not an index at all throws; a bad entry is left out and reported in
 * `problems`, so the package's other entries still work.
 *
 * Entries may only point inside their package: `subpath` is `"."` or
 * `"./..."`, `path` is `"./..."`; neither may hold `..` or `.` segments, a
 * URL scheme, a backslash, an empty segment, `?`, `#`, `%`, whitespace or a
 * control character. Names, exports and locations must be well-formed
 * Unicode (no lone surrogate). `package.name`, when given, must be a package
 * name (`@scope/name` or `name`), and `package.version` a version (`1.2.3`,
 * `1.2.3-rc.1`); another value is reported and ignored.
 *
 * A UTF-8 byte order mark at the start is dropped, as Deno's JSON import
 * does; given as bytes, text that is not UTF-8 is an error rather than
 * replacement characters.
 *
 * @param text The file's text, or its bytes.
 * @param file The file's URL or path, for messages.
 * @returns The valid entries and the problems.
 * @throws {SyntaxError} When the bytes are not UTF-8, or the text is not
 * JSON, or not a version 1 index.
 */
export function parseIndex(
  text: string | Uint8Array,
  file: string,
): ParsedIndex {
  let source: string;
  try {
    source = typeof text === "string"
      ? withoutBom(text)
      : decodeUtf8(text, file);
  } catch (error) {
    throw new SyntaxError(`${errorText(error)}: save it as UTF-8, or ${FIX}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (error) {
    throw new SyntaxError(
      `${file} is not valid JSON (${errorText(error)}); ${FIX}`,
    );
  }
  return validateIndex(data, file);
}

/**
 * Validates an already parsed `plux.json` (for example one imported with
 * `with { type: "json" }`). See {@linkcode parseIndex}.
 *
 * @param data The parsed JSON.
 * @param file The file's URL or path, for messages.
 * @returns The valid entries and the problems.
 * @throws {SyntaxError} When `data` is not a version 1 index.
 */
export function validateIndex(data: unknown, file: string): ParsedIndex {
  if (!isRecord(data)) {
    throw new SyntaxError(
      `${file} is not a plux index: expected a JSON object; ${FIX}`,
    );
  }
  if (data.version !== INDEX_VERSION) {
    throw new SyntaxError(
      `${file} has index version ${
        JSON.stringify(data.version)
      }, but this @plux/core ` +
        `reads version ${INDEX_VERSION}; ${FIX} with a matching @plux/core`,
    );
  }
  if (!isRecord(data.plugins)) {
    throw new SyntaxError(
      `${file} is not a plux index: "plugins" must be an object; ${FIX}`,
    );
  }
  const problems: SyntaxError[] = [];
  // No prototype: a namespace called "__proto__" is a key like any other.
  const plugins: Record<string, IndexEntry[]> = Object.create(null);
  for (const namespace of Object.keys(data.plugins)) {
    const entries: unknown = data.plugins[namespace];
    if (!isName(namespace) || !Array.isArray(entries)) {
      problems.push(
        new SyntaxError(
          `${file}: namespace ${JSON.stringify(namespace)} ${
            namespace === "" || namespace.isWellFormed()
              ? "must be a non-empty name holding a list of plugins"
              : `is a name ${NOT_WELL_FORMED}`
          }; ${FIX}`,
        ),
      );
      continue;
    }
    // The parsed list itself while every entry is valid (the common case:
    // listing thousands of plugins copies nothing); a copy once one is not.
    let valid: IndexEntry[] | undefined;
    const names = entries.length > 32 ? new Set<string>() : undefined;
    for (let position = 0; position < entries.length; position++) {
      const entry: unknown = entries[position];
      let problem = entryProblem(entry);
      // Read only once the entry is known to be an object (it may be null).
      const name = problem === undefined ? (entry as IndexEntry).name : "";
      if (
        problem === undefined &&
        (names === undefined
          ? hasName(valid ?? entries, valid?.length ?? position, name)
          : names.has(name))
      ) {
        problem = "appears twice in this namespace; the first is used";
      }
      if (problem === undefined) {
        names?.add(name);
        valid?.push(entry as IndexEntry);
        continue;
      }
      valid ??= entries.slice(0, position);
      const label = isRecord(entry) && typeof entry.name === "string"
        ? `${namespace}:${shownName(entry.name)}`
        : `${namespace}[${position}]`;
      // With its namespace: only the listings of that namespace report it.
      const error = Object.assign(
        new SyntaxError(`${file}: plugin ${label} ${problem}; ${FIX}`),
        { namespace },
      );
      // A second entry of a name leaves nothing out: the first is used.
      const named = isRecord(entry) && typeof entry.name === "string" &&
        !hasName(valid, valid.length, entry.name);
      problems.push(
        named
          ? markLeftOut(error, { namespace, name: entry.name as string })
          : error,
      );
    }
    plugins[namespace] = valid ?? entries;
  }
  const pkg = isRecord(data.package) ? data.package : undefined;
  if (pkg?.name !== undefined && !isPackageName(pkg.name)) {
    problems.push(
      new SyntaxError(
        `${file}: package name ${
          JSON.stringify(pkg.name)
        } is not a package name ` +
          `("@scope/name" or "name"), so it is ignored; ${FIX}`,
      ),
    );
  }
  if (pkg?.version !== undefined && !isVersion(pkg.version)) {
    problems.push(
      new SyntaxError(
        `${file}: package version ${
          JSON.stringify(pkg.version)
        } is not a version ` +
          `("1.2.3", "1.2.3-rc.1"), so it is ignored; ${FIX}`,
      ),
    );
  }
  return {
    index: {
      version: INDEX_VERSION,
      package: pkg && {
        name: isPackageName(pkg.name) ? pkg.name : undefined,
        version: isVersion(pkg.version) ? pkg.version : undefined,
      },
      plugins,
    },
    problems,
  };
}

/**
 * Formats an index deterministically: namespaces and plugins sorted by name,
 * object keys in a fixed order, two-space indentation, a final newline.
 *
 * @param index The index.
 * @returns The text of `plux.json`.
 */
export function formatIndex(index: PluginIndex): string {
  const plugins: Record<string, unknown[]> = Object.create(null);
  for (const namespace of Object.keys(index.plugins).sort(compareStrings)) {
    plugins[namespace] = [...index.plugins[namespace]!]
      .sort((a, b) => compareStrings(a.name, b.name))
      .map((entry) => ({
        name: entry.name,
        export: entry.export,
        subpath: entry.subpath,
        path: entry.path,
        requires: names(entry.requires),
        after: names(entry.after),
        metadata: entry.metadata === undefined
          ? undefined
          : sortKeys(entry.metadata),
      }));
  }
  const data = {
    version: index.version,
    package: index.package &&
      { name: index.package.name, version: index.package.version },
    plugins,
  };
  return JSON.stringify(data, null, 2) + "\n";
}

/** Why a string with a lone surrogate is refused, after "has a name". */
const NOT_WELL_FORMED =
  "that is not well-formed Unicode (it holds a lone surrogate, which no " +
  "file name, URL or module export can hold)";

function entryProblem(entry: unknown): string | undefined {
  if (!isRecord(entry)) return "is not an object";
  if (typeof entry.name !== "string" || entry.name === "") {
    return "has no name (a non-empty string)";
  }
  if (!isName(entry.name)) return `has a name ${NOT_WELL_FORMED}`;
  if (typeof entry.export !== "string" || entry.export === "") {
    return "has no export (the name of the module export)";
  }
  if (!isName(entry.export)) {
    return `has export ${JSON.stringify(entry.export)}, ${NOT_WELL_FORMED}`;
  }
  if (entry.subpath === undefined && entry.path === undefined) {
    return "has neither a subpath nor a path";
  }
  // Plain calls, not loops over array literals: those allocate in code that
  // has not been optimised yet, and listing runs this once per entry.
  const location = locationProblem(entry.subpath, "subpath") ??
    locationProblem(entry.path, "path");
  if (location !== undefined) return location;
  if (entry.metadata !== undefined && !isRecord(entry.metadata)) {
    return "has metadata that is not an object";
  }
  if (entry.metadata !== undefined && nestedDeeper(entry.metadata)) {
    return `has metadata nested deeper than ${MAX_METADATA_DEPTH} levels`;
  }
  return namesProblem(entry.requires, "requires") ??
    namesProblem(entry.after, "after");
}

function namesProblem(
  value: unknown,
  field: "requires" | "after",
): string | undefined {
  if (value === undefined) return undefined;
  if (isDependencyList(value) && value.every(isName)) return undefined;
  const illFormed = Array.isArray(value) &&
    value.find((name) => typeof name === "string" && !name.isWellFormed());
  return typeof illFormed === "string"
    ? `has ${field} ${JSON.stringify(illFormed)}, a name ${NOT_WELL_FORMED}`
    : `has ${field} that is not a list of plugin names of its namespace ` +
      '(non-empty, without ":" or whitespace at either end)';
}

/** A `requires` or `after` list as written: sorted, unique; absent when empty. */
function names(list: readonly string[] | undefined): string[] | undefined {
  if (list === undefined || list.length === 0) return undefined;
  return [...new Set(list)].sort(compareStrings);
}

/**
 * Whether one of the first `count` entries has the name: a linear scan,
 * faster than a set for the few plugins of most namespaces.
 */
function hasName(
  entries: readonly unknown[],
  count: number,
  name: string,
): boolean {
  for (let i = 0; i < count; i++) {
    if ((entries[i] as IndexEntry).name === name) return true;
  }
  return false;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value).sort(compareStrings).map((key) => [
      key,
      sortKeys(value[key]),
    ]),
  );
}
