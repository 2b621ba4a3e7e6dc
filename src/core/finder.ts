import type { PluginInfo } from "./plugin_info.ts";
import type { PluginSpec } from "./plugin_spec.ts";

/**
 * A plugin whose namespace and name are known and whose code is resolved on
 * demand. Finders that read indexes return these so that listing imports no
 * plugin code.
 */
export interface PluginEntry extends PluginInfo {
  /**
   * Imports the plugin's code and returns its spec.
   *
   * @returns The spec; its namespace and name must be this entry's.
   */
  resolve(): Promise<PluginSpec>;
}

/** Options passed to {@linkcode PluginFinder.findPlugins}. */
export interface FindPluginsOptions {
  /**
   * The namespace the caller needs. A finder may use it to skip work; it may
   * also return plugins of other namespaces, which the manager ignores.
   */
  readonly namespace?: string;
  /**
   * Receives each problem the finder met and stepped over (an unreadable or
   * malformed index, a missing permission). The manager passes these to its
   * listeners' `onResolveException`.
   *
   * A problem whose `cause` is a `DOMException` named `TimeoutError` or
   * `AbortError` says the listing is incomplete (a wait ran out, for example
   * for a remote index): the manager then lists again on its next call,
   * keeping the plugins it already has.
   */
  readonly report?: (error: Error) => void;
}

/**
 * Whether a problem a finder reported makes its listing incomplete: its
 * `cause` is a `TimeoutError` or `AbortError` `DOMException`.
 *
 * @param problem The problem.
 * @returns Whether the listing should be made again next time.
 */
export function isIncomplete(problem: Error): boolean {
  const cause = problem.cause;
  return cause instanceof DOMException &&
    (cause.name === "TimeoutError" || cause.name === "AbortError");
}

/**
 * Finds the plugins on offer. Any object with a `findPlugins()` method is a
 * finder; it returns specs (code already at hand) and lazy entries.
 *
 * @example A finder over specs at hand
 * ```ts
 * import { Plugin, PluginManager, PluginSpec, type PluginFinder } from "@plux/core";
 *
 * class Noop extends Plugin {}
 * const finder: PluginFinder = {
 *   findPlugins: () => [new PluginSpec("demo", "noop", () => new Noop())],
 * };
 * const manager = new PluginManager("demo", { finder });
 * console.log(await manager.listNames()); // ["noop"]
 * ```
 */
export interface PluginFinder {
  /**
   * Lists the plugins on offer.
   *
   * @param options The namespace needed and where to report problems.
   * @returns Specs and lazy entries, in a deterministic order.
   */
  findPlugins(
    options?: FindPluginsOptions,
  ):
    | Iterable<PluginSpec | PluginEntry>
    | Promise<Iterable<PluginSpec | PluginEntry>>;
}
