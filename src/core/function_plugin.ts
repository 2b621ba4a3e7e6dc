import { FUNCTION_PLUGIN_BRAND, hasBrand } from "./_brand.ts";
import { checkDependencyNames } from "./plugin_spec.ts";
import { Plugin } from "./plugin.ts";

/** Any function; the type a function plugin wraps. */
// deno-lint-ignore no-explicit-any
export type AnyFunction = (...args: any[]) => any;

/** Options of {@linkcode plugin}. */
export interface PluginOptions {
  /** The namespace the function plugin belongs to. */
  namespace: string;
  /**
   * The plugin's name.
   *
   * @default {the function's name}
   */
  name?: string;
  /**
   * Whether the plugin should be loaded: a boolean or a (possibly async)
   * function.
   *
   * @default {true}
   */
  shouldLoad?: boolean | (() => boolean | Promise<boolean>);
  /** Called with the manager's `loadArgs` when the plugin is loaded. */
  load?: (...args: unknown[]) => unknown;
  /**
   * Plugins of the same namespace this one requires; see
   * `PluginSpecOptions.requires`.
   *
   * @default {[]}
   */
  requires?: readonly string[];
  /**
   * Plugins of the same namespace this one comes after when they are
   * present; see `PluginSpecOptions.after`.
   *
   * @default {[]}
   */
  after?: readonly string[];
}

/** What `plugin()` attaches to the function it returns. */
interface FunctionPluginDeclaration {
  readonly namespace: string;
  readonly name: string;
  readonly fn: AnyFunction;
  readonly options: PluginOptions;
}

/**
 * Exposes a function as a plugin. The result is called exactly like `fn`;
 * the resolver and the indexer recognise it as a plugin, and a manager of its
 * namespace yields it as a callable {@linkcode FunctionPlugin}.
 *
 * @example A command plugin
 * ```ts
 * import { plugin } from "@plux/core";
 *
 * export const greet = plugin({ namespace: "my.cli.commands" }, function greet(who: string) {
 *   return `hello ${who}`;
 * });
 *
 * console.log(greet("world")); // "hello world"
 * ```
 *
 * @example A function plugin that needs another plugin
 * ```ts
 * import { plugin } from "@plux/core";
 *
 * export const report = plugin(
 *   { namespace: "my.cli.commands", requires: ["db"], after: ["metrics"] },
 *   function report() {
 *     return "report written";
 *   },
 * );
 * ```
 *
 * @typeParam F The function's type.
 * @param options The namespace and, optionally, name, `shouldLoad`, `load`,
 * `requires` and `after`.
 * @param fn The function.
 * @returns A function that behaves like `fn` and is recognised as a plugin.
 * @throws {TypeError} When `fn` is not a function, no name is given and the
 * function is anonymous, or `requires` or `after` is not an array of
 * non-empty strings or names the plugin itself.
 */
export function plugin<F extends AnyFunction>(
  options: PluginOptions,
  fn: F,
): F {
  if (typeof fn !== "function") {
    throw new TypeError(`plugin(): expected a function, got ${typeof fn}`);
  }
  const name = options.name ?? fn.name;
  if (typeof options.namespace !== "string" || options.namespace === "") {
    throw new TypeError(`plugin(): ${name || "function"} needs a namespace`);
  }
  if (name === "") {
    throw new TypeError(
      `plugin(): the function in ${options.namespace} is anonymous; pass { name }`,
    );
  }
  const owner = `plugin() ${options.namespace}:${name}`;
  const requires = checkDependencyNames(
    options.requires,
    "requires",
    owner,
    name,
  );
  const after = checkDependencyNames(options.after, "after", owner, name);
  const wrapper = function (this: unknown, ...args: unknown[]) {
    return fn.apply(this, args);
  };
  Object.defineProperty(wrapper, "name", { value: name });
  const declaration: FunctionPluginDeclaration = {
    namespace: options.namespace,
    name,
    fn,
    options: { ...options, requires, after },
  };
  Object.defineProperty(wrapper, FUNCTION_PLUGIN_BRAND, { value: declaration });
  return wrapper as F;
}

/**
 * Reads what `plugin()` (of any copy of the library) attached to a function.
 *
 * @param value The value to inspect.
 * @returns The declaration, or `undefined` when `value` is not a function plugin.
 */
export function functionPluginDeclaration(
  value: unknown,
): FunctionPluginDeclaration | undefined {
  return typeof value === "function" && hasBrand(value, FUNCTION_PLUGIN_BRAND)
    ? (value as unknown as Record<symbol, FunctionPluginDeclaration>)[
      FUNCTION_PLUGIN_BRAND
    ]
    : undefined;
}

/**
 * The plugin a `plugin()` function becomes when it is loaded. It is callable
 * like the function it wraps, and `fn` holds that function.
 *
 * @example
 * ```ts
 * import { FunctionPlugin } from "@plux/core";
 *
 * const double = new FunctionPlugin((n: number) => n * 2);
 * console.log(double(21)); // 42
 * console.log(double instanceof FunctionPlugin); // true
 * ```
 *
 * @typeParam F The wrapped function's type.
 */
export class FunctionPlugin<F extends AnyFunction = AnyFunction>
  extends Plugin {
  /** The wrapped function. */
  declare readonly fn: F;
  /** The `shouldLoad` and `load` options given to `plugin()`. */
  declare readonly options: Pick<PluginOptions, "shouldLoad" | "load">;

  /**
   * Wraps a function as a plugin instance.
   *
   * @param fn The function to wrap.
   * @param options `shouldLoad` and `load`, as given to `plugin()`.
   */
  constructor(fn: F, options: Pick<PluginOptions, "shouldLoad" | "load"> = {}) {
    super();
    // The instance is a function, so that the plugin is called like `fn`.
    const callable = function (this: unknown, ...args: unknown[]) {
      return fn.apply(this, args);
    };
    Object.setPrototypeOf(callable, new.target.prototype);
    Object.defineProperty(callable, "name", { value: fn.name });
    Object.defineProperty(callable, "fn", { value: fn, enumerable: true });
    Object.defineProperty(callable, "options", {
      value: options,
      enumerable: true,
    });
    return callable as unknown as FunctionPlugin<F>;
  }

  /** The `shouldLoad` option, called if it is a function; `true` if absent. */
  override shouldLoad(): boolean | Promise<boolean> {
    const option = this.options.shouldLoad;
    return typeof option === "function" ? option() : option ?? true;
  }

  /**
   * Calls the `load` option with the manager's `loadArgs`.
   *
   * @param args The manager's `loadArgs`.
   * @returns What the `load` option returns.
   */
  override load(...args: unknown[]): unknown {
    return this.options.load?.(...args);
  }
}

/**
 * A function plugin is called like the function it wraps.
 *
 * @typeParam F The wrapped function's type.
 */
export interface FunctionPlugin<F extends AnyFunction = AnyFunction> {
  /**
   * Calls the wrapped function.
   *
   * @param args The function's arguments.
   * @returns What the function returns.
   */
  (...args: Parameters<F>): ReturnType<F>;
}
