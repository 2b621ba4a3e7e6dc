/**
 * Hints for plugins the index cannot list: a module that declares plugins
 * but exports none of them, and plugins declared in modules the indexer
 * leaves out by default (`main.ts`, `scripts/`, `examples/`). Both would
 * otherwise give `0 plugins ... wrote plux.json` and nothing else.
 *
 * Plugins are recognised in the module's text, without running it, by
 * `declaresPlugins` (`src/index/declares_plugins.ts`).
 *
 * @module
 */

import { join } from "node:path";
import { declaresPlugins } from "../index/declares_plugins.ts";

/**
 * The warning for a module that declares plugins and exports none.
 *
 * @param path The module, `./...`.
 * @returns One line naming the fix.
 */
export function unexportedHint(path: string): string {
  return `${path} declares a plugin but exports none, so the index cannot ` +
    "list it: export it (`export class ...`, `export const ... = new " +
    "PluginSpec(...)` or `export const ... = plugin(...)`)";
}

/**
 * The warnings for modules left out by default that declare plugins.
 *
 * @param dir The package folder.
 * @param leftOut The modules left out by default only because they may run
 * when imported, `./...`.
 * @returns One line per module that declares plugins.
 */
export async function leftOutHints(
  dir: string,
  leftOut: readonly string[],
): Promise<string[]> {
  const hints: string[] = [];
  for (const path of leftOut) {
    let text: string;
    try {
      text = await Deno.readTextFile(join(dir, path));
    } catch {
      continue; // the walk saw it; a file gone since has nothing to say
    }
    if (!declaresPlugins(text)) continue;
    hints.push(
      `${path} declares a plugin but is not indexed: main.ts files and the ` +
        "scripts/ and examples/ folders are left out by default, because " +
        "importing them may run them; move the plugin to a module of its " +
        `own, or list ${path} in "exports" if importing it is safe`,
    );
  }
  return hints;
}
