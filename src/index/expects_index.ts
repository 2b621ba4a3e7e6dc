/**
 * Which packages must ship a `plux.json`: those whose config says they offer
 * plugins. Discovery reports such a package when its index is missing (a
 * forgotten `deno task plux:index`), and `plux index` at a workspace root
 * indexes it even when it has no plugins yet, so that the report goes away.
 *
 * @module
 */

import { isRecord } from "../core/_values.ts";

/** The task `plux init` adds, which regenerates the index. */
export const INDEX_TASK = "plux:index";

/**
 * Why a package's config says it offers plugins, or `undefined` when it
 * does not: it has a `plux:index` task, `"plux"` settings, or (unless it is
 * the application, which maps the library to use it) maps `@plux/core` in
 * its own `imports`. A workspace root without `exports` never has an index
 * of its own (`plux index` there indexes the members), so it is never
 * expected to.
 *
 * @param config The parsed `deno.json`/`deno.jsonc`.
 * @param application Whether the config is the application's own.
 * @returns For example `has a "plux:index" task`.
 *
 * @example
 * ```ts ignore
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
  if (isRecord(config.tasks) && Object.hasOwn(config.tasks, INDEX_TASK)) {
    return `has a "${INDEX_TASK}" task`;
  }
  if (isRecord(config.plux)) return `has "plux" settings`;
  if (!application && isRecord(config.imports)) {
    for (const [key, target] of Object.entries(config.imports)) {
      if (
        key === "@plux/core" ||
        (typeof target === "string" &&
          /^(jsr|npm):\/?@plux\/core(@|\/|$)/.test(target))
      ) {
        return `maps "${key}" in its "imports"`;
      }
    }
  }
  return undefined;
}
