import type { PluginInfo } from "../core/plugin_info.ts";

/**
 * Decides whether a plugin is disabled: a function returning `true` to
 * disable, or an object with such a `matches()` method (like
 * {@linkcode MatchingPluginFilter}). Filters see a plugin before its code is
 * imported, so a filtered plugin's module is never loaded.
 *
 * A manager consults its filters when it lists the namespace and again, as
 * they stand then, before it imports or loads a plugin that is not loaded
 * yet (as plux does): an exclusion added after listing still disables such a
 * plugin. A filter should therefore be quick and have no side effects.
 */
export type PluginFilter =
  | ((plugin: PluginInfo) => boolean)
  | { matches(plugin: PluginInfo): boolean };

/**
 * One exclusion of a {@linkcode MatchingPluginFilter}: glob patterns (`*`,
 * `?`, `[abc]`, as in Python's `fnmatch`) on the namespace, the name and the
 * value (`<module>#<export>`). Every given field must match; an exclusion with
 * no fields matches nothing.
 */
export interface PluginExclusion {
  /** Pattern for the namespace. */
  namespace?: string;
  /** Pattern for the plugin name. */
  name?: string;
  /** Pattern for the value, `<module>#<export>`; plugins without a value never match it. */
  value?: string;
}

/**
 * Disables plugins that match any of its exclusions.
 *
 * @example
 * ```ts
 * import { MatchingPluginFilter, PluginManager } from "@plux/core";
 *
 * const filter = new MatchingPluginFilter();
 * filter.addExclusion({ namespace: "my.services", name: "legacy-*" });
 * console.log(filter.matches({ namespace: "my.services", name: "legacy-db" })); // true
 * const manager = new PluginManager("my.services", { filters: [filter], finder: { findPlugins: () => [] } });
 * ```
 */
export class MatchingPluginFilter {
  readonly #exclusions: {
    exclusion: PluginExclusion;
    patterns: [keyof PluginExclusion, RegExp][];
  }[] = [];

  /**
   * Adds an exclusion.
   *
   * @param exclusion Patterns on `namespace`, `name` and `value`.
   */
  addExclusion(exclusion: PluginExclusion): void {
    const patterns: [keyof PluginExclusion, RegExp][] = [];
    for (const field of ["namespace", "name", "value"] as const) {
      const pattern = exclusion[field];
      if (pattern !== undefined) patterns.push([field, globToRegExp(pattern)]);
    }
    this.#exclusions.push({ exclusion: { ...exclusion }, patterns });
  }

  /**
   * Removes every exclusion equal to the given one.
   *
   * @param exclusion The exclusion to remove.
   */
  removeExclusion(exclusion: PluginExclusion): void {
    for (let i = this.#exclusions.length - 1; i >= 0; i--) {
      const own = this.#exclusions[i]!.exclusion;
      if (
        own.namespace === exclusion.namespace && own.name === exclusion.name &&
        own.value === exclusion.value
      ) this.#exclusions.splice(i, 1);
    }
  }

  /** Removes every exclusion. */
  clear(): void {
    this.#exclusions.length = 0;
  }

  /** A copy of the exclusions, in the order they were added. */
  get exclusions(): PluginExclusion[] {
    return this.#exclusions.map(({ exclusion }) => ({ ...exclusion }));
  }

  /**
   * Whether any exclusion matches the plugin.
   *
   * @param plugin The plugin's namespace, name and value.
   * @returns `true` when the plugin is to be disabled.
   */
  matches(plugin: PluginInfo): boolean {
    // Listing asks once per plugin, mostly of the global filter, mostly empty.
    if (this.#exclusions.length === 0) return false;
    return this.#exclusions.some(({ patterns }) =>
      patterns.length > 0 &&
      patterns.every(([field, regexp]) => {
        const value = plugin[field];
        return value !== undefined && regexp.test(value);
      })
    );
  }
}

/**
 * The filter every {@linkcode PluginManager} applies unless created with
 * `useGlobalFilter: false`. Exclusions added here disable plugins process-wide:
 * in every such manager, each plugin that is not loaded yet.
 *
 * @example
 * ```ts
 * import { globalPluginFilter } from "@plux/core";
 *
 * globalPluginFilter.addExclusion({ name: "experimental-*" });
 * globalPluginFilter.clear();
 * ```
 */
export const globalPluginFilter: MatchingPluginFilter =
  new MatchingPluginFilter();

/**
 * Translates an `fnmatch` glob into an anchored regular expression.
 *
 * @param glob The pattern: `*` any run, `?` one character, `[...]` a class
 * (`[!...]` negated).
 * @returns The regular expression.
 */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === "*") source += "[^]*";
    else if (char === "?") source += "[^]";
    else if (char === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) {
        source += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, end).replaceAll("\\", "\\\\");
      if (body.startsWith("!")) body = "^" + body.slice(1);
      source += `[${body}]`;
      i = end;
    } else source += char.replace(/[.+^${}()|\\\/\]-]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
