/**
 * Hints for plugins the index cannot list: a module that declares plugins
 * but exports none of them, and plugins declared in modules the indexer
 * leaves out by default (`main.ts`, `scripts/`, `examples/`). Both would
 * otherwise give `0 plugins ... wrote plux.json` and nothing else.
 *
 * Plugins are recognised in the module's text, without running it: a
 * `new PluginSpec(`, a `static pluginName =` or a `plugin({ ... namespace`.
 *
 * @module
 */

import { join } from "node:path";

/** What declaring a plugin looks like in source text. */
const DECLARES_PLUGIN =
  /\bnew\s+PluginSpec\s*\(|\bstatic\s+(?:override\s+)?pluginName\s*=|\bplugin\s*\(\s*\{[^}]*\bnamespace\s*:/;

/**
 * Whether a module's text declares a plugin.
 *
 * @param text The module's source.
 * @returns Whether it constructs a `PluginSpec`, declares a plugin class or
 * calls `plugin()` with a namespace.
 */
export function declaresPlugins(text: string): boolean {
  return DECLARES_PLUGIN.test(text);
}

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
