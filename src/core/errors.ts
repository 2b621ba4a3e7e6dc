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
