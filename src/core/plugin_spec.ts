import { hasBrand, SPEC_BRAND } from "./_brand.ts";
import type { Plugin } from "./plugin.ts";

/**
 * Makes a plugin instance; it may be async.
 *
 * @typeParam P The plugin type it makes.
 */
export type PluginFactory<P extends Plugin = Plugin> = () => P | Promise<P>;

/**
 * Says that a namespace offers a plugin by some name, and how to make it.
 *
 * `instanceof PluginSpec` recognises specs made by any copy of the library.
 *
 * @example A reusable factory exposed as a plugin
 * ```ts
 * import { Plugin, PluginSpec } from "@plux/core";
 *
 * class HttpService extends Plugin {
 *   constructor(readonly port: number) {
 *     super();
 *   }
 * }
 *
 * export const web = new PluginSpec("my.services", "web", () => new HttpService(8080));
 * export const admin = new PluginSpec("my.services", "admin", async () => {
 *   await Promise.resolve();
 *   return new HttpService(9090);
 * });
 * ```
 *
 * @typeParam P The plugin type the factory makes.
 */
export class PluginSpec<P extends Plugin = Plugin> {
  /** The namespace the plugin belongs to. */
  readonly namespace: string;
  /** The plugin's name, unique in its namespace. */
  readonly name: string;
  /** Makes the plugin instance. */
  readonly factory: PluginFactory<P>;

  /**
   * Declares a plugin.
   *
   * @param namespace The namespace, for example `"my.services"`.
   * @param name The plugin's name in that namespace.
   * @param factory Makes the plugin; may be sync or async.
   * @throws {TypeError} When the namespace or name is not a non-empty string or
   * the factory is not a function.
   */
  constructor(namespace: string, name: string, factory: PluginFactory<P>) {
    if (typeof namespace !== "string" || namespace === "") {
      throw new TypeError(
        `PluginSpec: namespace must be a non-empty string, got ${
          String(namespace)
        }`,
      );
    }
    if (typeof name !== "string" || name === "") {
      throw new TypeError(
        `PluginSpec ${namespace}: name must be a non-empty string, got ${
          String(name)
        }`,
      );
    }
    if (typeof factory !== "function") {
      throw new TypeError(
        `PluginSpec ${namespace}:${name}: factory must be a function`,
      );
    }
    this.namespace = namespace;
    this.name = name;
    this.factory = factory;
    Object.defineProperty(this, SPEC_BRAND, { value: true });
  }

  /** `<namespace>:<name>`. */
  toString(): string {
    return `${this.namespace}:${this.name}`;
  }

  /**
   * Recognises specs made by any copy of the library.
   *
   * @param value The value to test.
   * @returns Whether `value` is a plugin spec.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return this === PluginSpec
      ? hasBrand(value, SPEC_BRAND)
      : Function.prototype[Symbol.hasInstance].call(this, value);
  }
}
