/**
 * `src/core/`: the plugin model, the same for every finder and the manager:
 * {@linkcode Plugin}, `PluginSpec`, `plugin()`, the resolver that turns an
 * export into a spec, the errors, the lifecycle listeners and the
 * `PluginFinder` contract. It imports nothing outside this folder.
 *
 * @module
 */
import { hasBrand, PLUGIN_BRAND } from "./_brand.ts";

/**
 * The base class of class plugins.
 *
 * A subclass becomes a plugin by declaring `static namespace` and
 * `static pluginName`, both strings (JavaScript reserves `static name`; the
 * base class declares neither, so no `override` is needed). An abstract base
 * that declares only a namespace is not a plugin itself; its subclasses inherit
 * the namespace and each declare their own `pluginName`.
 *
 * `shouldLoad()` decides whether the plugin is loaded at all; `load()` receives
 * the manager's `loadArgs`. Both may return promises.
 *
 * A class may also declare `static requires` and `static after`: arrays of
 * the names of plugins of the same namespace that it needs, or that it comes
 * after when they are present (see `PluginSpecOptions`). They are
 * checked when the class is resolved to a spec (by the indexer or a manager);
 * a subclass inherits them like `namespace`. A plugin that requires others
 * gets, after the `loadArgs`, a {@linkcode PluginLoadContext} holding what
 * their `load()` returned.
 *
 * @example A class plugin
 * ```ts
 * import { Plugin } from "@plux/core";
 *
 * export class RedisService extends Plugin {
 *   static namespace = "my.services";
 *   static pluginName = "redis";
 *
 *   override shouldLoad(): boolean {
 *     return Deno.env.get("REDIS_URL") !== undefined;
 *   }
 *
 *   override load(app: { register(name: string): void }): void {
 *     app.register("redis");
 *   }
 * }
 * ```
 *
 * @example A class plugin that needs another plugin
 * ```ts
 * import { Plugin, type PluginLoadContext } from "@plux/core";
 *
 * export class Api extends Plugin {
 *   static namespace = "my.services";
 *   static pluginName = "api";
 *   static requires = ["db"];
 *   static after = ["metrics"];
 *
 *   override load(port: number, { requirements }: PluginLoadContext): string {
 *     const db = requirements.db as { url: string };
 *     return `api on port ${port}, data in ${db.url}`;
 *   }
 * }
 * ```
 */
export abstract class Plugin {
  /**
   * Whether this plugin should be loaded. When it returns false, loading
   * fails with `PluginDisabled`.
   *
   * @returns `true` unless overridden.
   */
  shouldLoad(): boolean | Promise<boolean> {
    return true;
  }

  /**
   * Loads the plugin. Its result is kept as the container's `loadValue`.
   *
   * @param _args The manager's `loadArgs`; for a plugin that requires others,
   * followed by a {@linkcode PluginLoadContext}.
   * @returns Anything; `undefined` unless overridden.
   */
  load(..._args: unknown[]): unknown {
    return undefined;
  }

  /**
   * Recognises plugin instances made by any copy of the library.
   *
   * @param value The value to test.
   * @returns Whether `value` is a plugin.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    // Function plugins are functions, so any object or function may be one.
    return this === Plugin
      ? hasBrand(value, PLUGIN_BRAND)
      : Function.prototype[Symbol.hasInstance].call(this, value);
  }
}
Object.defineProperty(Plugin.prototype, PLUGIN_BRAND, { value: true });

/**
 * What a manager passes to the `load()` of a plugin that declares `requires`,
 * as the argument after its `loadArgs`: the values its requirements' `load()`
 * returned. Plugins without requirements get no such argument, so their
 * `load()` sees exactly the `loadArgs`. A `plugin()` function receives it
 * through its `make` option, which builds the function from it (see
 * `PluginOptions.make`).
 *
 * @example
 * ```ts
 * import { Plugin, type PluginLoadContext } from "@plux/core";
 *
 * class Reports extends Plugin {
 *   static namespace = "my.services";
 *   static pluginName = "reports";
 *   static requires = ["db"];
 *
 *   override load(context: PluginLoadContext): string {
 *     const db = context.requirements.db as { query(sql: string): string };
 *     return db.query("select 1");
 *   }
 * }
 * ```
 */
export interface PluginLoadContext {
  /** The plugin's namespace. */
  readonly namespace: string;
  /** The plugin's name. */
  readonly name: string;
  /**
   * What the `load()` of each required plugin returned, by plugin name; one
   * key per name in `requires` (a frozen object without a prototype).
   */
  readonly requirements: Readonly<Record<string, unknown>>;
}

/**
 * A concrete plugin class: a `Plugin` subclass with a namespace and a name,
 * and optionally the plugins it requires and comes after.
 */
export type PluginClass<P extends Plugin = Plugin> = (new () => P) & {
  readonly namespace: string;
  readonly pluginName: string;
  readonly requires?: readonly string[];
  readonly after?: readonly string[];
};

/**
 * Whether `value` is a concrete plugin class from any copy of the library: a
 * `Plugin` subclass with a string `namespace` and its own string `pluginName`.
 *
 * @param value The value to test.
 * @returns Whether `value` can be instantiated as a plugin.
 */
export function isPluginClass(value: unknown): value is PluginClass {
  if (typeof value !== "function" || !hasBrand(value.prototype, PLUGIN_BRAND)) {
    return false;
  }
  const cls = value as { namespace?: unknown; pluginName?: unknown };
  return typeof cls.namespace === "string" &&
    Object.hasOwn(value, "pluginName") &&
    typeof cls.pluginName === "string";
}

/**
 * Whether `value` can serve as a plugin instance: an object (or function)
 * with `shouldLoad()` and `load()`, from any copy of the library or none.
 *
 * @param value What a factory returned.
 * @returns Whether it has both methods.
 */
export function isPluginLike(value: unknown): value is Plugin {
  const plugin = value as Plugin | null;
  return (typeof plugin === "object" || typeof plugin === "function") &&
    plugin !== null &&
    typeof plugin.load === "function" &&
    typeof plugin.shouldLoad === "function";
}
