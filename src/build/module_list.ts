import { basename, extname, join } from "node:path";
import { matchesPathGlob } from "../finders/_path_glob.ts";
import {
  CONFIG_NAMES,
  exportsMap,
  type PackageConfig,
  packagePath,
} from "./package_config.ts";

/** A module the indexer imports. */
export interface ModuleToScan {
  /** The module's path relative to the package, `./...`. */
  readonly path: string;
  /** The `exports` keys that serve it, sorted; empty when not exported. */
  readonly subpaths: readonly string[];
}

/** The file extensions of modules the indexer scans. */
export const MODULE_EXTENSIONS: readonly string[] = [
  ".ts",
  ".tsx",
  ".js",
  ".mjs",
];

/**
 * Folders skipped by default (besides hidden folders): tests, benchmarks,
 * dependencies, and scripts and examples, which tend to do things when run.
 */
const SKIPPED_DIRS = new Set([
  "node_modules",
  "tests",
  "test",
  "__tests__",
  "fixtures",
  "testdata",
  "bench",
  "benches",
  "scripts",
  "examples",
]);

/**
 * Of the folders skipped by default, those whose modules may well declare
 * plugins by mistake (not tests or dependencies): the indexer reports such
 * plugins instead of leaving them out without a word.
 */
const RUNNABLE_DIRS = new Set(["scripts", "examples"]);

/**
 * Files skipped by default: test and bench files, as Deno's test and bench
 * runners find them, and `main.ts`-like entry points, which may start a
 * server when imported. (Importing runs a module's top-level code.)
 */
const TEST_FILE = /(^|[._])(test|bench)\.[cm]?[jt]sx?$/;
const MAIN_FILE = /^main\.[cm]?[jt]sx?$/;

/**
 * Lists the modules of a package that the indexer imports, sorted by path.
 *
 * - Every module in `exports` is scanned.
 * - Without `"plux": { "include" }`, every `.ts`, `.tsx`, `.js` and `.mjs`
 *   file under the package is scanned too, except declaration files, test
 *   and bench files (`*_test.ts`, `*.test.ts`, `*_bench.ts`, ...), files
 *   named `main.ts` (`.tsx`, `.js`, `.mjs`), folders named `tests`, `test`,
 *   `__tests__`, `fixtures`, `testdata`, `bench`, `benches`, `scripts`,
 *   `examples` or `node_modules`, hidden folders, folders holding their own
 *   `deno.json` (nested packages, workspace members) and paths the config's
 *   `exclude` or `publish.exclude` leave out of the package. An exported
 *   `main.ts` is scanned: it is part of the package's API.
 * - With `include`, the walked files are those matching one of its globs
 *   (only hidden folders, `node_modules` and nested packages are skipped).
 * - A module matching a glob of `"plux": { "exclude" }` is never scanned,
 *   exported or not.
 *
 * Globs are relative to the package folder (`src/**\/*.ts`).
 *
 * @param config The package's config.
 * @param leftOut Receives the modules left out by default only because they
 * may run when imported (`main.ts`, files under `scripts/` and `examples/`),
 * not deliberately excluded, so that plugins declared there can be reported.
 * @returns The modules, sorted by path.
 */
export async function listModules(
  config: PackageConfig,
  leftOut: string[] = [],
): Promise<ModuleToScan[]> {
  const subpaths = new Map<string, string[]>();
  for (const [subpath, target] of Object.entries(exportsMap(config))) {
    if (!MODULE_EXTENSIONS.includes(extname(target))) continue;
    const path = packagePath(config.dir, target);
    subpaths.set(path, [...(subpaths.get(path) ?? []), subpath]);
  }
  const found = new Set(subpaths.keys());
  const include = config.include?.map(normalizeGlob);
  const denoExclude = config.denoExclude.filter((p) => !p.startsWith("!"))
    .map(normalizeGlob);
  const runnable: string[] = [];
  const walked = walk(config.dir, "", include === undefined, runnable);
  for await (const path of walked) {
    if (denoExclude.some((pattern) => matches(path, pattern))) continue;
    if (
      include !== undefined && !include.some((g) => matchesPathGlob(path, g))
    ) {
      continue;
    }
    found.add(`./${path}`);
  }
  const exclude = config.exclude.map(normalizeGlob);
  const kept = (path: string) =>
    !exclude.some((glob) => matches(path.slice(2), glob));
  leftOut.push(
    ...runnable.map((path) => `./${path}`).filter((path) =>
      !found.has(path) && kept(path) &&
      !denoExclude.some((pattern) => matches(path.slice(2), pattern))
    ),
  );
  return [...found]
    .filter(kept)
    .sort()
    .map((path) => ({ path, subpaths: (subpaths.get(path) ?? []).sort() }));
}

/**
 * The package's modules, and (into `runnable`) those skipped by default only
 * because they may run when imported.
 */
async function* walk(
  root: string,
  relative: string,
  skipDefaults: boolean,
  runnable: string[],
): AsyncGenerator<string> {
  const names: [string, Deno.DirEntry][] = [];
  for await (const entry of Deno.readDir(join(root, relative))) {
    names.push([entry.name, entry]);
  }
  names.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (
    relative !== "" &&
    names.some(([name, e]) => e.isFile && CONFIG_NAMES.includes(name as never))
  ) {
    return; // a nested package indexes itself
  }
  for (const [name, entry] of names) {
    const path = relative === "" ? name : `${relative}/${name}`;
    if (name.startsWith(".")) continue;
    if (entry.isDirectory) {
      if (name === "node_modules") continue;
      if (skipDefaults && SKIPPED_DIRS.has(name)) {
        if (!RUNNABLE_DIRS.has(name)) continue;
        for await (const file of walk(root, path, false, runnable)) {
          if (!TEST_FILE.test(basename(file))) runnable.push(file);
        }
        continue;
      }
      yield* walk(root, path, skipDefaults, runnable);
    } else if (entry.isFile && MODULE_EXTENSIONS.includes(extname(name))) {
      if (name.endsWith(".d.ts")) continue;
      if (skipDefaults && TEST_FILE.test(name)) continue;
      if (skipDefaults && MAIN_FILE.test(name)) runnable.push(path);
      else yield path;
    }
  }
}

function normalizeGlob(glob: string): string {
  return glob.replace(/^\.\//, "");
}

/** A glob, or a path that matches itself and everything under it. */
function matches(path: string, pattern: string): boolean {
  const dir = pattern.replace(/\/+$/, "");
  return path === dir || path.startsWith(`${dir}/`) ||
    matchesPathGlob(path, pattern) || matchesPathGlob(path, `${dir}/**`);
}
