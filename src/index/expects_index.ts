/**
 * Which packages must ship a `plux.json`: those whose config says they offer
 * plugins. Discovery reports such a package when its index is missing (a
 * forgotten `deno task plux:index`), and `plux index` at a workspace root
 * indexes it even when it has no plugins yet, so that the report goes away.
 *
 * @module
 */

import { isRecord } from "../core/_values.ts";
import { INDEX_FILE } from "./format.ts";

/** The task `plux init` adds, which regenerates the index. */
export const INDEX_TASK = "plux:index";

/** The `exports` key (and file) under which a package serves its index. */
const INDEX_EXPORT = `./${INDEX_FILE}`;

/**
 * A task command that runs this library's indexer: `plux index`, or its
 * command line by any specifier (`jsr:@plux/core/cli index`,
 * `../../cli.ts index`).
 */
const RUNS_INDEXER = /(?:^|[\s/])(?:cli(?:\.ts)?|plux)\s+index(?:\s|$)/;

/**
 * Why a package's config says it offers plugins, or `undefined` when it
 * does not: its `exports` lists `./plux.json`, it has a `plux:index` task or
 * `"plux"` settings, or (unless it is the application, which maps the
 * library to use it) it maps `@plux/core` in its own `imports`. A workspace
 * root without `exports` never has an index of its own (`plux index` there
 * indexes the members), so it is never expected to.
 *
 * @param config The parsed `deno.json`/`deno.jsonc`.
 * @param application Whether the config is the application's own.
 * @returns For example `has a "plux:index" task`.
 *
 * @example
 * ```ts ignore
 * expectsIndex({ exports: { "./plux.json": "./plux.json" } }); // 'lists "./plux.json" in its "exports"'
 * expectsIndex({ tasks: { "plux:index": "..." } }); // 'has a "plux:index" task'
 * expectsIndex({ imports: { "@plux/core": "jsr:@plux/core@^0.1" } }); // 'maps "@plux/core" in its "imports"'
 * expectsIndex({ workspace: ["./a"], tasks: { "plux:index": "..." } }); // undefined
 * ```
 */
export function expectsIndex(
  config: Readonly<Record<string, unknown>>,
  application = false,
): string | undefined {
  if (config.workspace !== undefined && config.exports === undefined) {
    return undefined;
  }
  if (exportsIndex(config.exports)) {
    return `lists "${INDEX_EXPORT}" in its "exports"`;
  }
  if (isRecord(config.tasks) && Object.hasOwn(config.tasks, INDEX_TASK)) {
    return `has a "${INDEX_TASK}" task`;
  }
  if (isRecord(config.plux)) return `has "plux" settings`;
  const key = application ? undefined : libraryKey(config);
  return key === undefined ? undefined : `maps "${key}" in its "imports"`;
}

/**
 * The key under which a config's own `imports` map `@plux/core`: the key
 * `@plux/core`, or any key whose target is the library from `jsr:` or `npm:`
 * (`"plux": "npm:@plux/core@^0.1.0"`).
 *
 * @param config The parsed config.
 * @returns The key, or `undefined` when the config does not map the library.
 */
export function libraryKey(
  config: Readonly<Record<string, unknown>>,
): string | undefined {
  if (!isRecord(config.imports)) return undefined;
  for (const [key, target] of Object.entries(config.imports)) {
    if (
      key === "@plux/core" ||
      (typeof target === "string" &&
        /^(jsr|npm):\/?@plux\/core(@|\/|$)/.test(target))
    ) {
      return key;
    }
  }
  return undefined;
}

/**
 * The task of a config that runs the indexer: `plux:index`, else the first
 * task whose command runs `plux index` (such as a workspace's
 * `"index": "deno run ... cli.ts index"`).
 *
 * @param config The parsed config.
 * @returns The task's name, or `undefined` when no task runs the indexer.
 */
export function indexTaskOf(
  config: Readonly<Record<string, unknown>>,
): string | undefined {
  if (!isRecord(config.tasks)) return undefined;
  if (Object.hasOwn(config.tasks, INDEX_TASK)) return INDEX_TASK;
  for (const [name, task] of Object.entries(config.tasks)) {
    const command = isRecord(task) ? task.command : task;
    if (typeof command === "string" && RUNS_INDEXER.test(command)) return name;
  }
  return undefined;
}

/** Whether `exports` serves `./plux.json` (as a key, or a string export). */
function exportsIndex(exports: unknown): boolean {
  const isIndex = (target: unknown) =>
    typeof target === "string" &&
    target.replace(/^\.\//, "") === INDEX_FILE;
  if (typeof exports === "string") return isIndex(exports);
  return isRecord(exports) &&
    (Object.hasOwn(exports, INDEX_EXPORT) ||
      Object.values(exports).some(isIndex));
}
