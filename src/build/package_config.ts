import { dirname, join, resolve } from "node:path";
import { parseJsonc } from "../finders/_jsonc.ts";
import { readUtf8File } from "../index/_utf8.ts";
import { isFile } from "./_files.ts";
import { isRecord } from "../core/_values.ts";
import { expectsIndex, indexTaskOf } from "../index/expects_index.ts";
import type { FlagAdvice } from "../finders/_permission_flag.ts";

/** The parts of a package's `deno.json`/`deno.jsonc` the indexer uses. */
export interface PackageConfig {
  /** The config file's absolute path. */
  readonly file: string;
  /** The package folder (the config file's folder). */
  readonly dir: string;
  /** The config file's text, for in-place edits. */
  readonly text: string;
  /** The package name, when the config has one. */
  readonly name?: string;
  /** The package version, when the config has one. */
  readonly version?: string;
  /**
   * The `exports` as given: a string, an object of subpath to module, or
   * `undefined` when absent.
   */
  readonly exports?: string | Readonly<Record<string, string>>;
  /** Workspace member paths (or globs), when the config is a workspace root. */
  readonly workspace?: readonly string[];
  /** Globs of modules to scan, from `"plux": { "include": [...] }`. */
  readonly include?: readonly string[];
  /** Globs of modules never to scan, from `"plux": { "exclude": [...] }`. */
  readonly exclude: readonly string[];
  /** Deno's own top-level `exclude` and `publish.exclude` patterns. */
  readonly denoExclude: readonly string[];
  /**
   * Why the config says the package offers plugins (a `plux:index` task,
   * `"plux"` settings, its own `@plux/core` mapping), when it does: such a
   * package gets a `plux.json` even before it has plugins.
   */
  readonly expectsIndex?: string;
  /** The task that runs the indexer (`plux:index`, or one running `plux index`). */
  readonly indexTask?: string;
  /** That task's command. */
  readonly indexTaskCommand?: string;
}

/** The config file names Deno looks for, in its order. */
export const CONFIG_NAMES = ["deno.json", "deno.jsonc"] as const;

/**
 * Finds the config file of the package in `dir`: `deno.json`, else
 * `deno.jsonc`.
 *
 * @param dir The package folder.
 * @returns The file's absolute path, or `undefined` when there is none.
 */
export async function findConfigFile(dir: string): Promise<string | undefined> {
  for (const name of CONFIG_NAMES) {
    const file = resolve(dir, name);
    if (await isFile(file)) return file;
  }
  return undefined;
}

/**
 * Reads and parses a package's `deno.json` or `deno.jsonc` (comments and
 * trailing commas allowed in both, as Deno allows them).
 *
 * @param file The config file.
 * @returns The parsed config.
 * @throws {SyntaxError} When the file is not valid JSONC or a field has the
 * wrong type, naming the file and the field.
 */
export async function readPackageConfig(file: string): Promise<PackageConfig> {
  file = resolve(file);
  // Decoded once, as parseJsonc would (no byte order mark; bad bytes are an
  // error), and kept for in-place edits.
  let text: string;
  try {
    text = await readUtf8File(file, file);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new SyntaxError(`${error.message}; save it as UTF-8`);
  }
  const data = await parseJsonc(text, file);
  const field = (value: unknown, path: string, kind: string): never => {
    throw new SyntaxError(
      `${file}: "${path}" must be ${kind}, got ${JSON.stringify(value)}`,
    );
  };
  const string = (value: unknown, path: string) =>
    value === undefined || typeof value === "string"
      ? value
      : field(value, path, "a string");
  const strings = (value: unknown, path: string) =>
    value === undefined ||
      (Array.isArray(value) && value.every((v) => typeof v === "string"))
      ? value as string[] | undefined
      : field(value, path, "a list of strings");
  const exports = data.exports;
  if (
    exports !== undefined && typeof exports !== "string" &&
    !(isRecord(exports) &&
      Object.values(exports).every((v) => typeof v === "string"))
  ) {
    field(exports, "exports", "a string or an object of strings");
  }
  const plux = data.plux ?? {};
  if (!isRecord(plux)) field(plux, "plux", "an object");
  const p = plux as Record<string, unknown>;
  const publish = isRecord(data.publish) ? data.publish : {};
  const indexTask = indexTaskOf(data);
  return {
    file,
    dir: dirname(file),
    text,
    name: string(data.name, "name"),
    version: string(data.version, "version"),
    exports: exports as PackageConfig["exports"],
    workspace: Array.isArray(data.workspace)
      ? strings(data.workspace, "workspace")
      : isRecord(data.workspace)
      ? strings(data.workspace.members, "workspace.members")
      : undefined,
    include: strings(p.include, "plux.include"),
    exclude: strings(p.exclude, "plux.exclude") ?? [],
    denoExclude: [
      ...(strings(data.exclude, "exclude") ?? []),
      ...(strings(publish.exclude, "publish.exclude") ?? []),
    ],
    expectsIndex: expectsIndex(data),
    indexTask,
    indexTaskCommand: indexTask === undefined
      ? undefined
      : taskCommand((data.tasks as Record<string, unknown>)[indexTask]),
  };
}

/** How to tell the user to give the indexer a flag, and where paths start. */
export interface IndexRunner {
  /**
   * The advice: in the task that runs the indexer (the package's, else the
   * workspace root's), as in `add --allow-env=B to the "plux:index" task in
   * /pkg/deno.json`, or else on the command line.
   */
  readonly advise: FlagAdvice;
  /**
   * The folder the indexer runs in: the folder of the config holding the
   * task (Deno runs a task there), else `undefined` (the working directory).
   */
  readonly base?: string;
}

/**
 * How the indexer of a package is run, for the flags it may need.
 *
 * @param config The package's config.
 * @param root The workspace root's config, when indexing from the root.
 * @returns The advice and the folder relative paths start from.
 */
export function indexRunner(
  config: PackageConfig,
  root?: PackageConfig,
): IndexRunner {
  const holder = config.indexTask !== undefined
    ? config
    : root?.indexTask !== undefined
    ? root
    : undefined;
  if (holder === undefined) {
    return { advise: (flag) => `run \`plux index\` with ${flag}` };
  }
  return {
    // A task that has the flag already is not what ran.
    advise: (flag) =>
      holder.indexTaskCommand?.includes(flag.replace(/ \(.*$/, ""))
        ? `run \`plux index\` with ${flag} (as the "${holder.indexTask}" ` +
          `task in ${holder.file} does)`
        : `add ${flag} to the "${holder.indexTask}" task in ${holder.file}`,
    base: holder.dir,
  };
}

/** A task's command: the string, or the `command` of a task object. */
function taskCommand(task: unknown): string | undefined {
  const command = isRecord(task) ? task.command : task;
  return typeof command === "string" ? command : undefined;
}
/**
 * The exports of a config as an object: a string export is `"."`.
 *
 * @param config The config.
 * @returns Subpath to module path, as written in the config.
 */
export function exportsMap(
  config: Pick<PackageConfig, "exports">,
): Record<string, string> {
  if (config.exports === undefined) return {};
  if (typeof config.exports === "string") return { ".": config.exports };
  return { ...config.exports };
}

/**
 * The path of a file relative to a package folder, as `./a/b.ts`.
 *
 * @param dir The package folder.
 * @param path The file's path (absolute, or relative to `dir`).
 * @returns The package-relative path with forward slashes.
 */
export function packagePath(dir: string, path: string): string {
  const absolute = resolve(dir, path);
  const relative = absolute.slice(resolve(dir).length + 1);
  return `./${relative.split("\\").join("/")}`;
}

/**
 * Joins a package folder and a package-relative path.
 *
 * @param dir The package folder.
 * @param path A path such as `./src/a.ts`.
 * @returns The absolute path.
 */
export function absolutePath(dir: string, path: string): string {
  return resolve(join(dir, path));
}
