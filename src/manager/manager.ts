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
import type { PluginLifecycleListener } from "../core/listener.ts";
import type { Plugin } from "../core/plugin.ts";
import type { PluginSpec } from "../core/plugin_spec.ts";
import type { PluginFinder } from "../core/finder.ts";
import type { PluginContainer } from "./container.ts";
import {
  FilterDecisions,
  globalPluginFilter,
  type PluginFilter,
} from "./filters.ts";
import { buildIndex, type Index, type LoadPlan } from "./_index.ts";
import { PluginLifecycle } from "./_lifecycle.ts";
import {
  checkConcurrency,
  type ListOptions,
  type LoadAllOptions,
  type LoadOptions,
  type PluginManagerOptions,
} from "./options.ts";
import { loadPlanned, runInWaves } from "./_requirements.ts";
import { checkTimeout } from "../core/_values.ts";
import {
  checkSignal,
  limitsOf,
  settleWithin,
  WaitEnded,
  type WaitLimits,
} from "./_wait.ts";
import {
  defaultFinder,
  ImportMapFinder,
} from "../finders/import_map/import_map_finder.ts";
import { ReportingListener } from "./_problem_report.ts";
import { unknownPlugin } from "./_messages.ts";

export type { ListOptions, LoadAllOptions, LoadOptions, PluginManagerOptions };

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
 * A plugin's `requires` and `after` (known from the finder before any code is
 * imported) order the loading: what it requires, and what it comes after when
 * present, loads first. A requirement that is missing or disabled disables
 * it, one that fails fails it; a cycle disables every plugin on it and is
 * reported to `onResolveException`.
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
  readonly #filters: FilterDecisions;
  readonly #finder: PluginFinder | undefined;
  readonly #loadTimeout: number;
  #index: Promise<Index<P>> | undefined;
  /** The problems the finder reported while listing, for unknown names. */
  #problems: readonly unknown[] = [];
  /** The plugins and their load order, once listed. */
  #plan: LoadPlan<P> | undefined;
  /** The plan of the last listing, when it was incomplete. */
  #incomplete: LoadPlan<P> | undefined;

  /**
   * Creates a manager for one namespace.
   *
   * @param namespace The namespace, for example `"my.services"`.
   * @param options Load arguments, listeners, filters and the finder.
   * @throws {TypeError} When the namespace is not a non-empty string, or
   * `loadTimeout` is not a number of milliseconds.
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
    const filters: PluginFilter[] = [...(options.filters ?? [])];
    if (options.useGlobalFilter ?? true) filters.unshift(globalPluginFilter);
    // A filter that throws is reported once per plugin and message.
    const reported = new Map<string, string>();
    this.#filters = new FilterDecisions(filters, (info, problem) => {
      if (reported.get(info.name) === problem.message) return;
      reported.set(info.name, problem.message);
      this.#listener.onResolveException(namespace, info, problem)
        .catch(() => {}); // the plugin is disabled already
    });
    this.#lifecycle = new PluginLifecycle(
      namespace,
      [...(options.loadArgs ?? [])],
      this.#listener,
      this.#filters,
    );
    this.#finder = options.finder;
    this.#loadTimeout = options.loadTimeout === undefined
      ? Infinity
      : checkTimeout(
        options.loadTimeout,
        "PluginManager option loadTimeout",
      );
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
   * happened yet. The filters are applied again first, as they stand now.
   * What it requires, and the plugins it comes after that are present, are
   * loaded first (their modules and its own are imported together; no other
   * plugin's module is).
   *
   * @param name The plugin's name.
   * @param options A signal and a timeout that bound the wait.
   * @returns The plugin instance.
   * @throws {PluginException} When no plugin has that name, or it or a
   * requirement fails to resolve, initialise or load in time (the original
   * error is the `cause`).
   * @throws {PluginDisabled} When the plugin is disabled, or a requirement is
   * missing or disabled, now and on every later call.
   * @throws {TypeError} When an option has the wrong type.
   * @throws The signal's reason, when it aborts before the plugins are listed.
   */
  async load(name: string, options: LoadOptions = {}): Promise<P> {
    const since = this.#lifecycle.now;
    const limits = limitsOf(options, "load()", this.#loadTimeout);
    const index = await this.#indexWithin(limits);
    const container = index.get(name);
    if (container === undefined) throw this.#unknown(name, index);
    // What it waits for loads wave by wave, not by recursion: a chain of
    // thousands of requirements takes no stack.
    const waves = this.#lifecycle.prepare(container);
    await runInWaves(waves, Infinity, async (other) => {
      await this.#lifecycle.load(other, since, limits).catch((error) =>
        this.#reportSkipped(other, error)
      );
    }, () => limits.signal?.aborted === true);
    return await this.#lifecycle.load(container, since, limits);
  }

  /**
   * Loads every plugin of the namespace that is not disabled, in dependency
   * order: each plugin after what it requires and the present plugins it
   * comes after, ties broken by name (so without declarations, in name
   * order). The imports of all their modules start at once; each plugin is
   * initialised and loaded once its own module is in and what it waits for
   * has loaded. With `concurrency`, up to that many plugins of a wave load
   * together. A plugin that fails, or outlasts the `timeout`, is skipped
   * (and reported to the listeners), and so are the plugins that require
   * it; the others load.
   *
   * @param options Whether to throw the first failure; how many plugins load
   * at once; a signal and a per-plugin timeout.
   * @returns The plugins that loaded, in load order.
   * @throws {PluginException} Only with `propagateExceptions: true`.
   * @throws {TypeError} When an option has the wrong type.
   * @throws The signal's reason, when it aborts: the plugins being loaded then
   * fail (and are reported), and no other plugin is started.
   */
  async loadAll(options: LoadAllOptions = {}): Promise<P[]> {
    const since = this.#lifecycle.now;
    const limits = limitsOf(options, "loadAll()", this.#loadTimeout);
    const concurrency = checkConcurrency(options.concurrency);
    const index = await this.#indexWithin(limits);
    const plan = this.#plan!;
    this.#lifecycle.prepareAll([...index.values()]);
    const outcomes = await loadPlanned(
      plan,
      concurrency,
      (container) => this.#lifecycle.load(container, since, limits),
      (containers) => this.#lifecycle.prepareAll(containers),
      (error) =>
        limits.signal?.aborted === true ||
        (options.propagateExceptions === true &&
          !(error instanceof PluginDisabled)),
    );
    limits.signal?.throwIfAborted();
    const plugins: P[] = [];
    for (const [container, outcome] of outcomes) {
      if ("plugin" in outcome) plugins.push(outcome.plugin);
      else if (outcome.failed instanceof PluginDisabled) continue;
      else if (options.propagateExceptions) throw outcome.failed;
      else this.#reportSkipped(container, outcome.failed);
    }
    return plugins;
  }

  /** Reports a failed init or load that no caller sees thrown. */
  #reportSkipped(container: PluginContainer<P>, error: unknown): void {
    if (error instanceof PluginDisabled) return;
    if (container.initError !== undefined) {
      this.#listener.reportSkipped("init", container.info, error);
    } else if (container.loadError !== undefined) {
      this.#listener.reportSkipped("load", container.info, error);
    }
  }

  /**
   * The names of every plugin of the namespace, disabled ones included. No
   * plugin code is imported. A listing the finder reports as incomplete (a
   * remote index that did not arrive in time) is made again on the next
   * call.
   *
   * @param options A signal that ends the wait.
   * @returns The names, sorted.
   * @throws {TypeError} When the signal is not an `AbortSignal`.
   * @throws The signal's reason, when it aborts before the plugins are listed.
   */
  async listNames(options: ListOptions = {}): Promise<string[]> {
    return [...(await this.#listed(options, "listNames()")).keys()];
  }

  /**
   * The containers of every plugin of the namespace. No plugin code is
   * imported.
   *
   * @param options A signal that ends the wait.
   * @returns The containers, in name order.
   * @throws {TypeError} When the signal is not an `AbortSignal`.
   * @throws The signal's reason, when it aborts before the plugins are listed.
   */
  async listContainers(
    options: ListOptions = {},
  ): Promise<PluginContainer<P>[]> {
    return [...(await this.#listed(options, "listContainers()")).values()];
  }

  #listed(options: ListOptions, call: string): Promise<Index<P>> {
    const signal = checkSignal(options.signal, `${call} option signal`);
    return signal === undefined
      ? this.#getIndex()
      : this.#indexWithin({ signal, timeout: Infinity });
  }

  /**
   * Resolves every plugin that is not disabled (the filters are applied
   * again first) and returns the specs of those that resolved; failures,
   * and imports that outlast the timeout, are reported to listeners.
   *
   * @param options A signal and a timeout that bound the wait.
   * @returns The specs, in name order.
   * @throws {TypeError} When an option has the wrong type.
   * @throws The signal's reason, when it aborts.
   */
  async listPluginSpecs(options: LoadOptions = {}): Promise<PluginSpec<P>[]> {
    const limits = limitsOf(options, "listPluginSpecs()", this.#loadTimeout);
    const containers = [...(await this.#indexWithin(limits)).values()];
    this.#lifecycle.prefetch(containers);
    const specs = await Promise.all(
      containers.filter((c) => !c.isDisabled).map((c) =>
        this.#lifecycle.resolveWithin(c, limits).catch(() => undefined)
      ),
    );
    limits.signal?.throwIfAborted();
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

  /** The index, waited for until the signal aborts (then its reason is thrown). */
  async #indexWithin(limits: WaitLimits): Promise<Index<P>> {
    try {
      return await settleWithin(this.#getIndex(), "the plugins", {
        signal: limits.signal,
        timeout: Infinity,
      });
    } catch (error) {
      if (error instanceof WaitEnded) throw error.cause;
      throw error;
    }
  }

  #getIndex(): Promise<Index<P>> {
    // A finder that throws (a directory finder in strict mode) rejects the
    // call; the next call asks the finder again. So does an incomplete
    // listing (a remote index that did not arrive in time), keeping the
    // containers it made.
    return this.#index ??= buildIndex<P>({
      namespace: this.namespace,
      finder: this.#finderOrDefault(),
      listener: this.#listener,
      // Not final: a load applies the filters again, as they stand then.
      filterReason: (info) => this.#filters.reason(info, true),
      known: (plan) => this.#lifecycle.know(plan),
      previous: this.#incomplete,
    }).then(({ plan, problems, incomplete }) => {
      this.#problems = problems;
      this.#plan = plan;
      this.#incomplete = incomplete ? plan : undefined;
      if (incomplete) this.#index = undefined;
      return plan.index;
    }, (error) => {
      this.#index = undefined;
      throw error;
    });
  }

  #finderOrDefault(): PluginFinder {
    return this.#finder ?? defaultFinder();
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
