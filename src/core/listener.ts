import { PluginException } from "./errors.ts";
import { errorText, isError, terminalText } from "./_error_text.ts";
import type { Plugin } from "./plugin.ts";
import type { PluginSpec } from "./plugin_spec.ts";
import type { PluginInfo } from "./plugin_info.ts";

/**
 * Hooks into the lifecycle of the plugins of a manager; every hook is
 * optional and may be async (the manager awaits it). A hook that throws
 * `PluginDisabled` disables the plugin; one that throws another
 * `PluginException` fails the step; anything else it throws is reported and
 * ignored.
 *
 * Order for one plugin: `onResolveAfter` (or `onResolveException`),
 * `onInitAfter` (or `onInitException`), `onLoadBefore`, then `onLoadAfter`
 * (or `onLoadException`).
 *
 * @example Reporting what loads
 * ```ts
 * import type { PluginLifecycleListener } from "@plux/core";
 *
 * const report: PluginLifecycleListener = {
 *   onLoadAfter(spec) {
 *     console.log(`loaded ${spec}`);
 *   },
 *   onLoadException(spec, _plugin, error) {
 *     console.error(`${spec} failed:`, error);
 *   },
 * };
 * ```
 */
export interface PluginLifecycleListener {
  /**
   * A plugin, or a whole package or index, could not be resolved.
   *
   * @param namespace The manager's namespace.
   * @param plugin The plugin, or `undefined` when a finder reported a problem
   * not tied to one plugin (an unreadable index).
   * @param error What went wrong.
   */
  onResolveException?(
    namespace: string,
    plugin: PluginInfo | undefined,
    error: unknown,
  ): void | Promise<void>;
  /**
   * A plugin's code was resolved to a spec.
   *
   * @param spec The spec.
   */
  onResolveAfter?(spec: PluginSpec): void | Promise<void>;
  /**
   * The factory of a plugin failed.
   *
   * @param spec The spec.
   * @param error What the factory threw.
   */
  onInitException?(spec: PluginSpec, error: unknown): void | Promise<void>;
  /**
   * A plugin was made by its factory.
   *
   * @param spec The spec.
   * @param plugin The new plugin.
   */
  onInitAfter?(spec: PluginSpec, plugin: Plugin): void | Promise<void>;
  /**
   * A plugin is about to be loaded.
   *
   * @param spec The spec.
   * @param plugin The plugin.
   * @param loadArgs The arguments `load()` gets.
   */
  onLoadBefore?(
    spec: PluginSpec,
    plugin: Plugin,
    loadArgs: readonly unknown[],
  ): void | Promise<void>;
  /**
   * A plugin was loaded.
   *
   * @param spec The spec.
   * @param plugin The plugin.
   * @param loadValue What its `load()` returned.
   */
  onLoadAfter?(
    spec: PluginSpec,
    plugin: Plugin,
    loadValue: unknown,
  ): void | Promise<void>;
  /**
   * A plugin failed to load: its `load()` (or `shouldLoad()`, or a listener
   * before or after it) threw or outlasted the timeout, or a plugin it
   * requires failed to load.
   *
   * @param spec The spec.
   * @param plugin The plugin; `undefined` when a requirement failed before
   * its factory ever ran (a plugin whose requirement fails is not made).
   * @param error What `load()` threw; when a requirement failed, the
   * `PluginException` naming it (`plugin ns:api failed to load: it requires
   * ns:db, which failed to load: ...`), whose `cause` is the requirement's
   * error.
   */
  onLoadException?(
    spec: PluginSpec,
    plugin: Plugin | undefined,
    error: unknown,
  ): void | Promise<void>;
}

/** The hooks of {@linkcode PluginLifecycleListener}. */
export type PluginLifecycleEvent = keyof PluginLifecycleListener;

/** Options of {@linkcode CompositePluginLifecycleListener}. */
export interface CompositePluginLifecycleListenerOptions {
  /**
   * Receives what a listener threw that is not a `PluginException`.
   *
   * @default {logs the error with `console.error`}
   */
  onListenerError?: (error: unknown, event: PluginLifecycleEvent) => void;
}

/**
 * Calls several listeners, one after another, awaiting each. What a listener
 * throws that is not a `PluginException` is reported and ignored, so the next
 * listener still runs; a `PluginException` (such as `PluginDisabled`) stops
 * the event and reaches the manager.
 *
 * @example
 * ```ts
 * import { CompositePluginLifecycleListener } from "@plux/core";
 *
 * const listener = new CompositePluginLifecycleListener([
 *   { onLoadAfter: (spec) => console.log("loaded", `${spec}`) },
 * ]);
 * listener.add({ onLoadException: (spec) => console.log("failed", `${spec}`) });
 * ```
 */
export class CompositePluginLifecycleListener
  implements PluginLifecycleListener {
  readonly #listeners: PluginLifecycleListener[];
  readonly #onListenerError: (
    error: unknown,
    event: PluginLifecycleEvent,
  ) => void;

  /**
   * Creates a listener that calls the given ones.
   *
   * @param listeners The listeners, called in this order.
   * @param options Where errors of listeners go.
   */
  constructor(
    listeners: Iterable<PluginLifecycleListener> = [],
    options: CompositePluginLifecycleListenerOptions = {},
  ) {
    this.#listeners = [...listeners];
    this.#onListenerError = options.onListenerError ??
      ((error, event) =>
        console.error(terminalText(
          `plux: a lifecycle listener failed in ${event}: ${
            describeError(error)
          }; fix the listener, or give the manager an onListenerError`,
        )));
  }

  /**
   * Adds a listener, called after the others.
   *
   * @param listener The listener.
   */
  add(listener: PluginLifecycleListener): void {
    this.#listeners.push(listener);
  }

  /** The listeners, in call order. */
  get listeners(): readonly PluginLifecycleListener[] {
    return this.#listeners;
  }

  async #emit<E extends PluginLifecycleEvent>(
    event: E,
    args: Parameters<NonNullable<PluginLifecycleListener[E]>>,
  ): Promise<void> {
    for (const listener of this.#listeners) {
      const hook = listener[event] as
        | ((...args: unknown[]) => unknown)
        | undefined;
      if (hook === undefined) continue;
      try {
        await hook.apply(listener, args);
      } catch (error) {
        if (error instanceof PluginException) throw error;
        this.#handle(error, event);
      }
    }
  }

  /**
   * Passes a listener's error to `onListenerError`. What that throws (or
   * rejects with) is logged, never passed on: a broken error handler must not
   * fail the step the listener was told of.
   */
  #handle(error: unknown, event: PluginLifecycleEvent): void {
    const logBroken = (handlerError: unknown) =>
      console.error(terminalText(
        `plux: onListenerError failed while handling an error of a listener ` +
          `in ${event}: ${describeError(handlerError)}; the listener's error ` +
          `was: ${describeError(error)}`,
      ));
    try {
      const result: unknown = this.#onListenerError(error, event);
      // Adopted by a promise of this realm, so that a `then` that throws is
      // a rejection too; the rejection is logged, never left unhandled.
      if (isThenable(result)) {
        new Promise((resolve) => resolve(result)).catch(logBroken);
      }
    } catch (handlerError) {
      logBroken(handlerError);
    }
  }

  /** Calls `onResolveException` of every listener. */
  onResolveException(
    namespace: string,
    plugin: PluginInfo | undefined,
    error: unknown,
  ): Promise<void> {
    return this.#emit("onResolveException", [namespace, plugin, error]);
  }
  /** Calls `onResolveAfter` of every listener. */
  onResolveAfter(spec: PluginSpec): Promise<void> {
    return this.#emit("onResolveAfter", [spec]);
  }
  /** Calls `onInitException` of every listener. */
  onInitException(spec: PluginSpec, error: unknown): Promise<void> {
    return this.#emit("onInitException", [spec, error]);
  }
  /** Calls `onInitAfter` of every listener. */
  onInitAfter(spec: PluginSpec, plugin: Plugin): Promise<void> {
    return this.#emit("onInitAfter", [spec, plugin]);
  }
  /** Calls `onLoadBefore` of every listener. */
  onLoadBefore(
    spec: PluginSpec,
    plugin: Plugin,
    loadArgs: readonly unknown[],
  ): Promise<void> {
    return this.#emit("onLoadBefore", [spec, plugin, loadArgs]);
  }
  /** Calls `onLoadAfter` of every listener. */
  onLoadAfter(
    spec: PluginSpec,
    plugin: Plugin,
    loadValue: unknown,
  ): Promise<void> {
    return this.#emit("onLoadAfter", [spec, plugin, loadValue]);
  }
  /** Calls `onLoadException` of every listener. */
  onLoadException(
    spec: PluginSpec,
    plugin: Plugin | undefined,
    error: unknown,
  ): Promise<void> {
    return this.#emit("onLoadException", [spec, plugin, error]);
  }
}

/** Whether a value has a `then` method; never throws (a getter may). */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return (typeof value === "object" || typeof value === "function") &&
      value !== null &&
      typeof (value as { then?: unknown }).then === "function";
  } catch {
    return false;
  }
}

/**
 * An error's text and where it was thrown (its first stack frame), on one
 * line; never throws, whatever was thrown.
 */
function describeError(error: unknown): string {
  let frame: string | undefined;
  try {
    const stack: unknown = isError(error) ? error.stack : undefined;
    frame = typeof stack === "string"
      ? /^\s*(at .+)$/m.exec(stack)?.[1]
      : undefined;
  } catch {
    frame = undefined;
  }
  return errorText(error) + (frame === undefined ? "" : ` (${frame})`);
}
