import { fileURLToPath } from "node:url";
import { type DirectoryPackage, isInside } from "./_directory_package.ts";
import {
  type Choice,
  type Selection,
  selectPackages,
} from "./_directory_selection.ts";
import { PluginException } from "../core/errors.ts";
import type { PluginSpec } from "../core/plugin_spec.ts";
import type { PluginContainer } from "./container.ts";
import {
  type DirectoryProblem,
  PluginDirectoryError,
} from "./directory_problem.ts";
import type {
  FindPluginsOptions,
  PluginEntry,
  PluginFinder,
} from "./finder.ts";
import { indexEntries } from "./index_entries.ts";
import { loadSemver } from "./requirements.ts";
import { type KnownGoodPackage, writeKnownGood } from "./known_good.ts";

/** Options of {@linkcode PluginDirectoryFinder}. */
export interface PluginDirectoryFinderOptions {
  /**
   * What the host provides, name → version, checked against each package's
   * `"plux": { "requires": { ... } }`. `@plux/core` is always provided.
   *
   * @default {{}}
   */
  provides?: Readonly<Record<string, string>>;
  /**
   * Whether an unusable newest version falls back to the next older one.
   * When false the package is left out instead, and a plugin whose module
   * fails to import is not taken from an older version.
   *
   * @default {true}
   */
  fallback?: boolean;
  /**
   * Whether `findPlugins()` throws a {@linkcode PluginDirectoryError}
   * listing every problem instead of skipping what is unusable.
   *
   * @default {false}
   */
  strict?: boolean;
  /** The file of a known-good set, for `failSafe`. */
  knownGood?: string;
  /**
   * Whether to use the known-good set instead of the directories' newest
   * usable versions when the directories have any problem.
   *
   * @default {false}
   */
  failSafe?: boolean;
  /** Called with each problem as it is found, load-time ones included. */
  onProblem?: (problem: DirectoryProblem) => void;
}

/**
 * Finds plugins in plugin directories: folders where users install plugin
 * packages, unpacked (each entry a folder with `deno.json` holding name and
 * version, and `plux.json`), outside any import map.
 *
 * Several versions of a package may be installed. The newest usable one
 * (by semver) is offered: a version is unusable when its deno.json or index
 * is invalid, or the host does not meet its `"plux": { "requires" }`. With
 * `fallback` (the default) the next older version is used instead; a plugin
 * whose module fails to import is taken from the next older version that
 * has it, when it is resolved. Every skip is kept in
 * {@linkcode PluginDirectoryFinder.problems} and passed to `report`.
 *
 * The directories are read once, on the first `findPlugins()`, so managers
 * of different namespaces see the same versions; listing order never
 * matters. A missing directory counts as empty; dot entries and plain files
 * are ignored. An entry or file that is a link leading outside its
 * directory is refused. The application needs `--allow-read` for the
 * directories.
 *
 * @example Loading user plugins and printing what was skipped
 * ```ts
 * import { describeProblem, PluginDirectoryFinder, PluginManager } from "@plux/core";
 *
 * const dir = await Deno.makeTempDir({ prefix: "plux_" });
 * const finder = new PluginDirectoryFinder([dir], { provides: { "my-app": "2.4.0" } });
 * const manager = new PluginManager("my-app.tools", { finder });
 * await manager.loadAll();
 * for (const problem of finder.problems) console.log(describeProblem(problem));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class PluginDirectoryFinder implements PluginFinder {
  /** The plugin directories, in the order given. */
  readonly directories: readonly string[];
  readonly #options: PluginDirectoryFinderOptions;
  readonly #problems: DirectoryProblem[] = [];
  #selection: Promise<Selection> | undefined;
  /** namespace:name → the version a plugin was resolved from. */
  readonly #resolved = new Map<string, DirectoryPackage>();
  /** name@version of versions with a plugin that failed to resolve. */
  readonly #failed = new Set<string>();

  /**
   * Creates a finder over plugin directories.
   *
   * @param directories The directories' paths.
   * @param options Host versions, fallback, strict and fail-safe settings.
   * @throws {TypeError} When `directories` is not a list of paths.
   */
  constructor(
    directories: readonly string[],
    options: PluginDirectoryFinderOptions = {},
  ) {
    if (
      !Array.isArray(directories) ||
      !directories.every((d) => typeof d === "string" && d !== "")
    ) {
      throw new TypeError(
        "PluginDirectoryFinder: directories must be a list of folder paths",
      );
    }
    this.directories = [...directories];
    this.#options = options;
  }

  /**
   * Everything skipped so far: at discovery, and at load time when a
   * plugin's module failed and an older version was tried.
   */
  get problems(): readonly DirectoryProblem[] {
    return [...this.#problems];
  }

  /**
   * Lists the plugins of the chosen package versions, without importing
   * their code; reports each problem as a {@linkcode PluginDirectoryError}.
   *
   * @param options The namespace needed and where to report problems.
   * @returns Lazy entries, sorted by package then plugin.
   * @throws {PluginDirectoryError} In strict mode, when there is any problem.
   */
  async findPlugins(options: FindPluginsOptions = {}): Promise<PluginEntry[]> {
    const selection = await this.#select();
    if (this.#options.strict && selection.problems.length > 0) {
      throw new PluginDirectoryError(selection.problems);
    }
    for (const problem of selection.problems) {
      options.report?.(new PluginDirectoryError([problem]));
    }
    return selection.choices.flatMap((choice) =>
      indexEntries(
        choice.chosen.indexed,
        options.namespace,
        (entry) =>
          this.#resolve(entry.namespace, entry.name, choice, options.report),
      )
    );
  }

  /**
   * Records the package versions of the plugins that loaded successfully as
   * the known-good set, for a later run in fail-safe mode. A version with a
   * plugin that failed to import is never recorded.
   *
   * @param file Where to write the set; usually the `knownGood` file.
   * @param containers The containers of every manager using this finder.
   * @returns The recorded package versions.
   * @throws {Deno.errors.NotCapable} Without write permission for `file`.
   */
  async recordKnownGood(
    file: string,
    containers: Iterable<PluginContainer>,
  ): Promise<KnownGoodPackage[]> {
    const good = new Map<string, KnownGoodPackage>();
    for (const container of containers) {
      const pkg = this.#resolved.get(
        `${container.namespace}:${container.name}`,
      );
      const id = `${pkg?.name}@${pkg?.version}`;
      if (pkg === undefined || !container.isLoaded || this.#failed.has(id)) {
        continue;
      }
      good.set(id, { name: pkg.name, version: pkg.version });
    }
    await writeKnownGood(file, good.values());
    return [...good.values()];
  }

  #select(): Promise<Selection> {
    return this.#selection ??= loadSemver().then((semver) =>
      selectPackages(this.directories, {
        semver,
        provides: this.#options.provides ?? {},
        fallback: this.#options.fallback ?? true,
        knownGood: this.#options.knownGood,
        failSafe: this.#options.failSafe ?? false,
      })
    ).then((selection) => {
      selection.problems.forEach((problem) => this.#problem(problem));
      return selection;
    });
  }

  #problem(problem: DirectoryProblem): void {
    this.#problems.push(problem);
    this.#options.onProblem?.(problem);
  }

  async #resolve(
    namespace: string,
    name: string,
    choice: Choice,
    report: FindPluginsOptions["report"],
  ): Promise<PluginSpec> {
    const id = `${namespace}:${name}`;
    const versions = [choice.chosen, ...choice.older];
    let first: unknown;
    for (const [i, pkg] of versions.entries()) {
      const entry = indexEntries(pkg.indexed, namespace).find((e) =>
        e.name === name
      );
      if (entry === undefined) continue;
      try {
        const indexEntry = pkg.indexed.index.plugins[namespace]!.find((e) =>
          e.name === name
        )!;
        await _checkInside(pkg, pkg.indexed.specifierOf(indexEntry)!);
        const spec = await entry.resolve();
        this.#resolved.set(id, pkg);
        return spec;
      } catch (error) {
        first ??= error;
        this.#failed.add(`${pkg.name}@${pkg.version}`);
        const next = versions.slice(i + 1).find((older) =>
          indexEntries(older.indexed, namespace).some((e) => e.name === name)
        );
        const problem: DirectoryProblem = {
          kind: error instanceof _Outside ? "outside" : "import",
          package: pkg.name,
          version: pkg.version,
          plugin: id,
          path: pkg.path,
          reason: `${(error as Error).message}${
            next === undefined
              ? ""
              : `; falling back to ${next.name}@${next.version}`
          }`,
        };
        this.#problem(problem);
        report?.(new PluginDirectoryError([problem]));
      }
    }
    throw new PluginException(
      `plugin ${id} of ${choice.chosen.name}: no installed version could be ` +
        `resolved; first failure: ${(first as Error).message}`,
      { namespace, pluginName: name, cause: first },
    );
  }
}

class _Outside extends Error {}

async function _checkInside(pkg: DirectoryPackage, url: string): Promise<void> {
  const path = fileURLToPath(url);
  let real: string;
  try {
    real = await Deno.realPath(path);
  } catch {
    return; // the import reports the missing file with its own message
  }
  if (!isInside(pkg.dir, real)) {
    throw new _Outside(
      `${path} is a link to ${real}, outside the package ${pkg.dir}; refused`,
    );
  }
}
