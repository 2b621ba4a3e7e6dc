import { hasBrand, SPEC_BRAND } from "./_brand.ts";
import { compareStrings, quoted, shownValue } from "./_values.ts";
import type { Plugin } from "./plugin.ts";

/**
 * Makes a plugin instance; it may be async.
 *
 * @typeParam P The plugin type it makes.
 */
export type PluginFactory<P extends Plugin = Plugin> = () => P | Promise<P>;

/**
 * Options of {@linkcode PluginSpec}: the plugins of the same namespace this
 * one needs or comes after. A manager loads them first; see the dependencies
 * guide for the rules.
 */
export interface PluginSpecOptions {
  /**
   * Plugins this one cannot work without: they are loaded first, their
   * `load()` results reach this plugin's `load()`, and when one is missing
   * or disabled this plugin is disabled; when one fails to load, so does
   * this plugin.
   *
   * @default {[]}
   */
  readonly requires?: readonly string[];
  /**
   * Plugins this one comes after, when they are present and enabled; ordering
   * only: when one is missing, disabled or fails, this plugin loads anyway.
   *
   * @default {[]}
   */
  readonly after?: readonly string[];
}

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
 * @example A plugin that needs another one
 * ```ts
 * import { Plugin, PluginSpec } from "@plux/core";
 *
 * class Api extends Plugin {}
 *
 * export const api = new PluginSpec("my.services", "api", () => new Api(), {
 *   requires: ["db"],
 *   after: ["metrics"],
 * });
 * console.log(api.requires, api.after); // ["db"] ["metrics"]
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
  /** The plugins this one requires, sorted and without duplicates. */
  readonly requires: readonly string[];
  /** The plugins this one comes after when present, sorted and without duplicates. */
  readonly after: readonly string[];

  /**
   * Declares a plugin.
   *
   * @param namespace The namespace, for example `"my.services"`.
   * @param name The plugin's name in that namespace.
   * @param factory Makes the plugin; may be sync or async.
   * @param options The plugins it requires and comes after.
   * @throws {TypeError} When the namespace or name is not a non-empty string,
   * the factory is not a function, `options` is not an object, or
   * `requires` or `after` is not an array of plugin names of the same
   * namespace (non-empty, without `:` or whitespace at either end, no empty
   * slots) or names the plugin itself.
   */
  constructor(
    namespace: string,
    name: string,
    factory: PluginFactory<P>,
    options: PluginSpecOptions = {},
  ) {
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
    const owner = `PluginSpec ${namespace}:${name}`;
    const declared = checkOptionsObject(
      options,
      owner,
      '{ requires: ["db"] }',
    );
    this.namespace = namespace;
    this.name = name;
    this.factory = factory;
    this.requires = checkDependencyNames(
      declared.requires,
      "requires",
      owner,
      { namespace, name },
    );
    this.after = checkDependencyNames(declared.after, "after", owner, {
      namespace,
      name,
    });
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

// The `requires` and `after` declarations: checked where a plugin is
// declared, read back from specs made by any copy of the library, compared
// with what an index says.

/** What a plugin declares about the plugins it needs and comes after. */
export interface PluginDependencies {
  /** Plugins of the same namespace that must load first; sorted, unique. */
  readonly requires: readonly string[];
  /** Plugins of the same namespace that, when present, load first; sorted, unique. */
  readonly after: readonly string[];
}

/** The two declarations, in the order messages name them. */
export const DEPENDENCY_FIELDS = ["requires", "after"] as const;

const NONE: readonly string[] = Object.freeze([]);
const NO_DEPENDENCIES: PluginDependencies = Object.freeze({
  requires: NONE,
  after: NONE,
});

/**
 * Checks that a declaration's options are an object (or absent).
 *
 * @param value The options as given; `undefined` means none.
 * @param owner Names the declaration for messages, for example
 * `PluginSpec my.ns:api`.
 * @param example Well-formed options, for the message.
 * @returns The options, `{}` when absent.
 * @throws {TypeError} When `value` is `null`, an array or not an object.
 */
export function checkOptionsObject<T extends object>(
  value: T | undefined,
  owner: string,
  example: string,
): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(
      `${owner}: options must be an object such as ${example}, got ${
        shownValue(value)
      }`,
    );
  }
  return value;
}

/** The plugin a declaration belongs to, for the checks of its names. */
export interface DeclaringPlugin {
  /** Its namespace: the names must be plugins of this namespace. */
  readonly namespace: string;
  /** Its name, which may not be listed. */
  readonly name: string;
}

/**
 * Checks one declaration and returns it sorted, without duplicates, frozen.
 * Each item must be a plugin name of the same namespace: a non-empty string
 * without `:`, without whitespace at either end, well-formed Unicode; an
 * array with empty slots is refused.
 *
 * @param value What was declared; `undefined` declares none.
 * @param field How the declaration is written, for messages: `"requires"`,
 * `"after"`, `"static requires"`...
 * @param owner Names the declaration for messages, for example
 * `PluginSpec my.ns:api`.
 * @param self The declaring plugin: its namespace and its own name, which
 * may not be listed.
 * @returns The plugin names.
 * @throws {TypeError} When `value` is not such an array, or names the plugin
 * itself.
 */
export function checkDependencyNames(
  value: unknown,
  field: string,
  owner: string,
  self: DeclaringPlugin,
): readonly string[] {
  if (value === undefined) return NONE;
  const problem = namesProblem(value, field, self);
  if (problem !== undefined) throw new TypeError(`${owner}: ${problem}`);
  const names = value as string[];
  if (names.includes(self.name)) {
    throw new TypeError(
      `${owner}: ${field} names the plugin itself ("${self.name}"); remove ` +
        `it from ${field}`,
    );
  }
  if (names.length === 0) return NONE;
  return Object.freeze([...new Set(names)].sort(compareStrings));
}

/**
 * Whether a value is a list `requires` or `after` may hold, as read from an
 * index or a registry: an array without empty slots whose items are plugin
 * names of the same namespace (non-empty, without `:`, without whitespace at
 * either end, well-formed Unicode).
 *
 * @param value The value.
 * @returns Whether it is such a list.
 */
export function isDependencyList(value: unknown): value is readonly string[] {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) {
    const name: unknown = value[i]; // an empty slot reads as undefined
    if (typeof name !== "string" || nameFault(name) !== undefined) return false;
  }
  return true;
}

/**
 * What keeps a string from being a name in `requires` or `after`: empty,
 * blank, whitespace at either end (a name never has it: `" db"` is a typo of
 * `"db"`), a `:` (names are of the same namespace), or a lone surrogate.
 */
function nameFault(
  name: string,
): "empty" | "blank" | "padded" | "colon" | "ill-formed" | undefined {
  if (name === "") return "empty";
  if (name.trim() === "") return "blank";
  if (name.trim() !== name) return "padded";
  if (name.includes(":")) return "colon";
  if (!name.isWellFormed()) return "ill-formed";
  return undefined;
}

/** What is wrong with a declared list of names, with the fix; or nothing. */
function namesProblem(
  value: unknown,
  field: string,
  self: DeclaringPlugin,
): string | undefined {
  const expected = `${field} must be an array of plugin names (non-empty ` +
    "strings of the same namespace)";
  if (!Array.isArray(value)) {
    return `${expected}, got ${shownValue(value)}; for example ["db"]`;
  }
  // A plain loop: every() and includes() step over empty slots.
  for (let i = 0; i < value.length; i++) {
    const item = `${field}[${i}]`;
    if (!(i in value)) {
      return `${expected}, got ${
        shownValue(value)
      }: ${item} is an empty slot ` +
        `(a hole such as new Array(2) or ["db", , ]); for example ["db"]`;
    }
    const name: unknown = value[i];
    const fault = typeof name === "string" ? nameFault(name) : undefined;
    if (typeof name !== "string" || fault === "empty") {
      return `${expected}, got ${shownValue(value)}: ${item} is ${
        name === "" ? "empty" : shownValue(name)
      }; for example ["db"]`;
    }
    const shown = shownValue(name);
    const rule = "names are plugin names in the same namespace";
    if (fault === "blank") {
      return `${item} is ${shown}, a blank name; ${rule}, for example ["db"]`;
    }
    if (fault === "padded") {
      return `${item} is ${shown}, which has whitespace at its start or ` +
        `end; ${rule}: write ${quoted(name.trim())}`;
    }
    if (fault === "colon") {
      const local = name.slice(name.lastIndexOf(":") + 1);
      const own = name.startsWith(`${self.namespace}:`) &&
        nameFault(local) === undefined;
      return `${item} is ${shown}, which holds ":"; ${rule} (` +
        self.namespace + ")" +
        (own
          ? `: write ${quoted(local)}`
          : ": a plugin cannot require or come after one of another namespace");
    }
    if (fault === "ill-formed") {
      return `${item} is ${shown}, which is not well-formed Unicode (it ` +
        `holds a lone surrogate); ${rule}, for example ["db"]`;
    }
  }
  return undefined;
}

/**
 * The declarations of a spec, also one made by an older copy of the library
 * that has no `requires` or `after` (it declares none).
 *
 * @param spec A spec, or anything that may carry the two fields.
 * @returns The declarations; missing or malformed ones read as none.
 */
export function dependenciesOf(
  spec: { readonly requires?: unknown; readonly after?: unknown },
): PluginDependencies {
  const requires = namesOf(spec.requires);
  const after = namesOf(spec.after);
  // Most plugins declare neither: one shared answer, not an object each.
  return requires === NONE && after === NONE
    ? NO_DEPENDENCIES
    : { requires, after };
}

/**
 * Says how a plugin's code and what a finder listed differ in `requires` or
 * `after`, for stale-index messages.
 *
 * @param code What the resolved spec declares.
 * @param listed What the index (or another finder) said; absent fields mean none.
 * @param by Who said it, for the message.
 * @returns For example `its code declares requires ["db"], the index says
 * requires []`, or `undefined` when both agree.
 */
export function dependencyDifference(
  code: PluginDependencies,
  listed: { readonly requires?: unknown; readonly after?: unknown },
  by = "the index",
): string | undefined {
  const said = dependenciesOf(listed);
  const differs = DEPENDENCY_FIELDS.filter((field) =>
    !sameNames(code[field], said[field])
  );
  if (differs.length === 0) return undefined;
  const show = (deps: PluginDependencies) =>
    differs.map((field) => `${field} ${quoted(deps[field])}`)
      .join(" and ");
  return `its code declares ${show(code)}, ${by} says ${show(said)}`;
}

function namesOf(value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length === 0) return NONE;
  const names = value.filter((name) => typeof name === "string" && name !== "");
  return [...new Set(names as string[])].sort(compareStrings);
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
