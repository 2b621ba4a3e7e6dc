/**
 * `src/finders/registry/`: {@linkcode RegistryFinder}, the finder over a
 * generated registry module, for bundled and compiled applications whose
 * plugin modules must be in the static module graph. It may import `core/`
 * and `finders/` (top level).
 *
 * @module
 */
import {
  dependenciesOf,
  dependencyDifference,
  isDependencyList,
  type PluginSpec,
} from "../../core/plugin_spec.ts";
import { markLeftOut, PluginException } from "../../core/errors.ts";
import { errorText } from "../../core/_error_text.ts";
import { describePackage } from "../index_entries.ts";
import type { PluginInfo } from "../../core/plugin_info.ts";
import { PluginSpecResolver } from "../../core/resolver.ts";
import type {
  FindPluginsOptions,
  PluginEntry,
  PluginFinder,
} from "../../core/finder.ts";

/**
 * One plugin of a static registry, as `plux registry` writes it: what is
 * known before its code is imported, the name of its export, and a function
 * with a literal `import("...")` so that `deno compile` and `deno bundle`
 * include the module.
 */
export interface RegistryEntry extends PluginInfo {
  /** The name of the module export that declares the plugin. */
  readonly export: string;
  /** Imports the plugin's module; called only when the plugin is resolved. */
  readonly import: () => Promise<Record<string, unknown>>;
}

/** A static registry: the default export of a module written by `plux registry`. */
export type PluginRegistry = readonly RegistryEntry[];

const FIX = "regenerate the registry with `plux registry --out <file>`";
const resolver = new PluginSpecResolver();

/**
 * Finds plugins in a static registry written by `plux registry`: the finder
 * for applications made with `deno compile` or `deno bundle`, which contain
 * only the modules their code imports with literal specifiers.
 *
 * Listing imports no plugin code: a plugin's module is imported when the
 * plugin is resolved. Malformed registry items are reported (to the
 * manager's listeners) and skipped; the others are still offered.
 *
 * @example
 * ```ts
 * import { Plugin, PluginManager, RegistryFinder, type PluginRegistry } from "@plux/core";
 *
 * class Cache extends Plugin {
 *   static namespace = "demo.services";
 *   static pluginName = "cache";
 * }
 * // A generated registry holds `import: () => import("./cache.ts")`.
 * const registry: PluginRegistry = [{
 *   namespace: "demo.services",
 *   name: "cache",
 *   export: "Cache",
 *   import: () => Promise.resolve({ Cache }),
 * }];
 * const manager = new PluginManager("demo.services", {
 *   finder: new RegistryFinder(registry),
 * });
 * console.log(await manager.listNames()); // ["cache"]
 * ```
 */
export class RegistryFinder implements PluginFinder {
  readonly #registry: readonly unknown[];

  /**
   * Creates a finder over a registry.
   *
   * @param registry The registry, usually the default export of the module
   * `plux registry` wrote.
   * @throws {TypeError} When `registry` is not an array.
   */
  constructor(registry: PluginRegistry) {
    if (!Array.isArray(registry)) {
      throw new TypeError(
        `RegistryFinder: expected the registry (an array of plugins), got ${typeof registry}; ` +
          "pass the default export of the module `plux registry` wrote",
      );
    }
    this.#registry = registry;
  }

  /**
   * Lists the registry's plugins as lazy entries, in registry order.
   *
   * @param options The namespace wanted and where to report problems.
   * @returns The entries.
   */
  findPlugins(options: FindPluginsOptions = {}): PluginEntry[] {
    const entries: PluginEntry[] = [];
    this.#registry.forEach((item, position) => {
      const problem = _problemOf(item);
      if (problem !== undefined) {
        const error = new TypeError(
          `the plugin registry's item ${position} ${problem}; ${FIX}`,
        );
        const { namespace, name } = (item ?? {}) as Record<string, unknown>;
        options.report?.(
          typeof namespace === "string" && typeof name === "string"
            ? markLeftOut(error, { namespace, name })
            : error,
        );
        return;
      }
      const entry = item as RegistryEntry;
      if (
        options.namespace !== undefined &&
        entry.namespace !== options.namespace
      ) {
        return;
      }
      entries.push({
        namespace: entry.namespace,
        name: entry.name,
        value: entry.value,
        source: entry.source,
        metadata: entry.metadata,
        ...dependenciesOf(entry),
        resolve: () => _resolve(entry),
      });
    });
    return entries;
  }
}

async function _resolve(entry: RegistryEntry): Promise<PluginSpec> {
  const where = entry.value ?? `the module of ${entry.namespace}:${entry.name}`;
  // Every message names the package the plugin comes from, when known.
  const id = `${entry.namespace}:${entry.name}${
    entry.source === undefined ? "" : ` of ${describePackage(entry.source)}`
  }`;
  const fail = (message: string, cause?: unknown) =>
    new PluginException(message, {
      namespace: entry.namespace,
      pluginName: entry.name,
      cause,
    });
  let module: Record<string, unknown>;
  try {
    module = await entry.import();
  } catch (error) {
    const { permissionHint } = await import("../_permission_flag.ts");
    throw fail(
      `plugin ${id}: importing ${where} failed: ${errorText(error)}` +
        (permissionHint(error) ||
          "; fix the module, or exclude the plugin with a filter"),
      error,
    );
  }
  if (!Object.hasOwn(module, entry.export)) {
    throw fail(
      `plugin ${id}: the registry says ${where} exports "${entry.export}", ` +
        `but it does not; the registry is stale: ${FIX}`,
    );
  }
  let spec: PluginSpec;
  try {
    spec = resolver.resolve(module[entry.export]);
  } catch (error) {
    throw fail(
      `plugin ${id}: export "${entry.export}" of ${where} is not a plugin ` +
        `(${errorText(error)}); the registry is stale: ${FIX}`,
      error,
    );
  }
  if (spec.namespace !== entry.namespace || spec.name !== entry.name) {
    throw fail(
      `plugin ${id}: export "${entry.export}" of ${where} declares ` +
        `${spec.namespace}:${spec.name}; the registry is stale: ${FIX}`,
    );
  }
  const difference = dependencyDifference(
    dependenciesOf(spec),
    entry,
    "the registry",
  );
  if (difference !== undefined) {
    throw fail(`plugin ${id}: ${difference}; the registry is stale: ${FIX}`);
  }
  return spec;
}

function _problemOf(item: unknown): string | undefined {
  if (typeof item !== "object" || item === null) return "is not an object";
  const entry = item as Partial<RegistryEntry>;
  for (const key of ["namespace", "name", "export"] as const) {
    if (typeof entry[key] !== "string" || entry[key] === "") {
      return `has no ${key} (a non-empty string)`;
    }
  }
  if (typeof entry.import !== "function") {
    return `(${entry.namespace}:${entry.name}) has no import function`;
  }
  for (const field of ["requires", "after"] as const) {
    const names: unknown = entry[field];
    if (
      names !== undefined &&
      !isDependencyList(names)
    ) {
      return `(${entry.namespace}:${entry.name}) has ${field} that is not a ` +
        "list of plugin names";
    }
  }
  return undefined;
}
