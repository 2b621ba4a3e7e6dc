/**
 * `src/finders/directory/`: {@linkcode PluginDirectoryFinder}, plugin
 * directories of user-installed packages, and what only it uses: version
 * selection and fallback, requirements, settling a package version, the
 * known-good set and fail-safe mode, and problems as data. It may import
 * `core/`, `index/` and `finders/` (top level).
 *
 * @module
 */
import type { PluginSource } from "../../core/plugin_info.ts";
// Types only: the modules that read directories and settle packages (and
// use node:path and node:url, which start Deno's Node compatibility layer)
// are imported on the first findPlugins(), not by every importer of mod.ts.
import type { OnProblem, PackageState } from "./_settle.ts";
import type { SelectOptions } from "./_selection.ts";
import {
  type DirectoryProblem,
  PluginDirectoryError,
} from "./directory_problem.ts";
import type {
  FindPluginsOptions,
  PluginEntry,
  PluginFinder,
} from "../../core/finder.ts";
import { type KnownGoodPackage, writeKnownGood } from "./known_good.ts";
import { errorText } from "../../core/_error_text.ts";
import { checkProvides, loadSemver } from "./requirements.ts";

/** Options of {@linkcode PluginDirectoryFinder}. */
export interface PluginDirectoryFinderOptions {
  /**
   * What the host provides, name → semver version, checked against each
   * package's `"plux": { "requires": { ... } }`. `@plux/core` is always
   * provided.
   *
   * @default {{}}
   */
  provides?: Readonly<Record<string, string>>;
  /**
   * Whether an unusable newest version falls back to the next older one:
   * at discovery (unmet requirement, invalid deno.json or plux.json), and
   * when a plugin module of the version in use fails to import. When false
   * the package is left out instead.
   *
   * @default {true}
   */
  fallback?: boolean;
  /**
   * Whether `findPlugins()` throws a {@linkcode PluginDirectoryError}
   * listing every problem instead of skipping what is unusable. To list
   * import failures too, it imports every offered package's plugin modules
   * before offering anything.
   *
   * @default {false}
   */
  strict?: boolean;
  /**
   * The file of the known-good set that `failSafe` falls back to; the
   * application writes it with `recordKnownGood()`.
   *
   * @default {undefined (no known-good set)}
   */
  knownGood?: string;
  /**
   * Whether to use the known-good set when the directories' current
   * contents produce any failure: an invalid entry, a link outside, or a
   * plugin module that fails to import. To check the whole set before
   * offering anything, `findPlugins()` imports every offered package's
   * plugin modules up front (laziness traded for a checked set). A version
   * skipped for an unmet requirement, or a duplicate copy, is not a failure.
   *
   * @default {false}
   */
  failSafe?: boolean;
  /** Called with each problem as it is found, load-time ones included. */
  onProblem?: (problem: DirectoryProblem) => void;
}

interface Ready {
  readonly states: readonly PackageState[];
  /** Problems found before anything was offered, to report to each caller. */
  readonly problems: readonly DirectoryProblem[];
}

/**
 * What {@linkcode PluginDirectoryFinder.recordKnownGood} reads of a plugin:
 * where it comes from and whether it failed. A `PluginContainer` is one.
 */
export interface PluginOutcome {
  /** The package the plugin comes from. */
  readonly source?: PluginSource;
  /** Whether the plugin loaded. */
  readonly isLoaded: boolean;
  /** Why the plugin's code could not be imported, if it could not. */
  readonly resolveError?: unknown;
  /** Why the plugin's factory failed, if it did. */
  readonly initError?: unknown;
  /** Why the plugin's `load()` failed, if it did. */
  readonly loadError?: unknown;
}

/**
 * Finds plugins in plugin directories: folders where users install plugin
 * packages, unpacked (each entry a folder with `deno.json` holding name and
 * version, and `plux.json`), outside any import map.
 *
 * Several versions of a package may be installed. The newest usable one
 * (by semver) is offered: a version is unusable when its deno.json or index
 * is invalid, or the host does not meet its `"plux": { "requires" }`. With
 * `fallback` (the default) the next older version is used instead.
 *
 * A package is used in one version only. The first time any of its plugins
 * is resolved, the finder imports the modules of every plugin of that
 * version (in all namespaces): the price of a consistent set. If one fails,
 * the version is reported and the next older usable version is tried the
 * same way; every plugin of the package then resolves from the version in
 * use, and its entries' `source` and `value` name that version. Listing
 * imports no plugin code, except in `failSafe` and `strict` mode, which
 * check every package before offering anything.
 *
 * Every skip is kept in {@linkcode PluginDirectoryFinder.problems} and
 * passed to `report`. The directories are read once, on the first
 * `findPlugins()` (or again after `refresh()`), so managers of different
 * namespaces see the same versions; listing order never matters. A missing
 * directory counts as empty; dot entries and plain files are ignored. An
 * entry or file that is a link leading outside its directory is refused.
 * The application needs `--allow-read` for the directories.
 *
 * Plugin modules are imported with the application's import map: a
 * package's own deno.json `imports` are not applied.
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
  #problems: DirectoryProblem[] = [];
  #ready: Promise<Ready> | undefined;

  /**
   * Creates a finder over plugin directories.
   *
   * @param directories The directories' paths.
   * @param options Host versions, fallback, strict and fail-safe settings.
   * @throws {TypeError} When `directories` is not a list of paths, or a
   * `provides` value is not a semver version.
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
    checkProvides(options.provides, "PluginDirectoryFinder");
    this.directories = [...directories];
    this.#options = options;
  }

  /**
   * Everything skipped since the directories were read: at discovery, and
   * when a package was settled and a version failed to import.
   */
  get problems(): readonly DirectoryProblem[] {
    return [...this.#problems];
  }

  /**
   * Lists the plugins of the chosen package versions; reports each problem
   * as a {@linkcode PluginDirectoryError}.
   *
   * @param options The namespace needed and where to report problems.
   * @returns Lazy entries, sorted by package then plugin.
   * @throws {PluginDirectoryError} In strict mode, when there is any problem.
   */
  async findPlugins(options: FindPluginsOptions = {}): Promise<PluginEntry[]> {
    const ready = await (this.#ready ??= this.#read());
    if (this.#options.strict && ready.problems.length > 0) {
      throw new PluginDirectoryError(ready.problems);
    }
    for (const problem of ready.problems) {
      options.report?.(new PluginDirectoryError([problem]));
    }
    const onProblem: OnProblem = (problem) => {
      this.#problem(problem);
      options.report?.(new PluginDirectoryError([problem]));
    };
    return ready.states.flatMap((state) =>
      state.entries(options.namespace, onProblem)
    );
  }

  /**
   * Forgets what was read: the next `findPlugins()` reads the directories
   * again, and `problems` starts empty. Managers that already listed their
   * plugins keep them; create new ones to see the new contents. A module
   * already imported stays as it was (Deno imports a URL once per process),
   * so install a new version in a new folder rather than over an old one.
   */
  refresh(): void {
    this.#ready = undefined;
    this.#problems = [];
  }

  /**
   * Records the known-good set, for a later run in fail-safe mode: every
   * package version in use whose plugin modules all imported in this run
   * (it was settled without failure) and none of whose plugins in
   * `containers` failed to resolve, initialise or load.
   *
   * Call it after loading every plugin the application uses (for example
   * after `loadAll()` of each manager), with the containers of every
   * manager using this finder. A package none of whose plugins was resolved
   * has not been checked and is not recorded; in `failSafe` or `strict`
   * mode every offered package is checked when listing, so every one that
   * imports cleanly is recorded.
   *
   * The file is replaced atomically (see `writeKnownGood`); the application
   * needs `--allow-read` and `--allow-write` for its folder. A file that
   * cannot be written is not thrown about: the failure is added to
   * {@linkcode PluginDirectoryFinder.problems} (kind `"record"`, with the
   * fix), the old file stays as it was, and the returned list is empty.
   *
   * @param file Where to write the set; usually the `knownGood` file.
   * @param containers The containers of every manager using this finder.
   * @returns The recorded package versions, sorted by name; none when the
   * file could not be written.
   */
  async recordKnownGood(
    file: string,
    containers: Iterable<PluginOutcome>,
  ): Promise<KnownGoodPackage[]> {
    const { states } = await (this.#ready ??= this.#read());
    const bad = new Set<string>();
    for (const container of containers) {
      const source = container.source;
      const failed = !container.isLoaded &&
        (container.resolveError !== undefined ||
          container.initError !== undefined ||
          container.loadError !== undefined);
      if (source?.kind === "directory" && failed) bad.add(source.package!);
    }
    const good: KnownGoodPackage[] = [];
    for (const state of states) {
      const pkg = state.settled?.pkg;
      if (pkg !== undefined && !bad.has(pkg.name)) {
        good.push({ name: pkg.name, version: pkg.version });
      }
    }
    try {
      await writeKnownGood(file, good);
    } catch (error) {
      this.#problem({ kind: "record", path: file, reason: errorText(error) });
      return [];
    }
    return good;
  }

  async #read(): Promise<Ready> {
    const [
      { knownGoodChoices },
      { PackageState },
      { isFailure, selectPackages },
    ] = await Promise.all([
      import("./_fail_safe.ts"),
      import("./_settle.ts"),
      import("./_selection.ts"),
    ]);
    const fallback = this.#options.fallback ?? true;
    const options: SelectOptions = {
      semver: await loadSemver(),
      provides: this.#options.provides ?? {},
      fallback,
    };
    const selection = await selectPackages(this.directories, options);
    const problems = [...selection.problems];
    problems.forEach((problem) => this.#problem(problem));
    let states = selection.choices.map((c) => new PackageState(c, fallback));
    const { failSafe = false, strict = false } = this.#options;
    if (!failSafe && !strict) return { states, problems };
    problems.push(...await this.#settleAll(states));
    const failures = problems.filter(isFailure).length;
    if (!failSafe || failures === 0) return { states, problems };
    const safe = await knownGoodChoices(
      selection,
      failures,
      this.#options.knownGood,
      options,
    );
    safe.problems.forEach((problem) => this.#problem(problem));
    problems.push(...safe.problems);
    if (safe.choices === undefined) return { states, problems };
    states = safe.choices.map((c) => new PackageState(c, fallback));
    problems.push(...await this.#settleAll(states));
    return { states, problems };
  }

  /** Settles packages concurrently; their problems in package order. */
  async #settleAll(
    states: readonly PackageState[],
  ): Promise<DirectoryProblem[]> {
    const found = await Promise.all(states.map(async (state) => {
      const problems: DirectoryProblem[] = [];
      await state.settle((problem) => problems.push(problem));
      return problems;
    }));
    const problems = found.flat();
    problems.forEach((problem) => this.#problem(problem));
    return problems;
  }

  #problem(problem: DirectoryProblem): void {
    this.#problems.push(problem);
    this.#options.onProblem?.(problem);
  }
}
