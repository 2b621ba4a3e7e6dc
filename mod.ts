/**
 * A plugin framework for Deno: LocalStack's Python `plux`, brought to Deno.
 *
 * Plugin packages declare plugins in code (a {@linkcode PluginSpec}, a
 * {@linkcode Plugin} subclass or a {@linkcode plugin} function) and ship a
 * `plux.json` index written by `deno task plux:index`. An application creates
 * a {@linkcode PluginManager} for a namespace; it finds the plugin packages
 * through the application's `deno.json`, reads their indexes, and imports a
 * plugin's module only when that plugin is loaded.
 *
 * @example Declaring and loading plugins
 * ```ts
 * import { Plugin, PluginManager, PluginSpec, PluginSpecResolver, plugin } from "@plux/core";
 *
 * class Cache extends Plugin {
 *   static namespace = "demo.services";
 *   static pluginName = "cache";
 *   override load(app: string) {
 *     return `cache started for ${app}`;
 *   }
 * }
 *
 * const metrics = new PluginSpec("demo.services", "metrics", () => new Cache());
 * const hello = plugin({ namespace: "demo.services" }, function hello() {
 *   return "hello";
 * });
 *
 * // Applications normally rely on the default finder, which reads the
 * // plux.json indexes of the packages in deno.json; here the specs are given.
 * const resolver = new PluginSpecResolver();
 * const manager = new PluginManager<Plugin>("demo.services", {
 *   loadArgs: ["demo"],
 *   finder: { findPlugins: () => [Cache, metrics, hello].map((p) => resolver.resolve(p)) },
 * });
 *
 * console.log(await manager.listNames()); // ["cache", "hello", "metrics"]
 * const plugins = await manager.loadAll();
 * console.log(plugins.length); // 3
 * ```
 *
 * @module
 */

export {
  PluginDisabled,
  PluginException,
  type PluginExceptionOptions,
} from "./src/core/errors.ts";
export {
  Plugin,
  type PluginClass,
  type PluginLoadContext,
} from "./src/core/plugin.ts";
export type { PluginInfo, PluginSource } from "./src/core/plugin_info.ts";
export {
  type PluginFactory,
  PluginSpec,
  type PluginSpecOptions,
} from "./src/core/plugin_spec.ts";
export {
  type AnyFunction,
  FunctionPlugin,
  plugin,
  type PluginOptions,
} from "./src/core/function_plugin.ts";
export { PluginSpecResolver } from "./src/core/resolver.ts";
export {
  CompositePluginLifecycleListener,
  type CompositePluginLifecycleListenerOptions,
  type PluginLifecycleEvent,
  type PluginLifecycleListener,
} from "./src/core/listener.ts";
export type {
  FindPluginsOptions,
  PluginEntry,
  PluginFinder,
} from "./src/core/finder.ts";
export {
  globalPluginFilter,
  MatchingPluginFilter,
  type PluginExclusion,
  type PluginFilter,
} from "./src/manager/filters.ts";
export { PluginContainer } from "./src/manager/container.ts";
export {
  ImportMapFinder,
  type ImportMapFinderOptions,
} from "./src/finders/import_map/import_map_finder.ts";
export type { ModuleImporter } from "./src/finders/index_entries.ts";
export {
  type ListOptions,
  type LoadAllOptions,
  type LoadOptions,
  PluginManager,
  type PluginManagerOptions,
} from "./src/manager/manager.ts";
export {
  type PluginRegistry,
  type RegistryEntry,
  RegistryFinder,
} from "./src/finders/registry/registry_finder.ts";
export {
  CombinedPluginFinder,
  type ShadowedPackage,
} from "./src/finders/combined_finder.ts";
export {
  PluginDirectoryFinder,
  type PluginDirectoryFinderOptions,
  type PluginOutcome,
} from "./src/finders/directory/directory_finder.ts";
export {
  describeProblem,
  type DirectoryProblem,
  type DirectoryProblemKind,
  PluginDirectoryError,
} from "./src/finders/directory/directory_problem.ts";
export {
  type KnownGoodPackage,
  readKnownGood,
  writeKnownGood,
} from "./src/finders/directory/known_good.ts";
export {
  PLUX_VERSION,
  type Requirements,
  unmetRequirements,
} from "./src/finders/directory/requirements.ts";
