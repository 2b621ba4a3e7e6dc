import { join } from "node:path";
import {
  describe,
  type DirectoryPackage,
  readDirectoryEntry,
} from "./_directory_package.ts";
import type { DirectoryProblem } from "./directory_problem.ts";
import { readKnownGood } from "./known_good.ts";
import { type Requirements, type Semver, unmetWith } from "./requirements.ts";

/** What the finder uses of one package: the chosen version and fallbacks. */
export interface Choice {
  /** The version whose plugins are offered. */
  readonly chosen: DirectoryPackage;
  /** Older usable versions to fall back to at load time, newest first. */
  readonly older: readonly DirectoryPackage[];
}

/** The outcome of reading the plugin directories. */
export interface Selection {
  /** One choice per package, sorted by package name. */
  readonly choices: readonly Choice[];
  /** What was skipped, in a deterministic order. */
  readonly problems: readonly DirectoryProblem[];
}

/** How to choose; see `PluginDirectoryFinderOptions`. */
export interface SelectOptions {
  /** npm `semver`, from `loadSemver()`. */
  readonly semver: Semver;
  readonly provides: Readonly<Record<string, string>>;
  readonly fallback: boolean;
  readonly knownGood?: string;
  readonly failSafe: boolean;
}

interface Version {
  readonly name: string;
  readonly version: string;
  readonly pkg?: DirectoryPackage;
  readonly problem?: DirectoryProblem;
}

/**
 * Reads every plugin directory and chooses one version per package. The
 * outcome depends only on the directories' contents, never on listing order.
 *
 * @param directories The plugin directories, in the caller's order.
 * @param options Requirements, fallback and fail-safe settings.
 * @returns The choices and the problems.
 */
export async function selectPackages(
  directories: readonly string[],
  options: SelectOptions,
): Promise<Selection> {
  const problems: DirectoryProblem[] = [];
  const versions: Version[] = [];
  for (const directory of directories) {
    for (const result of await _readDirectory(directory, problems)) {
      if (result?.package !== undefined) {
        const { name, version } = result.package;
        versions.push({ name, version, pkg: result.package });
      } else if (
        result?.problem.package !== undefined &&
        result.problem.version !== undefined
      ) {
        const { package: name, version } = result.problem;
        versions.push({ name, version, problem: result.problem });
      } else if (result !== undefined) {
        problems.push(result.problem);
      }
    }
  }
  const byName = new Map<string, Version[]>();
  for (const version of versions) {
    byName.set(version.name, [...(byName.get(version.name) ?? []), version]);
  }
  const names = [...byName.keys()].sort();
  const choices: Choice[] = [];
  for (const name of names) {
    // Stable sort: equal versions keep directory order, then entry name.
    const sorted = byName.get(name)!.sort((a, b) =>
      options.semver.rcompare(a.version, b.version)
    );
    const choice = _choose(
      _dropDuplicates(sorted, problems),
      options,
      problems,
    );
    if (choice !== undefined) choices.push(choice);
  }
  if (!options.failSafe || problems.length === 0) return { choices, problems };
  return await _failSafe(byName, names, options, problems, choices);
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
  sorted: Version[],
  problems: DirectoryProblem[],
): Version[] {
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
  sorted: readonly Version[],
  options: SelectOptions,
  problems: DirectoryProblem[],
): Choice | undefined {
  const usable: DirectoryPackage[] = [];
  const skipped: DirectoryProblem[] = [];
  for (const version of sorted) {
    const reason = version.problem ??
      _unmet(version.pkg!, options);
    if (reason === undefined) usable.push(version.pkg!);
    else if (usable.length === 0) skipped.push(reason);
  }
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
  if (usable.length === 0) return undefined;
  return {
    chosen: usable[0]!,
    older: options.fallback ? usable.slice(1) : [],
  };
}

function _unmet(
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

async function _failSafe(
  byName: Map<string, Version[]>,
  names: string[],
  options: SelectOptions,
  problems: DirectoryProblem[],
  choices: Choice[],
): Promise<Selection> {
  const count = problems.length;
  if (options.knownGood === undefined) {
    problems.push({
      kind: "fail-safe",
      reason: `${count} problem(s), but no knownGood file is set; ` +
        "using the plugin directories as they are",
    });
    return { choices, problems };
  }
  let recorded;
  try {
    recorded = await readKnownGood(options.knownGood);
  } catch (error) {
    problems.push({
      kind: "fail-safe",
      path: options.knownGood,
      reason: `${count} problem(s), but the known-good set cannot be read ` +
        `(${
          describe(error, options.knownGood)
        }); using the plugin directories as they are`,
    });
    return { choices, problems };
  }
  problems.push({
    kind: "fail-safe",
    path: options.knownGood,
    reason: `the plugin directories have ${count} problem(s); ` +
      `using the known-good set recorded in ${options.knownGood} instead`,
  });
  const safe: Choice[] = [];
  for (const name of names) {
    const good = new Set(
      recorded.filter((p) => p.name === name).map((p) => p.version),
    );
    const usable = byName.get(name)!
      .filter((v) =>
        good.has(v.version) && v.pkg !== undefined &&
        _unmet(v.pkg, options) === undefined
      )
      .map((v) => v.pkg!);
    if (usable.length > 0) {
      safe.push({ chosen: usable[0]!, older: usable.slice(1) });
      continue;
    }
    const newest = byName.get(name)![0]!;
    problems.push({
      kind: "known-good",
      package: name,
      version: newest.version,
      reason: good.size === 0
        ? "left out: the package is not in the known-good set"
        : `left out: its known-good version ${[...good].join(", ")} ` +
          "is no longer installed or usable",
    });
  }
  return { choices: safe, problems };
}
