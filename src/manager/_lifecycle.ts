import { PluginDisabled } from "../core/errors.ts";
import type { CompositePluginLifecycleListener } from "../core/listener.ts";
import { isPluginLike, type Plugin } from "../core/plugin.ts";
import { FunctionPlugin } from "../core/function_plugin.ts";
import type { PluginSpec } from "../core/plugin_spec.ts";
import type { PluginContainer } from "./container.ts";
import {
  causeOf,
  listenerHangFix,
  pluginHangFix,
  stepFailure,
} from "./_messages.ts";
import {
  blockedReason,
  disableBlocked,
  loadFirst,
  loadsFirst,
} from "./_requirements.ts";
import { PluginResolution, report } from "./_resolution.ts";
import type { LoadPlan } from "./_index.ts";
import type { FilterDecisions } from "./filters.ts";
import {
  OneCallAtATime,
  settleWithin,
  WaitEnded,
  type WaitLimits,
} from "./_wait.ts";

/** One attempt to load a plugin; `failedAt` is set when it fails (not disabled). */
interface LoadAttempt<P> {
  promise: Promise<P>;
  settled: boolean;
  failedAt?: number;
}

/**
 * The lifecycle of the plugins of one namespace: resolve (import the code),
 * init (call the factory), load (`shouldLoad()`, then `load(...loadArgs)`),
 * with the listener calls around each step. Each step happens at most once
 * per plugin however many calls overlap; a failed init or load is retried by
 * a call that starts after it failed. Every wait is bounded by the call's
 * {@linkcode WaitLimits}. {@linkcode PluginManager} keeps the namespace's
 * index of containers and hands them to this.
 *
 * @typeParam P The type of the namespace's plugins.
 */
export class PluginLifecycle<P extends Plugin> {
  readonly #loadArgs: readonly unknown[];
  readonly #listener: CompositePluginLifecycleListener;
  readonly #resolution: PluginResolution<P>;
  readonly #loading = new Map<PluginContainer<P>, LoadAttempt<P>>();
  /** Each plugin's code runs one call at a time, even after a timeout. */
  readonly #calls = new OneCallAtATime<PluginContainer<P>>();
  readonly #filters: FilterDecisions;
  /** The namespace's plugins and their order, once listed. */
  #plan: LoadPlan<P> | undefined;
  /** Advances when an attempt fails; tells which calls overlap an attempt. */
  #clock = 0;

  /**
   * @param namespace The namespace, for listener calls.
   * @param loadArgs The arguments of every plugin's `load()` (copied).
   * @param listener The manager's listeners.
   * @param filters The manager's filters.
   */
  constructor(
    namespace: string,
    loadArgs: readonly unknown[],
    listener: CompositePluginLifecycleListener,
    filters: FilterDecisions,
  ) {
    this.#loadArgs = Object.freeze([...loadArgs]);
    this.#listener = listener;
    this.#filters = filters;
    this.#resolution = new PluginResolution(
      namespace,
      listener,
      (spec: PluginSpec<P>, container: PluginContainer<P>) =>
        this.#plan?.resolved(spec, container),
    );
  }

  /** The current time of the failure clock; pass it to {@linkcode load}. */
  get now(): number {
    return this.#clock;
  }

  /** Where the namespace's plugins are found, by name. */
  get #index(): ReadonlyMap<string, PluginContainer<P>> {
    return this.#plan?.index ?? new Map();
  }

  /**
   * Tells where the namespace's plugins are and their order, so that a
   * plugin's requirements and `after` plugins can be loaded first.
   *
   * @param plan The plugins and their order.
   */
  know(plan: LoadPlan<P>): void {
    this.#plan = plan;
  }

  /**
   * Prepares `load(name)` without importing anything first: disables the
   * plugin when a requirement (or theirs) is missing or disabled now, and
   * otherwise starts resolving it and everything it loads first (its
   * requirements and present, enabled `after` plugins, theirs, and so on),
   * so that their modules are imported together and no other.
   *
   * @param container The plugin.
   * @returns What loads first, in waves; the plugin is not in them.
   */
  prepare(container: PluginContainer<P>): PluginContainer<P>[][] {
    const enabledNow = (c: PluginContainer<P>) => this.#enabledNow(c);
    disableBlocked([container], this.#index, enabledNow);
    if (container.isDisabled) return [];
    const waves = loadsFirst(container, this.#index, enabledNow);
    // The filters were applied to each of them just now.
    this.#resolution.resolve(container).catch(() => {});
    for (const other of waves.flat()) {
      this.#resolution.resolve(other).catch(() => {});
    }
    return waves;
  }

  /**
   * Prepares `loadAll()`: disables the plugins whose requirements are
   * missing or disabled now, then starts resolving every other one, without
   * waiting, so that a finder can import their modules together.
   *
   * @param containers The plugins.
   */
  prepareAll(containers: readonly PluginContainer<P>[]): void {
    disableBlocked(containers, this.#index, (c) => this.#enabledNow(c));
    // The filters were applied to each of them just now.
    for (const container of containers) {
      if (!container.isDisabled) {
        this.#resolution.resolve(container).catch(() => {});
      }
    }
  }

  /**
   * Starts resolving every plugin that is enabled now, without waiting, so
   * that a finder can import their modules together.
   *
   * @param containers The plugins.
   */
  prefetch(containers: readonly PluginContainer<P>[]): void {
    for (const container of containers) {
      if (this.#enabledNow(container)) {
        this.#resolution.resolve(container).catch(() => {});
      }
    }
  }

  #enabledNow(container: PluginContainer<P>): boolean {
    return !this.#filtered(container, false);
  }

  /**
   * Waits for a plugin's code within the limits (see
   * {@linkcode PluginResolution.resolveWithin}).
   *
   * @param container The plugin.
   * @param limits The call's signal and timeout.
   * @returns Its spec.
   */
  resolveWithin(
    container: PluginContainer<P>,
    limits: WaitLimits,
  ): Promise<PluginSpec<P>> {
    return this.#resolution.resolveWithin(container, limits);
  }

  /**
   * Loads a container for a call that started at `since`. A call shares the
   * attempt that was running or had succeeded or disabled the plugin when it
   * started, so that concurrent callers see one outcome, but waits for a
   * running one only as long as its own limits allow; an attempt that had
   * already failed is retried, and so is one that disabled the plugin for a
   * reason taken back since.
   *
   * @param container The plugin.
   * @param since {@linkcode now} when the call started.
   * @param limits The call's signal and timeout.
   * @returns The plugin.
   */
  load(
    container: PluginContainer<P>,
    since: number,
    limits: WaitLimits,
  ): Promise<P> {
    const previous = this.#loading.get(container);
    // One that disabled it for a reason taken back since is not shared.
    const released = previous?.settled === true &&
      previous.failedAt === undefined && !container.isLoaded &&
      !container.isDisabled;
    if (
      previous !== undefined && !released &&
      (previous.failedAt === undefined || previous.failedAt > since)
    ) {
      return previous.settled
        ? previous.promise
        : this.#join(container, previous.promise, limits);
    }
    const attempt: LoadAttempt<P> = {
      settled: false,
      promise: this.#doLoad(container, since, limits).then(
        (plugin) => {
          attempt.settled = true;
          return plugin;
        },
        (error) => {
          attempt.settled = true;
          if (!container.isDisabled) attempt.failedAt = ++this.#clock;
          throw error;
        },
      ),
    };
    this.#loading.set(container, attempt);
    return attempt.promise;
  }

  async #join(
    container: PluginContainer<P>,
    running: Promise<P>,
    limits: WaitLimits,
  ): Promise<P> {
    try {
      return await settleWithin(
        running,
        "the load of it that another call started",
        limits,
      );
    } catch (error) {
      if (!(error instanceof WaitEnded)) throw error;
      throw stepFailure(container, "load", error);
    }
  }

  /** An attempt; a `PluginDisabled` from any step or listener disables the plugin. */
  async #doLoad(
    container: PluginContainer<P>,
    since: number,
    limits: WaitLimits,
  ): Promise<P> {
    try {
      return await this.#attempt(container, since, limits);
    } catch (error) {
      if (!(error instanceof PluginDisabled)) throw error;
      container.disabledReason = error.reason;
      throw new PluginDisabled(
        container.namespace,
        container.name,
        error.reason,
      );
    }
  }

  /** Whether the filters (see {@linkcode FilterDecisions.check}) disable it. */
  #filtered(container: PluginContainer<P>, final: boolean): boolean {
    const blocked = () => this.#plan?.order.blocked.get(container.name);
    return this.#filters.check(container, final, blocked);
  }

  async #attempt(
    container: PluginContainer<P>,
    since: number,
    limits: WaitLimits,
  ): Promise<P> {
    if (this.#filtered(container, true)) {
      throw new PluginDisabled(
        container.namespace,
        container.name,
        container.disabledReason!,
      );
    }
    // A requirement known to be off: nothing of this plugin is imported.
    const blocked = blockedReason(container, this.#index);
    if (blocked !== undefined) {
      throw new PluginDisabled(container.namespace, container.name, blocked);
    }
    // Its code first: it may declare other than listed (a directory fallback).
    const spec = await this.#resolution.resolveWithin(container, limits);
    if (container.isDisabled) {
      throw new PluginDisabled(
        container.namespace,
        container.name,
        container.disabledReason!,
      );
    }
    let context;
    try {
      context = await loadFirst(
        container,
        this.#index,
        (other) => this.load(other, since, limits),
      );
    } catch (error) {
      if (error instanceof PluginDisabled) throw error;
      // The PluginException naming the requirement, its cause the
      // requirement's error; listeners hear it like any failed load.
      container.loadError = error;
      await report(
        container,
        this.#listener.onLoadException(spec, container.plugin, error),
        limits,
      );
      throw error;
    }
    const startedAt = performance.now(); // init and load share the timeout
    const wait =
      (fix: () => string) => <T>(work: T | PromiseLike<T>, what: string) =>
        settleWithin(work, what, limits, startedAt, fix);
    // The plugin's code, one call at a time, or the application's listeners.
    const call = <T>(what: string, run: () => T | PromiseLike<T>) =>
      this.#calls.run(
        container,
        what,
        run,
        wait(() => pluginHangFix(container, limits.timeoutFrom)),
      );
    const listeners = <T>(work: T | PromiseLike<T>, hook: string) =>
      wait(() => listenerHangFix(hook, limits.timeoutFrom))(
        work,
        `the ${hook} listeners`,
      );

    if (!container.isInit) {
      try {
        const plugin = await call("its factory", () => spec.factory());
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
        await listeners(
          this.#listener.onInitAfter(spec, plugin),
          "onInitAfter",
        );
      } catch (error) {
        if (error instanceof PluginDisabled) throw error;
        container.plugin = undefined;
        container.isInit = false;
        container.initError = causeOf(error);
        await report(
          container,
          this.#listener.onInitException(spec, causeOf(error)),
          limits,
        );
        throw stepFailure(container, "initialise", error);
      }
    }
    const plugin = container.plugin!;
    const args = context === undefined
      ? this.#loadArgs
      : Object.freeze([...this.#loadArgs, context]);

    try {
      if (!(await call("its shouldLoad()", () => plugin.shouldLoad()))) {
        throw new PluginDisabled(
          container.namespace,
          container.name,
          "shouldLoad() returned false",
        );
      }
      await listeners(
        this.#listener.onLoadBefore(spec, plugin, args),
        "onLoadBefore",
      );
      const made = plugin instanceof FunctionPlugin && plugin.options.make;
      const what = made ? "its make() or load()" : "its load()";
      const loadValue = await call(what, () => plugin.load(...args));
      await listeners(
        this.#listener.onLoadAfter(spec, plugin, loadValue),
        "onLoadAfter",
      );
      container.loadValue = loadValue;
      container.loadError = undefined;
      container.isLoaded = true;
      return plugin;
    } catch (error) {
      if (error instanceof PluginDisabled) throw error;
      container.loadError = causeOf(error);
      await report(
        container,
        this.#listener.onLoadException(spec, plugin, causeOf(error)),
        limits,
      );
      throw stepFailure(container, "load", error);
    }
  }
}
