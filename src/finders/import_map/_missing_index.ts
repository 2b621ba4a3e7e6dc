/**
 * A forgotten step: a local package that is meant to offer plugins but has
 * no `plux.json` is reported with the command that writes it, instead of
 * being skipped without a word.
 *
 * The rule, for a local package (the application, a workspace member, a
 * folder mapped by path) without `plux.json`:
 * - its config says so: its `exports` lists `./plux.json`, it has a
 *   `plux:index` task or `"plux"` settings, or (not the application) it maps
 *   `@plux/core` in its own `imports` (see `expectsIndex`);
 * - or it is a workspace member whose workspace root maps `@plux/core` (which
 *   every member inherits) or runs the indexer from a task, and the modules
 *   it exports (and the local modules they import) declare plugins in their
 *   text. A member that only uses the library, or holds no plugins, is not
 *   reported: the root's settings alone say nothing about one member.
 *
 * @module
 */

import {
  expectsIndex,
  INDEX_TASK,
  indexTaskOf,
} from "../../index/expects_index.ts";
import {
  type AppConfig,
  exportsOf,
  fromFileUrl,
  readJsonc,
} from "./_deno_config.ts";
import type { PackageCandidate } from "./_package_sources.ts";
import type { ReadAccess } from "./_read_access.ts";
import { readUtf8FileSync } from "../../index/_utf8.ts";

/** How `plux init` is run in a package folder, for messages. */
const INIT = "deno run --allow-read=. --allow-write=. jsr:@plux/core/cli init";

/** How many of a member's modules are read, at most, looking for plugins. */
const MAX_MODULES = 64;

/** A module file discovery may read for plugin declarations. */
const MODULE = /\.(?:[cm]?[jt]sx?)$/;

/** A relative static import or re-export, or a dynamic import of a literal. */
const RELATIVE_IMPORT =
  /\b(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"'\n]+)["']/g;

/**
 * The problem of a local package without `plux.json` that is meant to have
 * one (see the module doc), or `undefined` (no config, nothing says so, or a
 * config the process may not read: then there is nothing to go on, and no
 * prompt).
 *
 * @param candidate The package.
 * @param dir The package folder, holding its config.
 * @param config The application config.
 * @param access What the process may read.
 * @param label The package as messages name it.
 * @returns The problem, naming the package, the file and the command.
 */
export async function missingIndex(
  candidate: PackageCandidate,
  dir: URL,
  config: AppConfig,
  access: ReadAccess,
  label: string,
): Promise<Error | undefined> {
  // The application's own deno.json was read already.
  const found = candidate.kind === "app" && config.data !== undefined &&
      config.url.href === new URL("deno.json", dir).href
    ? { name: "deno.json", data: config.data }
    : await packageConfig(dir, access);
  if (found === undefined) return undefined;
  const { name, data } = found;
  let reason = expectsIndex(data, candidate.kind === "app");
  let folder = dir;
  if (reason !== undefined) reason = `its ${name} ${reason}`;
  else if (
    candidate.kind === "workspace" &&
    (config.rootMapsLibrary || config.rootIndexTask)
  ) {
    const module = await declaringModule(dir, data, access);
    if (module === undefined) return undefined;
    const root = config.rootUrl === undefined
      ? "the workspace"
      : fromFileUrl(config.rootUrl);
    reason = `${module} declares plugins and ${root} ${
      config.rootMapsLibrary
        ? 'maps "@plux/core" for every member'
        : `indexes its members (task "${config.rootIndexTaskName}")`
    }`;
    // The workspace uses the library: its root is where indexing is set up.
    if (config.rootUrl !== undefined) folder = new URL("./", config.rootUrl);
  }
  if (reason === undefined) return undefined;
  return new Error(
    `${label} has no plux.json, but ${reason}, so it is meant to offer ` +
      `plugins: ${indexFix(candidate, dir, data, config, folder)}`,
  );
}

/**
 * The problem of a package whose `plux.json` is a symbolic link to nothing:
 * never what its author meant, so reported whatever the config says.
 *
 * @param candidate The package.
 * @param dir The package folder.
 * @param config The application config.
 * @param access What the process may read.
 * @param label The package as messages name it.
 * @param target Where the link points.
 * @returns The problem.
 */
export async function danglingIndex(
  candidate: PackageCandidate,
  dir: URL,
  config: AppConfig,
  access: ReadAccess,
  label: string,
  target: string,
): Promise<Error> {
  const data = (await packageConfig(dir, access))?.data ?? {};
  return new Error(
    `${label}: ${fromFileUrl(new URL("plux.json", dir))} is a symbolic link ` +
      `to ${target}, which does not exist: restore that file, or delete the ` +
      `link and ${indexFix(candidate, dir, data, config)}`,
  );
}

/**
 * Where a `plux.json` that could not be found links to, when it is a
 * symbolic link (to nothing, then).
 *
 * @param path The missing index's path.
 * @returns The link's target, or `undefined` when there is no link either.
 */
export function linkTarget(path: string): string | undefined {
  try {
    return Deno.readLinkSync(path);
  } catch {
    return undefined; // no file and no link: the package has no index
  }
}

/** The package's config, when it has one the process may read and parse. */
async function packageConfig(
  dir: URL,
  access: ReadAccess,
): Promise<{ name: string; data: Record<string, unknown> } | undefined> {
  for (const name of ["deno.json", "deno.jsonc"]) {
    const url = new URL(name, dir);
    if (!access.canRead(fromFileUrl(url))) return undefined;
    try {
      return { name, data: await readJsonc(url) };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      return undefined; // a broken config is Deno's to report
    }
  }
  return undefined;
}

/**
 * The command that writes the package's index, and where to run it: its own
 * task, else its workspace root's, else `plux init` in `setUp` (the package,
 * or the root of a workspace that uses the library) and then the task.
 */
function indexFix(
  candidate: PackageCandidate,
  dir: URL,
  data: Record<string, unknown>,
  config: AppConfig,
  setUp: URL = dir,
): string {
  const folder = fromFileUrl(dir).replace(/(.)[\\/]$/, "$1");
  const own = indexTaskOf(data);
  if (own !== undefined) return `run \`deno task ${own}\` in ${folder}`;
  if (
    candidate.kind === "workspace" && config.rootIndexTaskName !== undefined &&
    config.rootUrl !== undefined
  ) {
    const root = fromFileUrl(new URL("./", config.rootUrl))
      .replace(/(.)[\\/]$/, "$1");
    return `run \`deno task ${config.rootIndexTaskName}\` in ${root}`;
  }
  const where = fromFileUrl(setUp).replace(/(.)[\\/]$/, "$1");
  return `run \`${INIT}\` in ${where} to add the ${INDEX_TASK} task, then ` +
    `\`deno task ${INDEX_TASK}\` there`;
}

/**
 * The first module of a member (`./...`) that declares a plugin: the
 * modules its `exports` name (or `mod.ts` without `exports`), then the local
 * modules they import, breadth first, at most {@linkcode MAX_MODULES},
 * never outside the member's folder, never one the process may not read.
 */
async function declaringModule(
  dir: URL,
  data: Record<string, unknown>,
  access: ReadAccess,
): Promise<string | undefined> {
  // Imported here: most packages without an index are not looked into.
  const { declaresPlugins } = await import(
    "../../index/declares_plugins.ts"
  );
  const exported = Object.values(exportsOf(data.exports));
  const queue = (exported.length === 0 ? ["./mod.ts"] : exported)
    .map((path) => new URL(path, dir));
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < MAX_MODULES) {
    const url = queue.shift()!;
    if (
      seen.has(url.href) || !url.href.startsWith(dir.href) ||
      !MODULE.test(url.pathname)
    ) continue;
    seen.add(url.href);
    const path = fromFileUrl(url);
    if (!access.canRead(path)) continue;
    let text: string;
    try {
      // A regular file only: reading a FIFO would stop the process.
      text = readUtf8FileSync(url, path);
    } catch {
      continue; // a module that cannot be read is the import's to report
    }
    if (declaresPlugins(text)) {
      return `./${path.slice(fromFileUrl(dir).length)}`;
    }
    for (const match of text.matchAll(RELATIVE_IMPORT)) {
      queue.push(new URL(match[1]!, url));
    }
  }
  return undefined;
}
