import { join } from "node:path";
import {
  describe,
  type DirectoryPackage,
  readDirectoryEntry,
} from "./_package.ts";
import type { DirectoryProblem } from "./directory_problem.ts";
import { type Requirements, type Semver, unmetWith } from "./requirements.ts";

/** One installed version of a package: usable so far, or with its problem. */
export interface Candidate {
  readonly name: string;
  readonly version: string;
  /** The package, when it passed discovery. */
  readonly pkg?: DirectoryPackage;
  /** Why it is unusable, when it did not. */
  readonly problem?: DirectoryProblem;
}

/** What the finder uses of one package: the chosen version and fallbacks. */
export interface Choice {
  /** The package name. */
  readonly name: string;
  /** The version whose plugins are offered until the package is settled. */
  readonly chosen: DirectoryPackage;
  /**
   * The older versions, newest first, to fall back to when the chosen one
   * fails to import; unusable ones keep their problem, to be reported when
   * passed over. Empty when fallback is off.
   */
  readonly older: readonly Candidate[];
}

/** The outcome of reading the plugin directories. */
export interface Selection {
  /** One choice per package, sorted by package name. */
  readonly choices: readonly Choice[];
  /** What was skipped, in a deterministic order. */
  readonly problems: readonly DirectoryProblem[];
  /** Every version of every package, newest first, duplicates dropped. */
  readonly versions: ReadonlyMap<string, readonly Candidate[]>;
}

/** How to choose; see `PluginDirectoryFinderOptions`. */
export interface SelectOptions {
  /** npm `semver`, from `loadSemver()`. */
  readonly semver: Semver;
  readonly provides: Readonly<Record<string, string>>;
  readonly fallback: boolean;
}

/**
 * Whether a problem is broken content (an invalid entry, a link outside,
 * a module that fails to import), which makes fail-safe mode engage. A
 * version skipped for an unmet requirement or as a duplicate copy is
 * handled, not a failure.
 *
 * @param problem The problem.
 * @returns Whether it is a failure.
 */
export function isFailure(problem: DirectoryProblem): boolean {
  return problem.kind === "invalid" || problem.kind === "outside" ||
    problem.kind === "import";
}

/**
 * Reads every plugin directory and chooses one version per package. The
 * outcome depends only on the directories' contents, never on listing order.
 * Only versions newer than a chosen one are reported here; older unusable
 * ones are reported if a fallback passes over them.
 *
 * @param directories The plugin directories, in the caller's order.
 * @param options Requirements and fallback settings.
 * @returns The choices, the problems and every version found.
 */
export async function selectPackages(
  directories: readonly string[],
  options: SelectOptions,
): Promise<Selection> {
  const problems: DirectoryProblem[] = [];
  const byName = new Map<string, Candidate[]>();
  for (const directory of directories) {
    for (const result of await _readDirectory(directory, problems)) {
      let candidate: Candidate | undefined;
      if (result?.package !== undefined) {
        const { name, version } = result.package;
        candidate = { name, version, pkg: result.package };
      } else if (
        result?.problem.package !== undefined &&
        result.problem.version !== undefined
      ) {
        const { package: name, version } = result.problem;
        candidate = { name, version, problem: result.problem };
      } else if (result !== undefined) {
        problems.push(result.problem);
      }
      if (candidate !== undefined) {
        byName.set(candidate.name, [
          ...(byName.get(candidate.name) ?? []),
          candidate,
        ]);
      }
    }
  }
  const versions = new Map<string, Candidate[]>();
  const choices: Choice[] = [];
  for (const name of [...byName.keys()].sort()) {
    // Stable sort: equal versions keep directory order, then entry name.
    const sorted = byName.get(name)!.sort((a, b) =>
      options.semver.rcompare(a.version, b.version)
    );
    const unique = _dropDuplicates(sorted, problems);
    versions.set(name, unique);
    const choice = _choose(unique, options, problems);
    if (choice !== undefined) choices.push(choice);
  }
  return { choices, problems, versions };
}

/**
 * Whether the host meets a package's requirements; the problem if not.
 *
 * @param pkg The package.
 * @param options What the host provides.
 * @returns A `requirement` problem, or `undefined`.
 */
export function unmetProblem(
  pkg: DirectoryPackage,
  options: SelectOptions,
): DirectoryProblem | undefined {
  const unmet = unmetWith(
    options.semver,
    pkg.requires as Requirements,
    options.provides,
  );
  if (unmet.length === 0) return undefined;
  return {
    kind: "requirement",
    package: pkg.name,
    version: pkg.version,
    path: pkg.path,
    reason: `${unmet.join("; ")}; install a version made for this host`,
  };
}

async function _readDirectory(
  directory: string,
  problems: DirectoryProblem[],
) {
  let root: string;
  const names: string[] = [];
  try {
    root = await Deno.realPath(directory);
    for await (const entry of Deno.readDir(root)) {
      if (!entry.name.startsWith(".")) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    problems.push({
      kind: "invalid",
      path: directory,
      reason: `the plugin directory cannot be read: ${
        describe(error, directory)
      }`,
    });
    return [];
  }
  names.sort();
  return await Promise.all(
    names.map((name) => readDirectoryEntry(root, join(root, name))),
  );
}

function _dropDuplicates(
  sorted: Candidate[],
  problems: DirectoryProblem[],
): Candidate[] {
  return sorted.filter((v, i) => {
    const first = sorted.findIndex((w) => w.version === v.version);
    if (first === i) return true;
    problems.push({
      kind: "duplicate",
      package: v.name,
      version: v.version,
      path: v.pkg?.path ?? v.problem?.path,
      reason: `the same version is also at ${
        sorted[first]!.pkg?.path ?? sorted[first]!.problem?.path
      }, which is used; remove one of them`,
    });
    return false;
  });
}

function _choose(
  sorted: readonly Candidate[],
  options: SelectOptions,
  problems: DirectoryProblem[],
): Choice | undefined {
  const checked = sorted.map((candidate): Candidate =>
    candidate.problem !== undefined ? candidate : {
      ...candidate,
      problem: unmetProblem(candidate.pkg!, options),
    }
  );
  const at = checked.findIndex((c) => c.problem === undefined);
  const skipped = (at === -1 ? checked : checked.slice(0, at))
    .map((c) => c.problem!);
  problems.push(...skipped);
  const newest = sorted[0]!;
  if (!options.fallback && skipped.length > 0) {
    problems.push({
      kind: "fallback",
      package: newest.name,
      version: newest.version,
      reason: `left out: its newest version is unusable and fallback is off; ` +
        "fix or remove that version, or turn fallback on",
    });
    return undefined;
  }
  if (at === -1) return undefined;
  return {
    name: newest.name,
    chosen: checked[at]!.pkg!,
    older: options.fallback ? checked.slice(at + 1) : [],
  };
}
