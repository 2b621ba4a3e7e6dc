import { FUNCTION_PLUGIN_BRAND, hasBrand } from "./_brand.ts";
import { checkDependencyNames, checkOptionsObject } from "./plugin_spec.ts";
import { Plugin, type PluginLoadContext } from "./plugin.ts";

/** Any function; the type a function plugin wraps. */
// deno-lint-ignore no-explicit-any
export type AnyFunction = (...args: any[]) => any;

/**
 * Options of {@linkcode plugin}.
 *
 * A function plugin reaches what its requirements' `load()` returned in one
 * of two ways, neither through a global:
 * - `make` instead of a function: `plugin({ ..., requires: ["fmt"], make })`
 *   where `make(context)` gets the {@linkcode PluginLoadContext} when a
 *   manager loads the plugin and returns the function, which can keep
 *   `context.requirements` in its closure. One function per manager.
 * - the `load` option, which gets the context after the `loadArgs`.
 *
 * A function plugin's own load value (what plugins requiring it find in
 * `requirements`) is the callable {@linkcode FunctionPlugin} itself, unless
 * a `load` option returns something else.
 */
export interface PluginOptions {
  /** The namespace the function plugin belongs to. */
  namespace: string;
  /**
   * The plugin's name; needed with `make`.
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
  /**
   * Called with the manager's `loadArgs` when the plugin is loaded (and, for
   * a plugin that declares `requires`, the {@linkcode PluginLoadContext}
   * after them); what it returns is the plugin's load value.
   *
   * @default {the plugin's load value is the callable FunctionPlugin}
   */
  load?: (...args: unknown[]) => unknown;
  /**
   * Makes the plugin's function when a manager loads it, from the
   * {@linkcode PluginLoadContext} (what each requirement's `load()`
   * returned): given instead of the function argument of `plugin()`. It runs
   * once per manager, before `load`; the function it returns (or resolves
   * to) is what the loaded {@linkcode FunctionPlugin} calls.
   *
   * @default {undefined (the function is given to plugin())}
   */
  make?: (context: PluginLoadContext) => AnyFunction | Promise<AnyFunction>;
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
 * @example A function plugin that uses another plugin: `make`
 * ```ts
 * import { type FunctionPlugin, plugin, PluginManager, PluginSpecResolver } from "@plux/core";
 *
 * export const fmt = plugin({ namespace: "my.cli.commands" }, function fmt(n: number) {
 *   return n.toFixed(2);
 * });
 * export const summary = plugin({
 *   namespace: "my.cli.commands",
 *   name: "summary",
 *   requires: ["fmt"],
 *   // Called when a manager loads summary, once fmt has loaded.
 *   make: ({ requirements }) => {
 *     const format = requirements.fmt as typeof fmt;
 *     return (total: number) => `total: ${format(total)}`;
 *   },
 * });
 *
 * const resolver = new PluginSpecResolver();
 * const manager = new PluginManager<FunctionPlugin<typeof summary>>("my.cli.commands", {
 *   finder: { findPlugins: () => [fmt, summary].map((p) => resolver.resolve(p)) },
 * });
 * const loaded = await manager.load("summary");
 * console.log(loaded(3)); // "total: 3.00"
 * ```
 *
 * @typeParam F The function's type.
 * @param options The namespace and, optionally, name, `shouldLoad`, `load`,
 * `requires` and `after`.
 * @param fn The function.
 * @returns A function that behaves like `fn` and is recognised as a plugin.
 * @throws {TypeError} When `options` is not an object, `fn` is not a
 * function, no name is given and the function is anonymous, both `fn` and
 * `make` are given, or `requires` or `after` is not an array of plugin
 * names of the same namespace or names the plugin itself.
 */
export function plugin<F extends AnyFunction>(options: PluginOptions, fn: F): F;
/**
 * Declares a function plugin whose function is made when a manager loads it:
 * `make(context)` gets the {@linkcode PluginLoadContext}, with what each
 * requirement's `load()` returned, and returns the function. The result is
 * recognised as a plugin; called directly (not through a manager) it throws,
 * since it has no requirements then.
 *
 * @example
 * ```ts
 * import { plugin } from "@plux/core";
 *
 * export const report = plugin({
 *   namespace: "my.cli.commands",
 *   name: "report",
 *   requires: ["db"],
 *   make: ({ requirements }) => {
 *     const db = requirements.db as { query(sql: string): string[] };
 *     return () => db.query("select name from users").join(", ");
 *   },
 * });
 * ```
 *
 * @typeParam F The type of the function `make` returns.
 * @param options The namespace, the name and `make`; optionally
 * `shouldLoad`, `load`, `requires` and `after`.
 * @returns A stand-in for the function, recognised as a plugin.
 * @throws {TypeError} As the other form does, and when `name` is missing or
 * `make` is not a function.
 */
export function plugin<F extends AnyFunction>(
  options: PluginOptions & {
    name: string;
    make: (context: PluginLoadContext) => F | Promise<F>;
  },
): F;
export function plugin<F extends AnyFunction>(
  options: PluginOptions,
  fn?: F,
): F {
  checkOptionsObject(options, "plugin()", '{ namespace: "my.ns" }');
  const make = options.make;
  if (make !== undefined && typeof make !== "function") {
    throw new TypeError(
      `plugin(): make must be a function that returns the plugin's ` +
        `function, got ${typeof make}`,
    );
  }
  if (make !== undefined && fn !== undefined) {
    throw new TypeError(
      `plugin(): ${options.name ?? fn.name ?? "the plugin"} is given both a ` +
        "function and make; pass one: the function, or make to build it " +
        "from its requirements",
    );
  }
  if (make === undefined && typeof fn !== "function") {
    throw new TypeError(
      `plugin(): expected a function (or the make option), got ${typeof fn}`,
    );
  }
  const name = options.name ?? fn?.name ?? "";
  if (typeof options.namespace !== "string" || options.namespace === "") {
    throw new TypeError(`plugin(): ${name || "function"} needs a namespace`);
  }
  if (typeof name !== "string" || name === "") {
    throw new TypeError(
      make === undefined
        ? `plugin(): the function in ${options.namespace} is anonymous; pass { name }`
        : `plugin(): a plugin of ${options.namespace} made by make needs a name; pass { name }`,
    );
  }
  const owner = `plugin() ${options.namespace}:${name}`;
  const self = { namespace: options.namespace, name };
  const requires = checkDependencyNames(
    options.requires,
    "requires",
    owner,
    self,
  );
  const after = checkDependencyNames(options.after, "after", owner, self);
  const target = fn ?? unmade(`${options.namespace}:${name}`);
  const wrapper = function (this: unknown, ...args: unknown[]) {
    return target.apply(this, args);
  };
  Object.defineProperty(wrapper, "name", { value: name });
  const declaration: FunctionPluginDeclaration = {
    namespace: options.namespace,
    name,
    fn: target,
    options: { ...options, name, requires, after },
  };
  Object.defineProperty(wrapper, FUNCTION_PLUGIN_BRAND, { value: declaration });
  return wrapper as F;
}

/** The stand-in of a function that `make` has not made yet: it throws. */
function unmade(id: string): AnyFunction {
  const name = id.slice(id.lastIndexOf(":") + 1);
  return () => {
    throw new TypeError(
      `plugin ${id} has no function yet: its make() builds it when a ` +
        "PluginManager loads the plugin; call the plugin that " +
        `\`await manager.load("${name}")\` returns`,
    );
  };
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
 * like the function it wraps, and `fn` holds that function (for a plugin
 * declared with `make`, the function `make` returned, once loaded). Its load
 * value is the callable itself unless a `load` option returns another, so a
 * plugin that requires it finds the function in `requirements`.
 *
 * @example
 * ```ts
 * import { FunctionPlugin } from "@plux/core";
 *
 * const double = new FunctionPlugin((n: number) => n * 2);
 * console.log(double(21)); // 42
 * console.log(double instanceof FunctionPlugin); // true
 * console.log(double.load() === double); // true
 * ```
 *
 * @typeParam F The wrapped function's type.
 */
export class FunctionPlugin<F extends AnyFunction = AnyFunction>
  extends Plugin {
  /** The wrapped function (for `make`, the one it made, once loaded). */
  declare readonly fn: F;
  /** The options given to `plugin()`: `shouldLoad`, `load`, `make`... */
  declare readonly options: Partial<PluginOptions>;

  /**
   * Wraps a function as a plugin instance.
   *
   * @param fn The function to wrap; with a `make` option, what is called
   * until `load()` has made the function.
   * @param options The options given to `plugin()`; `make` needs
   * `namespace` and `name`, and `requires` to find the context.
   */
  constructor(fn: F, options: Partial<PluginOptions> = {}) {
    super();
    let current: AnyFunction = fn;
    // The instance is a function, so that the plugin is called like `fn`.
    const callable = function (this: unknown, ...args: unknown[]) {
      return current.apply(this, args);
    };
    Object.setPrototypeOf(callable, new.target.prototype);
    Object.defineProperty(callable, "name", { value: options.name ?? fn.name });
    Object.defineProperty(callable, "fn", {
      get: () => current,
      enumerable: true,
    });
    Object.defineProperty(callable, "options", {
      value: options,
      enumerable: true,
    });
    makers.set(callable, (made) => current = made);
    return callable as unknown as FunctionPlugin<F>;
  }

  /** The `shouldLoad` option, called if it is a function; `true` if absent. */
  override shouldLoad(): boolean | Promise<boolean> {
    const option = this.options.shouldLoad;
    return typeof option === "function" ? option() : option ?? true;
  }

  /**
   * Makes the function with the `make` option, if there is one, then calls
   * the `load` option with the manager's `loadArgs`.
   *
   * @param args The manager's `loadArgs`; for a plugin that declares
   * `requires`, followed by its {@linkcode PluginLoadContext}.
   * @returns What the `load` option returns; without one, this plugin (the
   * callable), which plugins requiring it receive in `requirements`.
   * @throws {TypeError} When `make` does not return a function.
   */
  override load(...args: unknown[]): unknown {
    const { make, load } = this.options;
    const finish = () => load === undefined ? this : load(...args);
    if (make === undefined) return finish();
    return Promise.resolve(make(contextOf(this, args))).then((made) => {
      if (typeof made !== "function") {
        throw new TypeError(
          `make() of plugin ${this.options.namespace}:${this.options.name} ` +
            `returned ${made === null ? "null" : typeof made}, not a ` +
            "function; return the plugin's function from make",
        );
      }
      makers.get(this)?.(made);
      return finish();
    });
  }
}

/**
 * The context the manager passed to a function plugin's `load()` (the
 * argument after the `loadArgs` when it declares `requires`), or an empty
 * one. Not a private method: the instance is the callable, not `this` of
 * the constructor.
 */
function contextOf(
  plugin: FunctionPlugin,
  args: readonly unknown[],
): PluginLoadContext {
  const { namespace = "", name = "", requires = [] } = plugin.options;
  if (requires.length > 0) return args[args.length - 1] as PluginLoadContext;
  return Object.freeze({
    namespace,
    name,
    requirements: Object.freeze(Object.create(null)),
  });
}

/** Sets the function a loaded `make` plugin calls, by instance. */
const makers = new WeakMap<object, (made: AnyFunction) => void>();

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
