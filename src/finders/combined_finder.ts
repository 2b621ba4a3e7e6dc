/**
 * `src/finders/`: where plugins are found. This folder holds what every
 * finder shares (lazy index entries, error text, JSONC and path-glob helpers)
 * and {@linkcode CombinedPluginFinder}; each finder has a folder of its own:
 * `import_map/` (the default), `directory/` (plugin directories) and
 * `registry/` (bundled and compiled applications). Finders import `core/`,
 * `index/` and this folder's shared files, never the manager, the indexer or
 * the command line, and never another finder's folder.
 *
 * @module
 */
import type { PluginSource } from "../core/plugin_info.ts";
import { PluginSpec } from "../core/plugin_spec.ts";
import type {
  FindPluginsOptions,
  PluginEntry,
  PluginFinder,
} from "../core/finder.ts";
import { describePackage } from "./index_entries.ts";

/** A package that an earlier finder also offers, so its plugins are left out. */
export interface ShadowedPackage {
  /** The package name. */
  readonly package: string;
  /** Where the left-out copy comes from. */
  readonly source: PluginSource;
  /** Where the copy that is used comes from. */
  readonly winner: PluginSource;
}

/**
 * Combines finders into one, for example the application's import map and
 * the user's plugin directories.
 *
 * The rule: **the earlier finder wins, per package**. When two finders offer
 * a package of the same name, only the plugins of the earlier finder's copy
 * are offered, in every namespace, and the later copy is reported (as an
 * `Error` to `report`, and in {@linkcode CombinedPluginFinder.shadowed}).
 * Plugins without a package name (specs given in code) are never shadowed;
 * two plugins of one name from different packages are left to the manager,
 * which keeps the first. A finder that throws makes `findPlugins()` throw.
 *
 * To decide per package, each finder is asked for every namespace; the
 * result is then narrowed to the namespace asked for.
 *
 * @example The import map first, then user plugins
 * ```ts
 * import { CombinedPluginFinder, ImportMapFinder, PluginDirectoryFinder, PluginManager } from "@plux/core";
 *
 * const dir = await Deno.makeTempDir({ prefix: "plux_" });
 * const finder = new CombinedPluginFinder([
 *   new ImportMapFinder(),
 *   new PluginDirectoryFinder([dir]),
 * ]);
 * const manager = new PluginManager("my-app.tools", { finder });
 * console.log(await manager.listNames());
 * await Deno.remove(dir);
 * ```
 */
export class CombinedPluginFinder implements PluginFinder {
  /** The finders, earliest (winning) first. */
  readonly finders: readonly PluginFinder[];
  readonly #shadowed = new Map<string, ShadowedPackage>();

  /**
   * Creates a finder that asks each finder in turn.
   *
   * @param finders The finders; an earlier one wins a package over a later one.
   * @throws {TypeError} When an element has no `findPlugins()` method.
   */
  constructor(finders: readonly PluginFinder[]) {
    if (
      !Array.isArray(finders) ||
      !finders.every((f) => typeof f?.findPlugins === "function")
    ) {
      throw new TypeError(
        "CombinedPluginFinder: expected a list of finders (objects with findPlugins())",
      );
    }
    this.finders = [...finders];
  }

  /** The packages left out so far because an earlier finder offers them. */
  get shadowed(): readonly ShadowedPackage[] {
    return [...this.#shadowed.values()];
  }

  /**
   * Lists the plugins of every finder, leaving out packages shadowed by an
   * earlier finder.
   *
   * @param options The namespace needed and where to report problems.
   * @returns The plugins, finder by finder, in each finder's order.
   */
  async findPlugins(
    options: FindPluginsOptions = {},
  ): Promise<(PluginSpec | PluginEntry)[]> {
    const lists: (PluginSpec | PluginEntry)[][] = [];
    for (const finder of this.finders) {
      lists.push([...await finder.findPlugins({ report: options.report })]);
    }
    const owners = new Map<string, { finder: number; source: PluginSource }>();
    lists.forEach((items, finder) => {
      for (const item of items) {
        const source = _sourceOf(item);
        if (source?.package !== undefined && !owners.has(source.package)) {
          owners.set(source.package, { finder, source });
        }
      }
    });
    const result: (PluginSpec | PluginEntry)[] = [];
    const reported = new Set<string>();
    lists.forEach((items, finder) => {
      for (const item of items) {
        const source = _sourceOf(item);
        const owner = source?.package === undefined
          ? undefined
          : owners.get(source.package)!;
        if (owner === undefined || owner.finder === finder) {
          if (
            options.namespace === undefined ||
            item.namespace === options.namespace
          ) {
            result.push(item);
          }
          continue;
        }
        const key = `${finder}:${describePackage(source!)}`;
        if (reported.has(key)) continue;
        reported.add(key);
        this.#shadowed.set(key, {
          package: source!.package!,
          source: source!,
          winner: owner.source,
        });
        options.report?.(
          new Error(
            `${describePackage(source!)} (${source!.kind}) is left out: ` +
              `${describePackage(owner.source)} (${owner.source.kind}) of an ` +
              "earlier finder has the same package name and wins; remove one " +
              "of them to silence this",
          ),
        );
      }
    });
    return result;
  }
}

function _sourceOf(item: PluginSpec | PluginEntry): PluginSource | undefined {
  return item instanceof PluginSpec ? undefined : item.source;
}
