import { DISABLED_BRAND, EXCEPTION_BRAND, hasBrand } from "./_brand.ts";

/** Options of {@linkcode PluginException}. */
export interface PluginExceptionOptions extends ErrorOptions {
  /** The namespace of the plugin the failure belongs to. */
  namespace?: string;
  /** The name of the plugin the failure belongs to. */
  pluginName?: string;
}

/**
 * The failure of a plugin: it names the namespace and the plugin, and keeps
 * the plugin's own error as `cause`.
 *
 * `instanceof PluginException` recognises exceptions made by any copy of
 * `@plux/core` in the process, not only this one.
 *
 * @example Throwing and inspecting a plugin failure
 * ```ts
 * import { PluginException } from "@plux/core";
 *
 * const error = new PluginException("plugin my.services:db failed to load", {
 *   namespace: "my.services",
 *   pluginName: "db",
 *   cause: new Error("connection refused"),
 * });
 * console.log(error.pluginName); // "db"
 * ```
 */
export class PluginException extends Error {
  /** The namespace of the plugin, when known. */
  readonly namespace: string | undefined;
  /** The name of the plugin, when known. */
  readonly pluginName: string | undefined;

  /**
   * Creates a plugin failure.
   *
   * @param message What went wrong, where, and what to do about it.
   * @param options The plugin it concerns and the underlying `cause`.
   */
  constructor(message: string, options: PluginExceptionOptions = {}) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "PluginException";
    this.namespace = options.namespace;
    this.pluginName = options.pluginName;
    Object.defineProperty(this, EXCEPTION_BRAND, { value: true });
  }

  /**
   * Recognises a `PluginException` made by any copy of the library.
   *
   * @param value The value to test.
   * @returns Whether `value` is a plugin exception.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === PluginException
      ? hasBrand(value, EXCEPTION_BRAND)
      : Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * Thrown when a plugin is disabled: by a filter, by its `shouldLoad()`
 * returning false, or by a lifecycle listener that throws it.
 *
 * The message has plux's form:
 * `plugin <namespace>:<name> is disabled, reason: <reason>`.
 *
 * @example
 * ```ts
 * import { PluginDisabled } from "@plux/core";
 *
 * const error = new PluginDisabled("my.services", "db", "no database configured");
 * console.log(error.message);
 * // "plugin my.services:db is disabled, reason: no database configured"
 * ```
 */
export class PluginDisabled extends PluginException {
  /** Why the plugin is disabled. */
  readonly reason: string;

  /**
   * Creates the error that disables a plugin.
   *
   * @param namespace The plugin's namespace.
   * @param pluginName The plugin's name.
   * @param reason Why it is disabled.
   */
  constructor(namespace: string, pluginName: string, reason: string) {
    super(`plugin ${namespace}:${pluginName} is disabled, reason: ${reason}`, {
      namespace,
      pluginName,
    });
    this.name = "PluginDisabled";
    this.reason = reason;
    Object.defineProperty(this, DISABLED_BRAND, { value: true });
  }

  /**
   * Recognises a `PluginDisabled` made by any copy of the library.
   *
   * @param value The value to test.
   * @returns Whether `value` is a disabled-plugin exception.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === PluginDisabled
      ? hasBrand(value, DISABLED_BRAND)
      : Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** Marks a problem that left a plugin's index entry out (see below). */
const LEFT_OUT: unique symbol = Symbol.for("@plux/core.leftOut") as never;

/** A plugin whose entry an index or registry held but that was left out. */
export interface LeftOutPlugin {
  /** The plugin's namespace. */
  readonly namespace: string;
  /** The plugin's name. */
  readonly name: string;
}

/**
 * Marks the problem that made a finder leave a plugin's entry out (a
 * malformed index entry), so that a manager can tell the plugins requiring it
 * that the fix is that index, not a missing package.
 *
 * @param error The problem, as reported.
 * @param plugin The plugin whose entry was left out.
 * @returns `error`.
 */
export function markLeftOut<E extends Error>(
  error: E,
  plugin: LeftOutPlugin,
): E {
  Object.defineProperty(error, LEFT_OUT, { value: plugin });
  return error;
}

/**
 * The plugin a problem left out, looking through its `cause` chain (finders
 * wrap the index's problems with the package they come from).
 *
 * @param error A problem a finder reported.
 * @returns The plugin, or `undefined` when the problem left none out.
 */
function leftOutBy(error: unknown): LeftOutPlugin | undefined {
  for (let e = error, depth = 0; depth < 8; depth++) {
    if (typeof e !== "object" || e === null) return undefined;
    const plugin = (e as Record<symbol, LeftOutPlugin | undefined>)[LEFT_OUT];
    if (plugin !== undefined) return plugin;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Why a finder left out the entries of some names of a namespace (a
 * malformed index entry), from the problems it reported while listing: the
 * problem's message by name, for the load order.
 *
 * @param namespace The namespace.
 * @param problems What the finder reported.
 * @returns The problem of each name left out.
 */
export function leftOutOf(
  namespace: string,
  problems: readonly Error[],
): ReadonlyMap<string, string> {
  const leftOut = new Map<string, string>();
  for (const problem of problems) {
    const plugin = leftOutBy(problem);
    if (plugin?.namespace === namespace && !leftOut.has(plugin.name)) {
      leftOut.set(plugin.name, problem.message);
    }
  }
  return leftOut;
}
