/**
 * `src/finders/import_map/`: {@linkcode ImportMapFinder}, the default
 * finder, and what only it uses: reading the application's deno.json and
 * workspace, turning import-map entries into package sources, checking read
 * access without prompts, and reading each package's `plux.json`. It may
 * import `core/`, `index/` and `finders/` (top level).
 *
 * @module
 */
import { findConfig, fromFileUrl, readAppConfig } from "./_deno_config.ts";
import { packageCandidates } from "./_package_sources.ts";
import { errorText } from "../../core/_error_text.ts";
import { ReadAccess } from "./_read_access.ts";
import { readPackageIndex } from "./_read_package_index.ts";
import type {
  FindPluginsOptions,
  PluginEntry,
  PluginFinder,
} from "../../core/finder.ts";
import {
  importHere,
  type IndexedPackage,
  indexEntries,
  type ModuleImporter,
} from "../index_entries.ts";
import { toFileUrl } from "../_file_url.ts";
import { checkIndexTimeout } from "./_remote_index.ts";
import { isIncomplete } from "../../core/finder.ts";

/** Options of {@linkcode ImportMapFinder}. */
export interface ImportMapFinderOptions {
  /**
   * The application's `deno.json` or `deno.jsonc`: a path (relative to the
   * working directory) or a `file:` URL.
   *
   * @default {the first deno.json or deno.jsonc in the main module's folder or a parent, as Deno finds it}
   */
  config?: string | URL;
  /**
   * Imports plugin modules and the JSON indexes of jsr:, npm: and URL
   * packages. Pass `(specifier, options) => import(specifier, options)` from
   * the application when `@plux/core` itself comes from JSR and plugin
   * packages are imported by URL: Deno lets no JSR module import a URL
   * module, so the import must run in the application's own module.
   *
   * The `file:` and `jsr:` plugin modules asked for at once (by `loadAll()`,
   * `listPluginSpecs()`, or concurrent `load()` calls) are imported together,
   * through one generated `blob:` module that re-exports them: this function
   * imports that module too. `http(s):` and `npm:` modules are imported one
   * by one.
   *
   * @default {`import()` in this module}
   */
  importModule?: ModuleImporter;
  /**
   * How long the index of one `jsr:`, `npm:` or URL package is waited for,
   * in milliseconds (`Infinity` for no limit). A package whose index does
   * not arrive in time (a server that never answers) is reported as a
   * problem naming its index, and the other packages are listed; the listing
   * is then incomplete, so it is not kept: the next one asks again. The
   * import itself cannot be cancelled and keeps the process alive until it
   * settles.
   *
   * @default {10000}
   */
  indexTimeout?: number;
}

interface Discovery {
  readonly packages: readonly IndexedPackage[];
  readonly problems: readonly Error[];
  /** Whether a wait ran out: the discovery is not kept. */
  readonly incomplete?: boolean;
}

/**
 * Finds plugins through the application's import map: the default finder of
 * {@linkcode PluginManager}.
 *
 * It reads the application's `deno.json`/`deno.jsonc` (its `imports`, an
 * `importMap` file and its `workspace` members) and the `plux.json` of each
 * package: from disk for the application package, workspace members and
 * local paths; by a JSON import for `jsr:`, `npm:` and `http(s):` packages.
 * Packages without an index are skipped. Indexes are read once per finder
 * (the JSON imports of remote ones concurrently) and kept in memory; listing
 * imports no plugin code.
 *
 * Order, which decides which of two packages offering the same plugin wins:
 * the application package, then workspace members in declared order, then
 * `imports` sorted by key. A package reached twice counts once, at its first
 * place.
 *
 * Problems (an unreadable or invalid index, a missing permission) go to the
 * `report` callback, which {@linkcode PluginManager} passes to its listeners'
 * `onResolveException`; discovery goes on with the other packages.
 *
 * @example
 * ```ts
 * import { ImportMapFinder, PluginManager } from "@plux/core";
 *
 * const finder = new ImportMapFinder({ config: "./deno.json" });
 * const manager = new PluginManager("my.services", { finder });
 * console.log(await manager.listNames()); // the plugins the packages offer
 * ```
 */
export class ImportMapFinder implements PluginFinder {
  readonly #config: URL | undefined;
  readonly #import: ModuleImporter;
  readonly #indexTimeout: number;
  #discovery: Promise<Discovery> | undefined;

  /**
   * Creates a finder; nothing is read until {@linkcode ImportMapFinder.findPlugins}.
   *
   * @param options Where the application's config is.
   * @throws {TypeError} When `indexTimeout` is not a number of milliseconds.
   */
  constructor(options: ImportMapFinderOptions = {}) {
    this.#import = options.importModule ?? importHere;
    this.#indexTimeout = checkIndexTimeout(options.indexTimeout);
    const config = options.config;
    // A path is a path: `toFileUrl` keeps a `#`, `%` or `?` in it (in the
    // working directory too) part of the file name.
    this.#config = config === undefined
      ? undefined
      : config instanceof URL || /^file:/.test(config)
      ? new URL(config)
      : toFileUrl(config);
  }

  /**
   * Lists the plugins the application's packages offer, as lazy entries.
   *
   * @param options The namespace wanted and where to report problems.
   * @returns The entries, in discovery order.
   */
  async findPlugins(options: FindPluginsOptions = {}): Promise<PluginEntry[]> {
    const discovery = this.#discovery ??= this.#discover();
    const { packages, problems, incomplete } = await discovery;
    // A package whose index did not arrive in time is asked for again.
    if (incomplete && this.#discovery === discovery) {
      this.#discovery = undefined;
    }
    for (const problem of problems) {
      // A broken entry of another namespace is not this listing's concern.
      const about = (problem.cause as { namespace?: unknown } | undefined)
        ?.namespace;
      if (about !== undefined && about !== (options.namespace ?? about)) {
        continue;
      }
      options.report?.(problem);
    }
    const entries: PluginEntry[] = [];
    for (let i = 0; i < packages.length; i++) {
      indexEntries(
        packages[i]!,
        options.namespace,
        undefined,
        this.#import,
        entries,
      );
    }
    return entries;
  }

  /** Forgets the indexes read so far; the next call reads them again. */
  refresh(): void {
    this.#discovery = undefined;
  }

  async #discover(): Promise<Discovery> {
    const access = new ReadAccess();
    let url = this.#config;
    if (url === undefined) {
      const main = new URL(Deno.mainModule);
      if (main.protocol !== "file:") return { packages: [], problems: [] };
      const search = findConfig(main, access);
      if (search.url === undefined) {
        const { allowFlag, runAdvice } = await import("../_permission_flag.ts");
        const problems = search.unreadable.length === 0 ? [] : [
          new Error(
            `plugin discovery found no readable deno.json for ${
              fromFileUrl(main)
            }: it may not read ${search.unreadable[0]}; ` +
              runAdvice()(
                `${
                  allowFlag("read", [fromFileUrl(new URL("./", main))])
                } (or the folder holding its deno.json)`,
              ),
          ),
        ];
        return { packages: [], problems };
      }
      url = search.url;
    }
    let config;
    try {
      config = await readAppConfig(url, access);
    } catch (error) {
      const message = errorText(error);
      const { permissionHint } = await import("../_permission_flag.ts");
      const fix = error instanceof Deno.errors.NotFound
        ? "; pass the path of an existing deno.json to ImportMapFinder"
        : permissionHint(
          error,
          folderToRead(message) ?? new URL("./", url).href,
        );
      return {
        packages: [],
        problems: [
          new Error(
            `plugin discovery cannot use the application config ${
              fromFileUrl(url)
            }: ${message}${fix}`,
            { cause: error },
          ),
        ],
      };
    }
    // Paths under the application's folder (and its workspace root) then
    // need no permission query of their own.
    access.trustFolder(fromFileUrl(config.dir));
    if (config.rootDir !== undefined) {
      access.trustFolder(fromFileUrl(config.rootDir));
    }
    const outcomes = await Promise.all(
      packageCandidates(config).map((c) =>
        readPackageIndex(c, config, this.#import, access, this.#indexTimeout)
      ),
    );
    const seen = new Set<string>();
    const packages: IndexedPackage[] = [];
    const problems: Error[] = [...config.memberProblems ?? []];
    let incomplete = false;
    for (let i = 0; i < outcomes.length; i++) {
      const outcome = outcomes[i]!;
      if (seen.has(outcome.root)) continue;
      seen.add(outcome.root);
      if (outcome.problems.length > 0) {
        problems.push(...outcome.problems);
        incomplete ||= outcome.problems.some(isIncomplete);
      }
      if (outcome.pkg !== undefined) packages.push(outcome.pkg);
    }
    return { packages, problems, incomplete };
  }
}

let shared: ImportMapFinder | undefined;

/**
 * The finder every {@linkcode PluginManager} without its own finder uses: one
 * per process, so indexes are read once however many managers there are.
 *
 * @returns The shared {@linkcode ImportMapFinder}.
 */
export function defaultFinder(): ImportMapFinder {
  return shared ??= new ImportMapFinder();
}

/** The folder a failed workspace glob needed, which the hint then names. */
function folderToRead(message: string): string | undefined {
  return /read access to "([^"]+)" to expand the workspace members/
    .exec(message)?.[1];
}
