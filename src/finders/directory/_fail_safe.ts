import { describe } from "./_package.ts";
import {
  type Choice,
  type Selection,
  type SelectOptions,
  unmetProblem,
} from "./_selection.ts";
import type { DirectoryProblem } from "./directory_problem.ts";
import { readKnownGood } from "./known_good.ts";

/** What fail-safe mode offers instead, with the notices it adds. */
export interface FailSafe {
  /** The known-good choices, or `undefined` when the set cannot be used. */
  readonly choices?: readonly Choice[];
  /** The `fail-safe` notice, then a `known-good` problem per package left out. */
  readonly problems: readonly DirectoryProblem[];
}

/**
 * Chooses the recorded known-good versions instead of the newest usable
 * ones, because the directories' current contents produced `failures`.
 *
 * @param selection What the directories hold.
 * @param failures How many failures the current contents produced.
 * @param knownGood The known-good file, when one is set.
 * @param options Requirements and fallback settings.
 * @returns The known-good choices and the notices.
 */
export async function knownGoodChoices(
  selection: Selection,
  failures: number,
  knownGood: string | undefined,
  options: SelectOptions,
): Promise<FailSafe> {
  const asIs = "using the plugin directories as they are";
  if (knownGood === undefined) {
    return {
      problems: [{
        kind: "fail-safe",
        reason: `${failures} failure(s), but no knownGood file is set; ${asIs}`,
      }],
    };
  }
  let recorded;
  try {
    recorded = await readKnownGood(knownGood);
  } catch (error) {
    return {
      problems: [{
        kind: "fail-safe",
        path: knownGood,
        reason: error instanceof Deno.errors.NotFound
          ? `${failures} failure(s), but no known-good set has been recorded ` +
            `yet in ${knownGood} (the application records one with ` +
            `recordKnownGood()); ${asIs}`
          : `${failures} failure(s), but the known-good set cannot be read ` +
            `(${describe(error, knownGood)}); ${asIs}`,
      }],
    };
  }
  const problems: DirectoryProblem[] = [{
    kind: "fail-safe",
    path: knownGood,
    reason: `the plugin directories have ${failures} failure(s); ` +
      `using the known-good set recorded in ${knownGood} instead`,
  }];
  const choices: Choice[] = [];
  for (const [name, versions] of selection.versions) {
    const good = new Set(
      recorded.filter((p) => p.name === name).map((p) => p.version),
    );
    const usable = versions.filter((v) =>
      good.has(v.version) && v.pkg !== undefined &&
      unmetProblem(v.pkg, options) === undefined
    );
    if (usable.length > 0) {
      choices.push({
        name,
        chosen: usable[0]!.pkg!,
        older: options.fallback ? usable.slice(1) : [],
      });
      continue;
    }
    problems.push({
      kind: "known-good",
      package: name,
      version: versions[0]!.version,
      reason: good.size === 0
        ? "left out: the package is not in the known-good set"
        : `left out: its known-good version ${[...good].join(", ")} ` +
          "is no longer installed or usable",
    });
  }
  return { choices, problems };
}
