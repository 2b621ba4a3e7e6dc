import type { PluginLifecycleListener } from "../core/listener.ts";
import type { CompositePluginLifecycleListenerOptions } from "../core/listener.ts";
import type { PluginFinder } from "../core/finder.ts";
import type { PluginFilter } from "./filters.ts";
import { shownValue } from "../core/_values.ts";

/** Options of {@linkcode PluginManager}. */
export interface PluginManagerOptions {
  /**
   * The arguments every plugin's `load()` receives. The manager keeps a copy:
   * changing the array afterwards changes nothing.
   *
   * @default {[]}
   */
  loadArgs?: readonly unknown[];
  /** Lifecycle listeners, called in this order. */
  listeners?: readonly PluginLifecycleListener[];
  /**
   * Receives what a listener threw that is not a `PluginException`; the
   * manager goes on either way.
   *
   * @default {logs the error with `console.error`}
   */
  onListenerError?: CompositePluginLifecycleListenerOptions["onListenerError"];
  /** Filters; a plugin that any filter matches is disabled. */
  filters?: readonly PluginFilter[];
  /**
   * Whether {@linkcode globalPluginFilter} applies too.
   *
   * @default {true}
   */
  useGlobalFilter?: boolean;
  /**
   * Where plugins are found.
   *
   * @default {an `ImportMapFinder` over the application's deno.json}
   */
  finder?: PluginFinder;
  /**
   * What happens to a discovery or resolve problem (an unreadable index, a
   * package without its `plux.json`, a plugin module that fails to import)
   * when no listener implements `onResolveException`: `true` writes it to
   * stderr as one line starting with `plux:`, once per process however many
   * managers meet it; `false` drops it; a function receives each such line
   * (once per function) instead. Listeners with `onResolveException` get
   * every problem and turn this off. A plugin that fails to initialise or
   * load during `loadAll()`, which skips it, is reported the same way unless
   * a listener implements `onInitException` (or `onLoadException`). Nothing
   * is ever written to stdout.
   *
   * @default {true}
   */
  reportProblems?: boolean | ((line: string, error: unknown) => void);
  /**
   * The `timeout` of every {@linkcode PluginManager.load}, `loadAll()` and
   * `listPluginSpecs()` call that gives none: how long, in milliseconds, one
   * plugin may take to import its module, and then to initialise and load.
   *
   * @default {Infinity (no limit)}
   */
  loadTimeout?: number;
}

/**
 * Options of {@linkcode PluginManager.listNames} and
 * {@linkcode PluginManager.listContainers}.
 */
export interface ListOptions {
  /**
   * Stops the call's wait for the listing when it aborts (the call then
   * throws the signal's reason). The listing itself goes on for the other
   * calls; each remote index it waits for is bounded by the finder's own
   * timeout (`ImportMapFinder`'s `indexTimeout`).
   */
  signal?: AbortSignal;
}

/**
 * Options of {@linkcode PluginManager.load} and
 * {@linkcode PluginManager.listPluginSpecs}: bounds on how long the call waits.
 *
 * A wait that ends early cannot stop the plugin's own code (a promise cannot
 * be cancelled): its module import goes on, and a later call can use it once
 * it is in; a factory or `load()` that finishes late is ignored.
 */
export interface LoadOptions {
  /**
   * Stops the call when it aborts. The plugin being loaded fails like any
   * failing plugin (reported to `onResolveException`, `onInitException` or
   * `onLoadException`, kept on its container, retried by a later call), with
   * the signal's reason as the `cause` of the `PluginException`. A plugin
   * already loaded is returned even when the signal has aborted.
   */
  signal?: AbortSignal;
  /**
   * How long, in milliseconds, one plugin may take to import its module
   * (counted from when its import began), and then again to initialise and
   * load (its factory, `shouldLoad()`, `load()` and the listeners). A plugin
   * that takes longer fails like any failing plugin, with a `TimeoutError`
   * `DOMException` as the `cause`. `Infinity` means no limit.
   *
   * @default {the manager's `loadTimeout`}
   */
  timeout?: number;
}

/** Options of {@linkcode PluginManager.loadAll}. */
export interface LoadAllOptions extends LoadOptions {
  /**
   * Throw the first failure (in load order) instead of skipping failed
   * plugins; no plugin starts loading after it. Disabled plugins are skipped
   * either way.
   *
   * @default {false}
   */
  propagateExceptions?: boolean;
  /**
   * How many plugins load at once. Plugins load in waves (each plugin after
   * what it requires or comes after, see `plux list <namespace> --order`);
   * up to this many plugins of a wave load together, and the next wave
   * starts when the wave is done. Module imports are not limited by it: they
   * all start at once. `Infinity` loads each wave all together.
   *
   * @default {1}
   */
  concurrency?: number;
}

/**
 * Checks the `concurrency` option of `loadAll()`.
 *
 * @param value The option's value; `undefined` means 1.
 * @returns How many plugins of a wave may load at once.
 * @throws {TypeError} When it is not a whole number of 1 or more, or
 * `Infinity`.
 */
export function checkConcurrency(value: unknown): number {
  if (value === undefined) return 1;
  if (
    typeof value !== "number" ||
    !(value === Infinity || (Number.isInteger(value) && value >= 1))
  ) {
    throw new TypeError(
      "loadAll(): option concurrency must be a whole number of 1 or more " +
        `(how many plugins of a wave load at once) or Infinity, got ${
          shownValue(value)
        }; pass for example { concurrency: 8 }, or leave it out to load ` +
        "one plugin at a time",
    );
  }
  return value;
}
