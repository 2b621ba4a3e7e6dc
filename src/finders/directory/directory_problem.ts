/**
 * Why a {@linkcode PluginDirectoryFinder} skipped something:
 *
 * - `"invalid"`: the entry is not a readable plugin package (no or bad
 *   `deno.json`, no name or no semver version, bad `plux.json`).
 * - `"requirement"`: the host does not meet a requirement of the package.
 * - `"import"`: a plugin module of the version failed to import, or does
 *   not export the plugin the index names; found when the package was
 *   settled (its first plugin resolved, or up front in fail-safe and strict
 *   mode). The whole version is skipped.
 * - `"outside"`: the entry or one of its files leads outside its directory.
 * - `"duplicate"`: the same package version is in two places.
 * - `"fallback"`: the newest version is unusable and `fallback` is off, so
 *   the package is left out.
 * - `"known-good"`: fail-safe mode is on and the version is not the one in
 *   the known-good set.
 * - `"fail-safe"`: not a skip but a notice: fail-safe mode is using the
 *   known-good set, or cannot.
 * - `"record"`: not a skip: `recordKnownGood()` could not write the
 *   known-good set (the old file is left as it was).
 *
 * `"invalid"`, `"outside"` and `"import"` are failures: they make fail-safe
 * mode use the known-good set. The others are handled, not failures.
 */
export type DirectoryProblemKind =
  | "invalid"
  | "requirement"
  | "import"
  | "outside"
  | "duplicate"
  | "fallback"
  | "known-good"
  | "fail-safe"
  | "record";

/** One thing a {@linkcode PluginDirectoryFinder} skipped, and why. */
export interface DirectoryProblem {
  /** What kind of problem it is. */
  readonly kind: DirectoryProblemKind;
  /** The package's name, when its `deno.json` could be read. */
  readonly package?: string;
  /** The skipped version, when known. */
  readonly version?: string;
  /** The plugin (`namespace:name`) that failed, for load-time problems. */
  readonly plugin?: string;
  /** The directory entry (or file) concerned. */
  readonly path?: string;
  /** What went wrong and what to do about it. */
  readonly reason: string;
}

/**
 * The error form of one or more {@linkcode DirectoryProblem}s: what a
 * `PluginDirectoryFinder` passes to `report` (one problem each), and what it
 * throws in `strict` mode (every problem).
 *
 * @example
 * ```ts
 * import { PluginDirectoryError } from "@plux/core";
 *
 * const error = new PluginDirectoryError([
 *   { kind: "requirement", package: "@acme/x", version: "2.0.0", reason: "needs my-app >=3" },
 * ]);
 * console.log(error.problems[0]?.version); // "2.0.0"
 * ```
 */
export class PluginDirectoryError extends Error {
  /** The problems, in the order they were found. */
  readonly problems: readonly DirectoryProblem[];

  /**
   * Creates the error of one or more problems.
   *
   * @param problems The problems; the message lists each of them, on one
   * line: `2 problems in the plugin directories: (1) ... (2) ...`.
   */
  constructor(problems: readonly DirectoryProblem[]) {
    super(
      problems.length === 1
        ? describeProblem(problems[0]!)
        : `${problems.length} problems in the plugin directories: ` +
          problems.map((p, i) => `(${i + 1}) ${describeProblem(p)}`)
            .join(" "),
    );
    this.name = "PluginDirectoryError";
    this.problems = [...problems];
  }
}

/**
 * Formats a problem on one line, for example
 * `@acme/x@2.0.0 skipped (requirement): needs my-app >=3`.
 *
 * @param problem The problem.
 * @returns The line.
 * @example
 * ```ts
 * import { describeProblem } from "@plux/core";
 *
 * console.log(describeProblem({ kind: "import", package: "p", version: "1.0.0", reason: "boom" }));
 * // "p@1.0.0 skipped (import): boom"
 * ```
 */
export function describeProblem(problem: DirectoryProblem): string {
  if (problem.kind === "fail-safe") return `fail-safe mode: ${problem.reason}`;
  if (problem.kind === "record") {
    return `known-good set not recorded: ${problem.reason}`;
  }
  const who = problem.package === undefined
    ? problem.path ?? "a plugin directory entry"
    : problem.version === undefined
    ? problem.package
    : `${problem.package}@${problem.version}`;
  const plugin = problem.plugin === undefined
    ? ""
    : ` plugin ${problem.plugin}`;
  return `${who}${plugin} skipped (${problem.kind}): ${problem.reason}`;
}
