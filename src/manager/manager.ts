/**
 * `src/manager/`: {@linkcode PluginManager} (the index of one namespace's
 * plugins and its public API), the lifecycle of one plugin (resolve, init,
 * load, listener calls, retries), {@linkcode PluginContainer} and the
 * filters. It imports `core/`, and reaches a finder only to make the default
 * one (`finders/import_map/`).
 *
 * @module
 */
import { PluginDisabled, type PluginException } from "../core/errors.ts";
import type {
  CompositePluginLifecycleListenerOptions,
  PluginLifecycleListener,
} from "../core/listener.ts";
import type { Plugin } from "../core/plugin.ts";
import type { PluginInfo } from "../core/plugin_info.ts";
import { PluginSpec } from "../core/plugin_spec.ts";
import { PluginContainer } from "./container.ts";
import { globalPluginFilter, type PluginFilter } from "./filters.ts";
import type { PluginEntry, PluginFinder } from "../core/finder.ts";
import { PluginLifecycle } from "./_lifecycle.ts";
import {
  defaultFinder,
  ImportMapFinder,
} from "../finders/import_map/import_map_finder.ts";
import { ReportingListener } from "./_problem_report.ts";
import { conflict, unknownPlugin } from "./_messages.ts";

/** Options of {@linkcode PluginManager}. */
export interface PluginManagerOptions {
  /**
   * The arguments every plugin's `load()` receives.
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
   * every problem and turn this off. Nothing is ever written to stdout.
   *
   * @default {true}
   */
  reportProblems?: boolean | ((line: string, error: unknown) => void);
}

/** Options of {@linkcode PluginManager.loadAll}. */
export interface LoadAllOptions {
  /**
   * Throw the first failure (in name order) instead of skipping failed
   * plugins. Disabled plugins are skipped either way.
   *
   * @default {false}
   */
  propagateExceptions?: boolean;
}

type Index<P extends Plugin> = Map<string, PluginContainer<P>>;

/**
 * Discovers, filters, initialises and loads the plugins of one namespace.
 *
 * Each plugin goes through: resolved (its code imported, turned into a spec),
 * init (its factory called), loaded (its `shouldLoad()` checked and its
 * `load(...loadArgs)` called). Every step happens at most once per plugin,
 * however many `load()` and `loadAll()` calls run concurrently, and calls
 * that overlap one attempt all get its outcome; a failed init or load is
 * retried by the next call made after it failed. A failure never stops the
 * manager: it is kept on the plugin's container and reported to listeners.
 *
 * When two entries of the finder have the same name, the first one wins and
 * the second is reported to `onResolveException`. Problems a finder steps
 * over reach `onResolveException` too; a finder that throws instead (a
 * directory finder in strict mode) makes the call that lists the plugins
 * reject with its error, and the next call asks the finder again.
 *
 * @example
 * ```ts
 * import { Plugin, PluginManager, PluginSpec } from "@plux/core";
 *
 * class Greeter extends Plugin {
 *   override load(who: string) {
 *     return `hello ${who}`;
 *   }
 * }
 * const manager = new PluginManager<Greeter>("demo.greeters", {
 *   loadArgs: ["world"],
 *   finder: { findPlugins: () => [new PluginSpec("demo.greeters", "en", () => new Greeter())] },
 * });
 * await manager.load("en");
 * console.log((await manager.getContainer("en"))?.loadValue); // "hello world"
 * ```
 *
 * @typeParam P The type of the namespace's plugins.
 */
export class PluginManager<P extends Plugin = Plugin> {
  /** The namespace this manager handles. */
  readonly namespace: string;
  readonly #listener: ReportingListener;
  readonly #lifecycle: PluginLifecycle<P>;
  readonly #filters: PluginFilter[];
  readonly #finder: PluginFinder | undefined;
  #index: Promise<Index<P>> | undefined;
  /** The problems the finder reported while listing, for unknown names. */
  #problems: readonly unknown[] = [];

  /**
   * Creates a manager for one namespace.
   *
   * @param namespace The namespace, for example `"my.services"`.
   * @param options Load arguments, listeners, filters and the finder.
   * @throws {TypeError} When the namespace is not a non-empty string.
   */
  constructor(namespace: string, options: PluginManagerOptions = {}) {
    if (typeof namespace !== "string" || namespace === "") {
      throw new TypeError(
        `PluginManager: namespace must be a non-empty string`,
      );
    }
    this.namespace = namespace;
    this.#listener = new ReportingListener(
      options.listeners ?? [],
      { onListenerError: options.onListenerError },
      options.reportProblems ?? true,
    );
    this.#lifecycle = new PluginLifecycle(
      namespace,
      options.loadArgs ?? [],
      this.#listener,
    );
    this.#filters = [...(options.filters ?? [])];
    if (options.useGlobalFilter ?? true) {
      this.#filters.unshift(globalPluginFilter);
    }
    this.#finder = options.finder;
  }

  /**
   * Adds a lifecycle listener, called after the others.
   *
   * @param listener The listener.
   */
  addListener(listener: PluginLifecycleListener): void {
    this.#listener.add(listener);
  }

  /**
   * Loads one plugin: resolves, initialises and loads it if that has not
   * happened yet.
   *
   * @param name The plugin's name.
   * @returns The plugin instance.
   * @throws {PluginException} When no plugin has that name, or it fails to
   * resolve, initialise or load (the original error is the `cause`).
   * @throws {PluginDisabled} When the plugin is disabled, now and on every
   * later call.
   */
  async load(name: string): Promise<P> {
    const since = this.#lifecycle.now;
    const index = await this.#getIndex();
    const container = index.get(name);
    if (container === undefined) throw this.#unknown(name, index);
    return await this.#lifecycle.load(container, since);
  }

  /**
   * Loads every plugin of the namespace. Plugin modules are imported
   * concurrently; plugins are then initialised and loaded one at a time, in
   * name order.
   *
   * @param options Whether to throw the first failure.
   * @returns The plugins that loaded, in name order.
   * @throws {PluginException} Only with `propagateExceptions: true`.
   */
  async loadAll(options: LoadAllOptions = {}): Promise<P[]> {
    const since = this.#lifecycle.now;
    const containers = await this.listContainers();
    await Promise.all(
      containers.filter((c) => !c.isDisabled).map((c) =>
        this.#lifecycle.resolve(c).catch(() => {})
      ),
    );
    const plugins: P[] = [];
    for (const container of containers) {
      try {
        plugins.push(await this.#lifecycle.load(container, since));
      } catch (error) {
        if (error instanceof PluginDisabled) continue;
        if (options.propagateExceptions) throw error;
      }
    }
    return plugins;
  }

  /**
   * The names of every plugin of the namespace, disabled ones included. No
   * plugin code is imported.
   *
   * @returns The names, sorted.
   */
  async listNames(): Promise<string[]> {
    return [...(await this.#getIndex()).keys()];
  }

  /**
   * The containers of every plugin of the namespace. No plugin code is
   * imported.
   *
   * @returns The containers, in name order.
   */
  async listContainers(): Promise<PluginContainer<P>[]> {
    return [...(await this.#getIndex()).values()];
  }

  /**
   * Resolves every plugin that is not disabled and returns the specs of those
   * that resolved; failures are reported to listeners.
   *
   * @returns The specs, in name order.
   */
  async listPluginSpecs(): Promise<PluginSpec<P>[]> {
    const containers = (await this.listContainers()).filter((c) =>
      !c.isDisabled
    );
    const specs = await Promise.all(
      containers.map((c) => this.#lifecycle.resolve(c).catch(() => undefined)),
    );
    return specs.filter((spec) => spec !== undefined);
  }

  /**
   * The container of one plugin.
   *
   * @param name The plugin's name.
   * @returns The container, or `undefined` when there is no such plugin.
   */
  async getContainer(name: string): Promise<PluginContainer<P> | undefined> {
    return (await this.#getIndex()).get(name);
  }

  /**
   * Whether the namespace has a plugin by that name (disabled or not).
   *
   * @param name The plugin's name.
   * @returns Whether it exists.
   */
  async exists(name: string): Promise<boolean> {
    return (await this.#getIndex()).has(name);
  }

  /**
   * Whether a plugin has been loaded successfully.
   *
   * @param name The plugin's name.
   * @returns Whether it is loaded; `false` for unknown names.
   */
  async isLoaded(name: string): Promise<boolean> {
    return (await this.getContainer(name))?.isLoaded ?? false;
  }

  #getIndex(): Promise<Index<P>> {
    // A finder that throws (a directory finder in strict mode) rejects the
    // call; the next call asks the finder again.
    return this.#index ??= this.#buildIndex().catch((error) => {
      this.#index = undefined;
      throw error;
    });
  }

  async #buildIndex(): Promise<Index<P>> {
    const problems: Error[] = [];
    const reported: Error[] = [];
    let listed = false;
    // Problems met while listing are reported once the list is complete;
    // those a finder meets later (a fallback while resolving) right away.
    const report = (error: Error) => {
      if (!listed) {
        problems.push(error);
        reported.push(error);
      } else {
        this.#listener.onResolveException(this.namespace, undefined, error)
          .catch(() => {});
      }
    };
    const found = await this.#finderOrDefault().findPlugins({
      namespace: this.namespace,
      report,
    });
    const index: Index<P> = new Map();
    for (const item of found) {
      const entry = toEntry(item);
      if (entry === undefined) {
        problems.push(
          new TypeError(
            `a plugin finder of ${this.namespace} returned ${typeof item}, ` +
              "which is neither a PluginSpec nor a plugin entry (namespace, name, resolve())",
          ),
        );
        continue;
      }
      if (entry.info.namespace !== this.namespace) continue;
      const existing = index.get(entry.info.name);
      if (existing !== undefined) {
        problems.push(conflict(existing.info, entry.info));
        continue;
      }
      const container = new PluginContainer<P>(
        entry.info,
        entry.spec as PluginSpec<P> | undefined,
      );
      container.disabledReason = this.#filterReason(entry.info);
      if (entry.lazy !== undefined) {
        this.#lifecycle.track(container, entry.lazy);
      }
      index.set(entry.info.name, container);
    }
    listed = true;
    this.#problems = reported;
    for (const problem of problems) {
      await this.#listener.onResolveException(
        this.namespace,
        undefined,
        problem,
      );
    }
    return new Map([...index].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  #finderOrDefault(): PluginFinder {
    return this.#finder ?? defaultFinder();
  }

  #filterReason(info: PluginInfo): string | undefined {
    for (const filter of this.#filters) {
      const matches = typeof filter === "function"
        ? filter(info)
        : filter.matches(info);
      if (matches) return "excluded by a plugin filter";
    }
    return undefined;
  }

  #unknown(name: string, index: Index<P>): PluginException {
    const finder = this.#finder ?? defaultFinder();
    return unknownPlugin(
      this.namespace,
      name,
      [...index.keys()],
      this.#problems,
      finder instanceof ImportMapFinder,
    );
  }
}

function toEntry(
  item: unknown,
): { info: PluginInfo; spec?: PluginSpec; lazy?: PluginEntry } | undefined {
  if (item instanceof PluginSpec) {
    return { info: { namespace: item.namespace, name: item.name }, spec: item };
  }
  const entry = item as Partial<PluginEntry> | null;
  if (
    typeof entry === "object" && entry !== null &&
    typeof entry.namespace === "string" &&
    typeof entry.name === "string" && typeof entry.resolve === "function"
  ) {
    return { info: entry as PluginEntry, lazy: entry as PluginEntry };
  }
  return undefined;
}
