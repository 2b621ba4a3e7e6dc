import { PluginDisabled, PluginException } from "../core/errors.ts";
import type { PluginEntry } from "../core/finder.ts";
import type { CompositePluginLifecycleListener } from "../core/listener.ts";
import type { Plugin } from "../core/plugin.ts";
import { PluginSpec } from "../core/plugin_spec.ts";
import type { PluginContainer } from "./container.ts";

/** One attempt to load a plugin; `failedAt` is set when it fails (not disabled). */
interface LoadAttempt<P> {
  promise: Promise<P>;
  failedAt?: number;
}

/**
 * The lifecycle of the plugins of one namespace: resolve (import the code),
 * init (call the factory), load (`shouldLoad()`, then `load(...loadArgs)`),
 * with the listener calls around each step. Each step happens at most once
 * per plugin however many calls overlap; a failed init or load is retried by
 * a call that starts after it failed. {@linkcode PluginManager} keeps the
 * namespace's index of containers and hands them to this.
 *
 * @typeParam P The type of the namespace's plugins.
 */
export class PluginLifecycle<P extends Plugin> {
  readonly #namespace: string;
  readonly #loadArgs: readonly unknown[];
  readonly #listener: CompositePluginLifecycleListener;
  readonly #entries = new WeakMap<PluginContainer<P>, PluginEntry>();
  readonly #resolving = new Map<PluginContainer<P>, Promise<PluginSpec<P>>>();
  readonly #loading = new Map<PluginContainer<P>, LoadAttempt<P>>();
  /** Advances when an attempt fails; tells which calls overlap an attempt. */
  #clock = 0;

  /**
   * @param namespace The namespace, for messages and listener calls.
   * @param loadArgs The arguments of every plugin's `load()`.
   * @param listener The manager's listeners.
   */
  constructor(
    namespace: string,
    loadArgs: readonly unknown[],
    listener: CompositePluginLifecycleListener,
  ) {
    this.#namespace = namespace;
    this.#loadArgs = loadArgs;
    this.#listener = listener;
  }

  /** The current time of the failure clock; pass it to {@linkcode load}. */
  get now(): number {
    return this.#clock;
  }

  /**
   * Tells where a container's code comes from when it has no spec yet.
   *
   * @param container The plugin.
   * @param entry The finder's lazy entry.
   */
  track(container: PluginContainer<P>, entry: PluginEntry): void {
    this.#entries.set(container, entry);
  }

  /**
   * Resolves a plugin's code once: every call gets the same outcome.
   *
   * @param container The plugin.
   * @returns Its spec.
   */
  resolve(container: PluginContainer<P>): Promise<PluginSpec<P>> {
    let pending = this.#resolving.get(container);
    if (pending === undefined) {
      pending = this.#doResolve(container);
      this.#resolving.set(container, pending);
    }
    return pending;
  }

  async #doResolve(container: PluginContainer<P>): Promise<PluginSpec<P>> {
    const entry = this.#entries.get(container);
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
        this.#namespace,
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
  load(container: PluginContainer<P>, since: number): Promise<P> {
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
      spec = await this.resolve(container);
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
