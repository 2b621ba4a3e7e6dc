/**
 * Brands let one copy of `@plux/core` recognise values made by another copy
 * (another URL, another compatible version). They are registered symbols, so
 * every copy in a process sees the same ones.
 *
 * @module
 */

/** Marks `Plugin.prototype`; plugin classes inherit it. */
export const PLUGIN_BRAND: unique symbol = Symbol.for(
  "@plux/core.Plugin",
) as never;
/** Marks every `PluginSpec` instance. */
export const SPEC_BRAND: unique symbol = Symbol.for(
  "@plux/core.PluginSpec",
) as never;
/** Marks a function wrapped by `plugin()`; holds its options. */
export const FUNCTION_PLUGIN_BRAND: unique symbol = Symbol.for(
  "@plux/core.FunctionPlugin",
) as never;
/** Marks every `PluginException` (and so every `PluginDisabled`). */
export const EXCEPTION_BRAND: unique symbol = Symbol.for(
  "@plux/core.PluginException",
) as never;
/** Marks every `PluginDisabled`. */
export const DISABLED_BRAND: unique symbol = Symbol.for(
  "@plux/core.PluginDisabled",
) as never;

/**
 * Whether `value` is an object or function carrying `brand`; never throws
 * (a `Proxy` or a getter that throws does not carry it).
 */
export function hasBrand(value: unknown, brand: symbol): boolean {
  try {
    return (typeof value === "object" || typeof value === "function") &&
      value !== null &&
      (value as Record<symbol, unknown>)[brand] !== undefined;
  } catch {
    return false;
  }
}
