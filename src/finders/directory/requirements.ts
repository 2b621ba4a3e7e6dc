// @ts-types="npm:@types/semver@^7.7.0"
import type semverModule from "npm:semver@^7.7.3";

/** The API of npm `semver`. */
export type Semver = typeof semverModule;

let semverLoading: Promise<Semver> | undefined;

/**
 * Imports npm `semver` on first use. Importing an npm package starts Deno's
 * npm support, which costs a process ~40 ms: applications that never read a
 * plugin directory do not pay it.
 *
 * @returns The semver API.
 */
export function loadSemver(): Promise<Semver> {
  return semverLoading ??= import("npm:semver@^7.7.3").then((module) =>
    module.default
  );
}

/**
 * The version of this `@plux/core`, which a plugin package may require as
 * `"@plux/core"`. Kept equal to `version` in the library's deno.json (a test
 * checks it).
 */
export const PLUX_VERSION = "0.1.0";

/** What a plugin package needs from its host: package name → semver range. */
export type Requirements = Readonly<Record<string, string>>;

/**
 * Lists the requirements a host does not meet. `@plux/core` is always
 * provided, at {@linkcode PLUX_VERSION}, unless `provides` names it.
 * Pre-release versions of the host satisfy ranges too.
 *
 * @param requires What the package needs, from `"plux": { "requires" }` in
 * its deno.json.
 * @param provides What the host provides: name → exact version.
 * @returns One sentence per unmet requirement; empty when all are met.
 * @example
 * ```ts
 * import { unmetRequirements } from "@plux/core";
 *
 * console.log(await unmetRequirements({ "my-app": ">=2.3" }, { "my-app": "2.4.0" })); // []
 * console.log(await unmetRequirements({ "my-app": ">=3" }, { "my-app": "2.4.0" }));
 * // ['needs my-app ">=3", but the host provides my-app 2.4.0']
 * ```
 */
export async function unmetRequirements(
  requires: Requirements,
  provides: Readonly<Record<string, string>> = {},
): Promise<string[]> {
  return unmetWith(await loadSemver(), requires, provides);
}

/**
 * {@linkcode unmetRequirements} with `semver` at hand, for loops.
 *
 * @param semver The semver API, from {@linkcode loadSemver}.
 * @param requires What the package needs.
 * @param provides What the host provides.
 * @returns One sentence per unmet requirement.
 */
export function unmetWith(
  semver: Semver,
  requires: Requirements,
  provides: Readonly<Record<string, string>> = {},
): string[] {
  const host: Record<string, string> = {
    "@plux/core": PLUX_VERSION,
    ...provides,
  };
  const unmet: string[] = [];
  for (const name of Object.keys(requires).sort()) {
    const range = requires[name]!;
    const wanted = `needs ${name} ${JSON.stringify(range)}`;
    if (semver.validRange(range) === null) {
      unmet.push(`${wanted}, which is not a semver range`);
    } else if (!Object.hasOwn(host, name)) {
      unmet.push(`${wanted}, but the host does not provide ${name}`);
    } else if (
      !semver.satisfies(host[name]!, range, { includePrerelease: true })
    ) {
      unmet.push(`${wanted}, but the host provides ${name} ${host[name]}`);
    }
  }
  return unmet;
}

// The semver.org pattern: npm semver is loaded only when it is needed.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/**
 * Checks what a host says it provides: each value a semver version.
 *
 * @param provides The host's `provides` option, name → version.
 * @param who The class whose option it is, for the message.
 * @throws {TypeError} Naming the key whose value is not a semver version.
 */
export function checkProvides(provides: unknown, who: string): void {
  if (provides === undefined) return;
  if (
    typeof provides !== "object" || provides === null || Array.isArray(provides)
  ) {
    throw new TypeError(
      `${who}: provides must map names to versions, for example ` +
        '{ "my-app": "2.4.0" }',
    );
  }
  for (const [name, version] of Object.entries(provides)) {
    if (typeof version !== "string" || !SEMVER.test(version)) {
      throw new TypeError(
        `${who}: provides["${name}"] must be a semver version such as ` +
          `"2.4.0", got ${JSON.stringify(version)}`,
      );
    }
  }
}
