/**
 * Turns the application's config into the list of packages that may hold a
 * `plux.json`, in the finder's order: the application package, workspace
 * members in declared order, then `imports` sorted by key.
 *
 * @module
 */

import { type AppConfig, fromFileUrl } from "./_deno_config.ts";
import { compareStrings } from "../../core/_values.ts";

/** How a package is reached; the `kind` of its `PluginSource`. */
export type SourceKind = "app" | "workspace" | "path" | "jsr" | "npm" | "url";

/** A package that may have an index, before the index is read. */
export interface PackageCandidate {
  /** How the package is reached. */
  readonly kind: SourceKind;
  /** The import-map key it was found under, for `imports` entries. */
  readonly key?: string;
  /**
   * The package root: a folder URL ending in `/` (`file:`, `http(s):`), or a
   * `jsr:`/`npm:` package specifier such as `jsr:@acme/tools@^1`.
   */
  readonly root: string;
  /**
   * For a plain local mapping (`"x": "./dir/mod.ts"`): the mapped module,
   * from which the root is searched upwards; `root` is then its folder.
   */
  readonly module?: URL;
  /** For a plain local mapping: the file whose `imports` map it. */
  readonly base?: URL;
}

/**
 * This library's own folder, when it runs from files: an import-map entry
 * that points into it is the library, not a plugin package.
 */
const LIBRARY_ROOT = new URL("../../../", import.meta.url).href;

const JSR = /^jsr:\/?(@[^/@]+\/[^/@]+)(@[^/]*)?(?:\/.*)?$/;
const NPM = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)(@[^/]*)?(?:\/.*)?$/;

/**
 * Lists the packages of an application config, in discovery order.
 *
 * @param config The application config.
 * @returns The candidates; the same root may appear more than once.
 */
export function packageCandidates(config: AppConfig): PackageCandidate[] {
  const candidates: PackageCandidate[] = [
    { kind: "app", root: config.dir.href },
  ];
  for (const member of config.members) {
    // An application that is a workspace member is listed as the app.
    if (member.href === config.dir.href) continue;
    candidates.push({ kind: "workspace", root: member.href });
  }
  const keys = Object.keys(config.imports).sort(compareStrings);
  for (const key of keys) {
    const candidate = classify(
      key,
      config.imports[key]!,
      config.importBase[key]!,
    );
    if (candidate !== undefined && !isLibrary(candidate)) {
      candidates.push(candidate);
    }
  }
  return candidates;
}

/**
 * Whether an import-map entry is `@plux/core` itself (mapped by name, from
 * jsr: or npm:, or to this copy's files), which ships no index: looking for
 * one would only cost an import, or warn about a folder the application has
 * no reason to read.
 *
 * @param candidate The entry.
 * @returns Whether to leave it out.
 */
export function isLibrary(candidate: PackageCandidate): boolean {
  return candidate.key === "@plux/core" ||
    candidate.key === "@plux/core/" ||
    /^(jsr|npm):@plux\/core(@|$)/.test(candidate.root) ||
    candidate.root === LIBRARY_ROOT ||
    candidate.root.startsWith(`${LIBRARY_ROOT}src/`);
}

/**
 * Classifies one import-map entry.
 *
 * @param key The import-map key.
 * @param target What it maps to.
 * @param base The file that declared it (relative targets resolve from it).
 * @returns The candidate, or `undefined` for targets that are not packages
 * (`node:` built-ins, bare names, `data:` URLs).
 */
export function classify(
  key: string,
  target: string,
  base: URL,
): PackageCandidate | undefined {
  const jsr = JSR.exec(target);
  if (jsr !== null) {
    return { kind: "jsr", key, root: `jsr:${jsr[1]}${jsr[2] ?? ""}` };
  }
  const npm = NPM.exec(target);
  if (npm !== null) {
    return { kind: "npm", key, root: `npm:${npm[1]}${npm[2] ?? ""}` };
  }
  if (/^https?:\/\//.test(target)) {
    const url = new URL(target);
    return { kind: "url", key, root: new URL("./", url).href };
  }
  if (/^(\.\.?\/|\/|file:)/.test(target)) {
    const url = URL.parse(target, base);
    if (url === null || url.protocol !== "file:") return undefined;
    if (url.pathname.endsWith("/")) {
      return { kind: "path", key, root: url.href };
    }
    return {
      kind: "path",
      key,
      root: new URL("./", url).href,
      module: url,
      base,
    };
  }
  return undefined;
}

/**
 * Names a candidate for messages.
 *
 * @param candidate The package.
 * @returns For example `workspace member /app/packages/tools`.
 */
export function describeCandidate(candidate: PackageCandidate): string {
  const where = candidate.root.startsWith("file:")
    ? fromFileUrl(candidate.root)
    : candidate.root;
  switch (candidate.kind) {
    case "app":
      return `the application package (${where})`;
    case "workspace":
      return `workspace member ${where}`;
    default:
      return `package "${candidate.key}" (${where})`;
  }
}

/**
 * The config file that brought a candidate in, for messages that say where
 * to remove it: the workspace root's for a member, the file whose imports
 * map it for an import-map entry.
 *
 * @param candidate The package.
 * @param config The application config.
 * @returns The file's path (or URL), or `undefined` (the application).
 */
export function declaringFile(
  candidate: PackageCandidate,
  config: AppConfig,
): string | undefined {
  const file = candidate.kind === "workspace"
    ? config.rootUrl
    : candidate.key === undefined
    ? undefined
    : config.importBase[candidate.key];
  if (file === undefined) return undefined;
  return file.protocol === "file:" ? fromFileUrl(file) : file.href;
}
