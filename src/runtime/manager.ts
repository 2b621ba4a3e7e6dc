import { PluginDisabled, PluginException } from "../core/errors.ts";
import {
  CompositePluginLifecycleListener,
  type CompositePluginLifecycleListenerOptions,
  type PluginLifecycleListener,
} from "../core/listener.ts";
import type { Plugin } from "../core/plugin.ts";
import type { PluginInfo } from "../core/plugin_info.ts";
import { PluginSpec } from "../core/plugin_spec.ts";
import { PluginContainer } from "./container.ts";
import { globalPluginFilter, type PluginFilter } from "./filters.ts";
import type { PluginEntry, PluginFinder } from "./finder.ts";
import { describeSource } from "./_describe.ts";
import { defaultFinder } from "./import_map_finder.ts";

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

/** One attempt to load a plugin; `failedAt` is set when it fails (not disabled). */
interface LoadAttempt<P> {
  promise: Promise<P>;
  failedAt?: number;
}

type Index<P extends Plugin> = Map<
  string,
  { container: PluginContainer<P>; entry?: PluginEntry }
>;

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
  readonly #loadArgs: readonly unknown[];
  readonly #listener: CompositePluginLifecycleListener;
  readonly #filters: PluginFilter[];
  readonly #finder: PluginFinder | undefined;
  #index: Promise<Index<P>> | undefined;
  readonly #resolving = new Map<PluginContainer<P>, Promise<PluginSpec<P>>>();
  readonly #loading = new Map<PluginContainer<P>, LoadAttempt<P>>();
  /** Advances when an attempt fails; tells which calls overlap an attempt. */
  #clock = 0;

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
    this.#loadArgs = options.loadArgs ?? [];
    this.#listener = new CompositePluginLifecycleListener(
      options.listeners ?? [],
      { onListenerError: options.onListenerError },
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
    const since = this.#clock;
    const index = await this.#getIndex();
    const item = index.get(name);
    if (item === undefined) throw this.#unknown(name, index);
    return await this.#load(item.container, since);
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
    const since = this.#clock;
    const containers = await this.listContainers();
    await Promise.all(
      containers.filter((c) => !c.isDisabled).map((c) =>
        this.#resolve(c).catch(() => {})
      ),
    );
    const plugins: P[] = [];
    for (const container of containers) {
      try {
        plugins.push(await this.#load(container, since));
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
    return [...(await this.#getIndex()).values()].map((item) => item.container);
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
      containers.map((c) => this.#resolve(c).catch(() => undefined)),
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
    return (await this.#getIndex()).get(name)?.container;
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
    let listed = false;
    // Problems met while listing are reported once the list is complete;
    // those a finder meets later (a fallback while resolving) right away.
    const report = (error: Error) => {
      if (!listed) problems.push(error);
      else {
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
        problems.push(conflict(existing.container.info, entry.info));
        continue;
      }
      const container = new PluginContainer<P>(
        entry.info,
        entry.spec as PluginSpec<P> | undefined,
      );
      container.disabledReason = this.#filterReason(entry.info);
      index.set(entry.info.name, { container, entry: entry.lazy });
    }
    listed = true;
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

  #resolve(container: PluginContainer<P>): Promise<PluginSpec<P>> {
    let pending = this.#resolving.get(container);
    if (pending === undefined) {
      pending = this.#doResolve(container);
      this.#resolving.set(container, pending);
    }
    return pending;
  }

  async #doResolve(container: PluginContainer<P>): Promise<PluginSpec<P>> {
    const entry = (await this.#getIndex()).get(container.name)?.entry;
    if (container.spec !== undefined && entry === undefined) {
      await this.#guard(
        container,
        () => this.#listener.onResolveAfter(container.spec!),
      );
      return container.spec;
    }
    let spec: PluginSpec<P>;
    try {
      spec = await entry!.resolve() as PluginSpec<P>;
      if (!(spec instanceof PluginSpec)) {
        throw new TypeError(
          `the finder resolved it to ${typeof spec}, not a PluginSpec`,
        );
      }
      if (
        spec.namespace !== container.namespace || spec.name !== container.name
      ) {
        throw new TypeError(
          `its code declares ${spec.namespace}:${spec.name} instead; ` +
            "the index that lists it is stale",
        );
      }
    } catch (error) {
      container.resolveError = error;
      await this.#listener.onResolveException(
        this.namespace,
        container.info,
        error,
      );
      throw new PluginException(
        `plugin ${container.namespace}:${container.name} could not be resolved: ${
          message(error)
        }`,
        {
          namespace: container.namespace,
          pluginName: container.name,
          cause: error,
        },
      );
    }
    container.spec = spec;
    await this.#guard(container, () => this.#listener.onResolveAfter(spec));
    return spec;
  }

  /** Runs a listener call; a `PluginDisabled` it throws disables the plugin. */
  async #guard(
    container: PluginContainer<P>,
    call: () => Promise<void>,
  ): Promise<void> {
    try {
      await call();
    } catch (error) {
      if (error instanceof PluginDisabled) {
        container.disabledReason = error.reason;
      }
      throw error;
    }
  }

  /**
   * Loads a container for a call that started at `since`. A call shares the
   * attempt that was running or had succeeded or disabled the plugin when it
   * started, so that concurrent callers see one outcome; an attempt that had
   * already failed is retried.
   */
  #load(container: PluginContainer<P>, since: number): Promise<P> {
    const previous = this.#loading.get(container);
    if (
      previous !== undefined &&
      (previous.failedAt === undefined || previous.failedAt > since)
    ) {
      return previous.promise;
    }
    const attempt: LoadAttempt<P> = {
      promise: this.#doLoad(container).catch((error) => {
        if (!container.isDisabled) attempt.failedAt = ++this.#clock;
        throw error;
      }),
    };
    this.#loading.set(container, attempt);
    return attempt.promise;
  }

  async #doLoad(container: PluginContainer<P>): Promise<P> {
    const { namespace, name } = container;
    if (container.disabledReason !== undefined) {
      throw new PluginDisabled(namespace, name, container.disabledReason);
    }
    const failure = (step: string, error: unknown) =>
      new PluginException(
        `plugin ${namespace}:${name} failed to ${step}: ${message(error)}`,
        {
          namespace,
          pluginName: name,
          cause: error,
        },
      );
    const disabled = (reason: string) => {
      container.disabledReason = reason;
      return new PluginDisabled(namespace, name, reason);
    };

    let spec: PluginSpec<P>;
    try {
      spec = await this.#resolve(container);
    } catch (error) {
      if (error instanceof PluginDisabled) throw disabled(error.reason);
      throw error;
    }

    if (!container.isInit) {
      try {
        const plugin = await spec.factory();
        if (!isPluginLike(plugin)) {
          throw new TypeError(
            `its factory returned ${
              plugin === null ? "null" : typeof plugin
            }, ` +
              "not a plugin (an object with shouldLoad() and load())",
          );
        }
        container.plugin = plugin;
        container.isInit = true;
        container.initError = undefined;
        await this.#listener.onInitAfter(spec, plugin);
      } catch (error) {
        if (error instanceof PluginDisabled) throw disabled(error.reason);
        container.plugin = undefined;
        container.isInit = false;
        container.initError = error;
        await this.#listener.onInitException(spec, error);
        throw failure("initialise", error);
      }
    }
    const plugin = container.plugin!;

    try {
      if (!(await plugin.shouldLoad())) {
        throw new PluginDisabled(
          namespace,
          name,
          "shouldLoad() returned false",
        );
      }
      await this.#listener.onLoadBefore(spec, plugin, this.#loadArgs);
      const loadValue = await plugin.load(...this.#loadArgs);
      await this.#listener.onLoadAfter(spec, plugin, loadValue);
      container.loadValue = loadValue;
      container.loadError = undefined;
      container.isLoaded = true;
      return plugin;
    } catch (error) {
      if (error instanceof PluginDisabled) throw disabled(error.reason);
      container.loadError = error;
      await this.#listener.onLoadException(spec, plugin, error);
      throw failure("load", error);
    }
  }

  #unknown(name: string, index: Index<P>): PluginException {
    const known = [...index.keys()];
    const listed = known.length === 0
      ? "it has no plugins"
      : `its plugins are ${known.slice(0, 10).join(", ")}${
        known.length > 10 ? ", ..." : ""
      }`;
    return new PluginException(
      `no plugin named "${name}" in namespace ${this.namespace}: ${listed}. ` +
        "Check the name, or run `plux list " + this.namespace +
        "` to see what is discovered",
      { namespace: this.namespace, pluginName: name },
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

function conflict(kept: PluginInfo, dropped: PluginInfo): PluginException {
  return new PluginException(
    `plugin ${kept.namespace}:${kept.name} is offered twice: by ${
      describeSource(kept)
    } ` +
      `and by ${describeSource(dropped)}; the first is used. ` +
      "Rename one of them, or remove one package from the import map",
    { namespace: kept.namespace, pluginName: kept.name },
  );
}

function isPluginLike(value: unknown): value is Plugin {
  const plugin = value as Plugin | null;
  return (typeof plugin === "object" || typeof plugin === "function") &&
    plugin !== null &&
    typeof plugin.load === "function" &&
    typeof plugin.shouldLoad === "function";
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
