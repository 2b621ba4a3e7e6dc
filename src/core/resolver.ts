import { functionPluginDeclaration } from "./function_plugin.ts";
import { FunctionPlugin } from "./function_plugin.ts";
import { checkDependencyNames } from "./plugin_spec.ts";
import { isPluginClass } from "./plugin.ts";
import { PluginSpec } from "./plugin_spec.ts";

/**
 * Turns what a module exports into a {@linkcode PluginSpec}: a spec, a
 * `Plugin` subclass with `static namespace` and `static pluginName`, or a
 * function made by `plugin()`. Values made by any copy of `@plux/core` are
 * recognised by their brand, not by `instanceof` on this copy's classes.
 *
 * @example
 * ```ts
 * import { Plugin, PluginSpecResolver } from "@plux/core";
 *
 * class Hello extends Plugin {
 *   static namespace = "demo";
 *   static pluginName = "hello";
 * }
 *
 * const spec = new PluginSpecResolver().resolve(Hello);
 * console.log(`${spec}`); // "demo:hello"
 * ```
 */
export class PluginSpecResolver {
  /**
   * Whether `value` is something {@linkcode PluginSpecResolver.resolve} accepts.
   *
   * @param value A module export.
   * @returns Whether it declares a plugin.
   */
  isPlugin(value: unknown): boolean {
    return value instanceof PluginSpec || isPluginClass(value) ||
      functionPluginDeclaration(value) !== undefined;
  }

  /**
   * Resolves a module export to a spec.
   *
   * @param value A spec, a plugin class or a `plugin()` function.
   * @returns The spec; a spec is returned as it is.
   * @throws {TypeError} When `value` declares no plugin, or a plugin class's
   * `static requires` or `static after` is not an array of plugin names of
   * the same namespace (the message names the class) or names the class's
   * own plugin.
   */
  resolve(value: unknown): PluginSpec {
    if (value instanceof PluginSpec) return value;
    if (isPluginClass(value)) {
      const cls = value;
      const id = `${cls.namespace}:${cls.pluginName}`;
      const owner = `Plugin class ${cls.name || "(anonymous)"} (${id})`;
      const self = { namespace: cls.namespace, name: cls.pluginName };
      const requires = checkDependencyNames(
        cls.requires,
        "static requires",
        owner,
        self,
      );
      const after = checkDependencyNames(
        cls.after,
        "static after",
        owner,
        self,
      );
      return new PluginSpec(cls.namespace, cls.pluginName, () => new cls(), {
        requires,
        after,
      });
    }
    const declaration = functionPluginDeclaration(value);
    if (declaration !== undefined) {
      const { requires, after } = declaration.options;
      return new PluginSpec(
        declaration.namespace,
        declaration.name,
        () => new FunctionPlugin(declaration.fn, declaration.options),
        { requires, after },
      );
    }
    throw new TypeError(
      `${describe(value)} is not a plugin: expected a PluginSpec, a Plugin ` +
        "subclass with static namespace and pluginName, or a function made by plugin()",
    );
  }
}

function describe(value: unknown): string {
  if (typeof value === "function") {
    return value.name
      ? `${value.name} (a function or class)`
      : "an anonymous function";
  }
  if (value === null || value === undefined) return String(value);
  return typeof value === "object"
    ? "an object"
    : `the ${typeof value} ${String(value)}`;
}
