/**
 * The package a read `plux.json` makes: its source as listings show it, and
 * how each entry's module is reached from the root discovery established.
 *
 * @module
 */

import type { IndexEntry, PluginIndex } from "../../index/format.ts";
import type { PluginSource } from "../../core/plugin_info.ts";
import { setDeclaredIn } from "../../core/_describe.ts";
import {
  type AppConfig,
  fromFileUrl,
  type readMemberConfig,
} from "./_deno_config.ts";
import { declaringFile, type PackageCandidate } from "./_package_sources.ts";
import type { IndexedPackage } from "../index_entries.ts";

/** What a workspace member's config says of it. */
type MemberConfig = Awaited<ReturnType<typeof readMemberConfig>>;

/**
 * A package of the import map with its index. One object per package, its
 * methods on the prototype: listing thousands of packages makes no closure
 * for each, and what only messages need is worked out when asked for.
 */
export class ImportMapPackage implements IndexedPackage {
  readonly source: PluginSource;
  readonly index: PluginIndex;
  readonly root: string;
  readonly #candidate: PackageCandidate;
  readonly #config: AppConfig;
  readonly #exports: Readonly<Record<string, string>>;

  /**
   * @param candidate The package as the import map gave it.
   * @param root Its root: a folder href ending in `/`, or a jsr:/npm:
   * package specifier.
   * @param file Its index (URL or specifier).
   * @param index The validated index.
   * @param config The application config.
   * @param member A workspace member's config, when it was read.
   */
  constructor(
    candidate: PackageCandidate,
    root: string,
    file: string,
    index: PluginIndex,
    config: AppConfig,
    member: MemberConfig | undefined,
  ) {
    // What discovery itself established wins over what the index claims:
    // the index's name is only shown, and never part of a specifier.
    let name = candidate.kind === "jsr" || candidate.kind === "npm"
      ? root.replace(/^(jsr|npm):/, "").replace(/(.)@.*$/, "$1")
      : index.package?.name;
    let version = index.package?.version;
    let exports: Readonly<Record<string, string>> = NO_EXPORTS;
    if (candidate.kind === "app") {
      name ??= config.name;
      version ??= config.version;
      exports = config.exports;
    } else if (member !== undefined) {
      name ??= member.name;
      version ??= member.version;
      exports = member.exports;
    }
    this.source = {
      kind: candidate.kind,
      package: name,
      version,
      key: candidate.key ??
        (candidate.kind === "workspace" ? name : undefined),
      index: file,
    };
    this.index = index;
    this.root = root;
    this.#candidate = candidate;
    this.#config = config;
    this.#exports = exports;
    setDeclaredIn(this.source, this);
  }

  /** How to regenerate the index, for messages. */
  get fix(): string {
    return this.root.startsWith("file:")
      ? `run \`deno task plux:index\` in ${fromFileUrl(this.root)}`
      : `ask the maintainers of ${
        this.source.package ?? this.root
      } to run \`deno task plux:index\` and publish again, or use another version`;
  }

  /**
   * The config file that brought the package in, for messages.
   *
   * @returns Its path, or `undefined`.
   */
  declaredIn(): string | undefined {
    return declaringFile(this.#candidate, this.#config);
  }

  /**
   * The specifier of an entry's module: a jsr:/npm: package by its
   * `subpath`; a folder by its `path`, or for the application and workspace
   * members by the module its config exports under the `subpath`. Never
   * from a name the index gives.
   *
   * @param entry The entry.
   * @returns The specifier, or `undefined` when this package cannot reach
   * the module.
   */
  specifierOf(entry: IndexEntry): string | undefined {
    const kind = this.#candidate.kind;
    if (kind === "jsr" || kind === "npm") {
      return entry.subpath === undefined
        ? undefined
        : entry.subpath === "."
        ? this.root
        : `${this.root}/${entry.subpath.slice(2)}`;
    }
    const exports = this.#exports;
    const target = entry.path ??
      (entry.subpath === undefined || !Object.hasOwn(exports, entry.subpath)
        ? undefined
        : exports[entry.subpath]);
    return target === undefined ? undefined : new URL(target, this.root).href;
  }
}

const NO_EXPORTS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Whether an entry of the index has no `path`: its module is then found
 * through the package's exports, so a member's config must be read.
 *
 * @param index The index.
 * @returns Whether one entry lacks a path.
 */
export function hasEntryWithoutPath(index: PluginIndex): boolean {
  for (const namespace in index.plugins) {
    const entries = index.plugins[namespace]!;
    for (let i = 0; i < entries.length; i++) {
      if (entries[i]!.path === undefined) return true;
    }
  }
  return false;
}
