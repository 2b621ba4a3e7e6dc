import { pathToFileURL } from "node:url";
import { dependenciesOf } from "../core/plugin_spec.ts";
import { functionPluginDeclaration } from "../core/function_plugin.ts";
import { PluginSpecResolver } from "../core/resolver.ts";
import type { ModuleToScan } from "./module_list.ts";
import { absolutePath } from "./package_config.ts";
import {
  type FlagAdvice,
  permissionHint,
} from "../finders/_permission_flag.ts";
import { errorText } from "../core/_error_text.ts";
import { declaresPlugins } from "../index/declares_plugins.ts";

/** One place where a module exports a plugin. */
export interface PluginExport {
  /** The plugin's namespace. */
  readonly namespace: string;
  /** The plugin's name. */
  readonly name: string;
  /** The exported value: a spec, a plugin class or a `plugin()` function. */
  readonly value: unknown;
  /** The module that exports it. */
  readonly module: ModuleToScan;
  /** The export's name (`"default"` for a default export). */
  readonly export: string;
  /** The description the plugin declares, if any. */
  readonly description?: string;
  /** The plugins it requires, sorted. */
  readonly requires: readonly string[];
  /** The plugins it comes after when present, sorted. */
  readonly after: readonly string[];
}

/** What importing a package's modules found. */
export interface CollectedPlugins {
  /** Every plugin export, in module then export-name order. */
  readonly exports: PluginExport[];
  /** One error per module that failed to import or export that failed to resolve. */
  readonly errors: Error[];
  /** Modules that imported, export no plugin, and declare one in their text. */
  readonly unexported: string[];
}

const resolver = new PluginSpecResolver();

/**
 * How long, by default, the indexer waits for one module to import, in
 * milliseconds: a top-level `await` that never settles must not stop the
 * other modules and packages (`plux index --timeout`).
 */
export const DEFAULT_IMPORT_TIMEOUT = 30_000;

/**
 * Imports each module and collects every export that declares a plugin: a
 * `PluginSpec`, a `Plugin` subclass or a `plugin()` function, from any copy of
 * `@plux/core`. A module that fails to import, or does not finish importing
 * within `importTimeout`, is an error naming the module; the other modules
 * are still scanned.
 *
 * @param dir The package folder.
 * @param modules The modules to import, sorted.
 * @param importTimeout How long one module may take to import, in ms.
 * @param advise How a missing permission's flag is to be given.
 * @returns The plugin exports and the errors.
 */
export async function collectPlugins(
  dir: string,
  modules: readonly ModuleToScan[],
  importTimeout: number = DEFAULT_IMPORT_TIMEOUT,
  advise: FlagAdvice = (flag) => `run \`plux index\` with ${flag}`,
): Promise<CollectedPlugins> {
  const result: CollectedPlugins = { exports: [], errors: [], unexported: [] };
  for (const module of modules) {
    const file = absolutePath(dir, module.path);
    const url = pathToFileURL(file).href;
    if (module.subpaths.length > 0 && !await exists(file)) {
      result.errors.push(missingExport(module));
      continue;
    }
    let namespace: Record<string, unknown>;
    try {
      namespace = await importWithin(url, importTimeout);
    } catch (error) {
      result.errors.push(importError(module.path, dir, error, advise));
      continue;
    }
    const names = Object.keys(namespace).sort();
    if (
      !names.some((name) => resolver.isPlugin(namespace[name])) &&
      declaresPlugins(await Deno.readTextFile(file))
    ) {
      result.unexported.push(module.path);
    }
    for (const name of names) {
      const value = namespace[name];
      if (!resolver.isPlugin(value)) continue;
      try {
        const spec = resolver.resolve(value);
        result.exports.push({
          namespace: spec.namespace,
          name: spec.name,
          value,
          module,
          export: name,
          description: descriptionOf(value),
          ...dependenciesOf(spec),
        });
      } catch (error) {
        result.errors.push(
          new Error(
            `${module.path}: export "${name}" declares a plugin that cannot be ` +
              `resolved: ${errorText(error)}`,
            { cause: error },
          ),
        );
      }
    }
  }
  return result;
}

/** A module import that did not finish in time. */
class ImportTimeout extends Error {}

/** Imports a module, but waits no longer than `timeout` ms for it. */
async function importWithin(
  url: string,
  timeout: number,
): Promise<Record<string, unknown>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ImportTimeout(
            `it did not finish importing within ${timeout / 1000} s: a ` +
              "top-level await in it, or in a module it imports, does not " +
              "settle (raise the limit with --timeout SECONDS if it is only slow)",
          ),
        ),
      timeout,
    );
  });
  try {
    return await Promise.race([import(url), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The description a plugin declares: `static description` on a plugin class,
 * a `description` property on a spec, or a `description` option given to
 * `plugin()`.
 */
function descriptionOf(value: unknown): string | undefined {
  const declared = functionPluginDeclaration(value);
  const holder = declared === undefined ? value : declared.options;
  const description = (holder as { description?: unknown }).description;
  return typeof description === "string" && description !== ""
    ? description
    : undefined;
}

/** Whether a file exists; a failure to check is left to the import. */
async function exists(file: string): Promise<boolean> {
  try {
    await Deno.stat(file);
    return true;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound);
  }
}

/** The error for a module that `exports` names and that does not exist. */
function missingExport(module: ModuleToScan): Error {
  const keys = module.subpaths.map((key) => `"${key}"`).join(", ");
  return new Error(
    `${module.path} does not exist, but "exports" maps ${keys} to it: fix ` +
      `the path in "exports" of the package's config, or create the module`,
  );
}

/**
 * The error for a module that failed to import. A missing permission (the
 * module or one of its imports is outside what the run may read or import)
 * names the flag to add; any other failure is the module's own, fixed in the
 * module or by excluding it.
 */
function importError(
  path: string,
  dir: string,
  error: unknown,
  advise: FlagAdvice,
): Error {
  const text = errorText(error);
  // A denied read inside the package names the package folder; one outside
  // it (a local @plux/core, a file the module reads) names that path.
  const hint = permissionHint(error, dir, advise);
  const fix = hint === ""
    ? `; fix it, or add it to "plux": { "exclude": [...] } in the package's config`
    : hint;
  return new Error(`${path} failed to import: ${text}${fix}`, { cause: error });
}
