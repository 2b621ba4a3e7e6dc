/**
 * Locating and reading the application's `deno.json`/`deno.jsonc` for
 * run-time discovery: its name, version, exports, `imports` (merged with an
 * `importMap` file) and workspace members.
 *
 * @module
 */

import { fromFileUrl } from "../_file_url.ts";
import { parseJsonc } from "../_jsonc.ts";
import { ReadAccess } from "./_read_access.ts";
import { expandMembers } from "./_workspace_members.ts";
import { isRecord } from "../../core/_values.ts";
import { indexTaskOf, libraryKey } from "../../index/expects_index.ts";
import { isPackageName, isVersion } from "../../index/format.ts";
import { NotAFileError, readUtf8FileSync } from "../../index/_utf8.ts";

/** The config file names Deno looks for in a folder, in its order. */
const CONFIG_NAMES = ["deno.json", "deno.jsonc"] as const;

/** What run-time discovery needs from the application's config. */
export interface AppConfig {
  /** The config file's URL. */
  readonly url: URL;
  /** The folder holding it: the application package's root. */
  readonly dir: URL;
  /**
   * The workspace root's folder, when the application is a member of a
   * workspace above it; `undefined` when the config is itself the root or
   * in no workspace.
   */
  readonly rootDir?: URL;
  /** `name`, when given. */
  readonly name?: string;
  /** `version`, when given. */
  readonly version?: string;
  /** `exports` as an object of subpath to module (a string means `"."`). */
  readonly exports: Readonly<Record<string, string>>;
  /**
   * The import map: for a workspace member, the root's imports and then the
   * member's own over them; in each config, the `importMap` file's imports
   * when the config has no `imports` of its own.
   */
  readonly imports: Readonly<Record<string, string>>;
  /** The URL each import is relative to (the file that declared it). */
  readonly importBase: Readonly<Record<string, URL>>;
  /** Workspace member folders, in declared order (globs expanded, sorted). */
  readonly members: readonly URL[];
  /**
   * Whether the workspace root (the application's config when it is the
   * root) has a task that runs the indexer (`plux:index`, or one running
   * `plux index`), which indexes every member.
   */
  readonly rootIndexTask: boolean;
  /** That task's name, when there is one. */
  readonly rootIndexTaskName?: string;
  /**
   * Whether the workspace root's own `imports` map `@plux/core`: its members
   * inherit the mapping, so a member need not map the library to use it.
   */
  readonly rootMapsLibrary?: boolean;
  /**
   * The workspace root's config file (the application's own when it is the
   * root), when the application is in a workspace.
   */
  readonly rootUrl?: URL;
  /** Workspace members that are skipped, and why (see `expandMembers`). */
  readonly memberProblems?: readonly Error[];
  /** The config as parsed, for the checks of an application without index. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** What {@linkcode findConfig} found. */
export interface ConfigSearch {
  /** The config file, when one was found. */
  readonly url?: URL;
  /** Candidate files that could not be checked for lack of read permission. */
  readonly unreadable: readonly string[];
}

/**
 * Finds the config file the way Deno does: `deno.json`, else `deno.jsonc`, in
 * `start` and then in each parent folder. Files the process may not read are
 * not touched (so no permission prompt appears) but listed.
 *
 * @param start The folder to begin with, usually the main module's.
 * @param access What the process may read.
 * @returns The config's URL, if found, and the candidates it could not check.
 */
export function findConfig(
  start: URL,
  access: ReadAccess = new ReadAccess(),
): ConfigSearch {
  const unreadable: string[] = [];
  let dir = new URL("./", start);
  while (true) {
    const found = configIn(dir, access, unreadable);
    if (found !== undefined) return { url: found, unreadable };
    const parent = new URL("../", dir);
    if (parent.href === dir.href) return { unreadable };
    dir = parent;
  }
}

/**
 * Reads and parses the application's config, its `importMap` file and its
 * workspace member list. When the config declares no `workspace`, the parent
 * folders are searched, as Deno does, for the nearest config that declares
 * one; when its members include the application's folder, the application
 * is that workspace's member: its import map is the root's `imports` with
 * its own over them, and its workspace members are the root's.
 *
 * @param url The config file.
 * @param access What the process may read; unreadable parent configs are
 * skipped, without a permission prompt.
 * @returns The config.
 * @throws {SyntaxError} When the config, the root's config or an import map
 * is not valid JSONC, naming the file, line and column.
 * @throws {Deno.errors.NotCapable} When read permission is missing.
 */
export async function readAppConfig(
  url: URL,
  access: ReadAccess = new ReadAccess(),
): Promise<AppConfig> {
  const data = await readJsonc(url, access);
  const dir = new URL("./", url);
  // No prototype: keys are the import map's, and hundreds of them added one
  // by one would make as many hidden classes of a plain object.
  const imports: Record<string, string> = Object.create(null);
  const importBase: Record<string, URL> = Object.create(null);
  const members = workspaceOf(data);
  const memberProblems: Error[] = [];
  let root: Workspace | undefined;
  if (members === undefined) {
    root = await workspaceAbove(dir, access, memberProblems);
    if (root !== undefined) {
      await addConfigImports(root.data, root.url, imports, importBase, access);
    }
  }
  await addConfigImports(data, url, imports, importBase, access);
  const exports = exportsOf(data.exports);
  const rootData = root?.data ?? data;
  const rootTask = indexTaskOf(rootData);
  const rootUrl = root?.url ?? (members === undefined ? undefined : url);
  return {
    url,
    dir,
    rootDir: root?.dir,
    name: typeof data.name === "string" ? data.name : undefined,
    version: isVersion(data.version) ? data.version : undefined,
    exports,
    imports,
    importBase,
    members: root?.members ??
      expandMembers(dir, members ?? [], (p) => memberProblems.push(p)),
    rootIndexTask: rootTask !== undefined,
    rootIndexTaskName: rootTask,
    rootMapsLibrary: rootUrl !== undefined &&
      libraryKey(rootData) !== undefined,
    rootUrl,
    memberProblems,
    data,
  };
}

/**
 * The `exports` of a config as subpath to module (a string means `"."`), in
 * an object without a prototype.
 *
 * @param value The config's `exports`.
 * @returns The string-valued exports.
 */
export function exportsOf(value: unknown): Record<string, string> {
  const exports: Record<string, string> = Object.create(null);
  if (typeof value === "string") exports["."] = value;
  else if (isRecord(value)) {
    for (const [key, target] of Object.entries(value)) {
      if (typeof target === "string") exports[key] = target;
    }
  }
  return exports;
}

/**
 * What a workspace member's config says of it: its package name (when it
 * is one), version and exports.
 *
 * @param dir The member's folder.
 * @param access What the process may read; an unreadable config is skipped.
 * @returns The member's name, version and exports (empty without a config).
 * @throws {SyntaxError} When the config is not valid JSONC.
 */
export async function readMemberConfig(
  dir: URL,
  access: ReadAccess,
): Promise<
  { name?: string; version?: string; exports: Record<string, string> }
> {
  const url = configIn(dir, access, []);
  if (url === undefined) return { exports: exportsOf(undefined) };
  const data = await readJsonc(url);
  return {
    name: isPackageName(data.name) ? data.name : undefined,
    version: isVersion(data.version) ? data.version : undefined,
    exports: exportsOf(data.exports),
  };
}

/** A workspace root above the application, and its members. */
interface Workspace {
  readonly url: URL;
  readonly dir: URL;
  readonly data: Record<string, unknown>;
  readonly members: readonly URL[];
}

/**
 * The workspace that `dir` is a member of: the nearest parent folder whose
 * config declares a `workspace`, if that workspace lists `dir` (Deno ignores
 * a parent workspace that does not). Configs without `workspace` on the way
 * are passed, unreadable ones skipped.
 */
async function workspaceAbove(
  dir: URL,
  access: ReadAccess,
  memberProblems: Error[],
): Promise<Workspace | undefined> {
  let current = dir;
  while (true) {
    const parent = new URL("../", current);
    if (parent.href === current.href) return undefined;
    current = parent;
    const url = configIn(current, access, []);
    if (url === undefined) continue;
    const data = await readJsonc(url);
    const list = workspaceOf(data);
    if (list === undefined) continue;
    const skipped: Error[] = [];
    const members = expandMembers(current, list, (p) => skipped.push(p));
    if (!members.some((member) => member.href === dir.href)) return undefined;
    memberProblems.push(...skipped);
    return { url, dir: current, data, members };
  }
}

/** The config file in `dir` (`deno.json`, else `deno.jsonc`), if readable. */
function configIn(
  dir: URL,
  access: ReadAccess,
  unreadable: string[],
): URL | undefined {
  for (const name of CONFIG_NAMES) {
    const file = new URL(name, dir);
    const path = fromFileUrl(file);
    if (!access.canRead(path)) unreadable.push(path);
    else if (isFile(file)) return file;
  }
  return undefined;
}

/** The `workspace` list (or `workspace.members`), when the config has one. */
function workspaceOf(data: Record<string, unknown>): unknown[] | undefined {
  return Array.isArray(data.workspace)
    ? data.workspace
    : isRecord(data.workspace) && Array.isArray(data.workspace.members)
    ? data.workspace.members
    : undefined;
}

/**
 * Adds a config's imports: like Deno, an `importMap` file is used only when
 * the config has no `imports` or `scopes` of its own.
 */
async function addConfigImports(
  data: Record<string, unknown>,
  url: URL,
  imports: Record<string, string>,
  importBase: Record<string, URL>,
  access: ReadAccess,
): Promise<void> {
  const inline = data.imports !== undefined || data.scopes !== undefined;
  if (typeof data.importMap === "string" && !inline) {
    const mapUrl = new URL(data.importMap, url);
    const map = await readJsonc(mapUrl, access);
    addImports(map.imports, mapUrl, imports, importBase);
  }
  addImports(data.imports, url, imports, importBase);
}

/**
 * Parses JSON with comments and trailing commas, as Deno reads its configs.
 *
 * @param url The file.
 * @param access When given, a file the process may not read is not read
 * (which would make Deno prompt) but reported.
 * @returns The top-level object.
 * @throws {SyntaxError} Naming the file, line and column of the first error.
 * @throws {Deno.errors.NotCapable} When `access` says the file may not be read.
 * @throws {NotAFileError} When the path is a FIFO, a socket, a device or a
 * folder (never opened).
 */
export async function readJsonc(
  url: URL,
  access?: ReadAccess,
): Promise<Record<string, unknown>> {
  const file = url.protocol === "file:" ? fromFileUrl(url) : url.href;
  if (access !== undefined && !access.canRead(file)) {
    throw new Deno.errors.NotCapable(
      `Requires read access to "${file}", which was not granted`,
    );
  }
  let text: string;
  try {
    text = readUtf8FileSync(url, file);
  } catch (error) {
    if (error instanceof NotAFileError) {
      throw error.withFix("replace it with a JSON text file");
    }
    if (!(error instanceof SyntaxError)) throw error;
    throw new SyntaxError(`${error.message}; save it as UTF-8`);
  }
  return await parseJsonc(text, file);
}

export { fromFileUrl };

function addImports(
  value: unknown,
  base: URL,
  imports: Record<string, string>,
  importBase: Record<string, URL>,
): void {
  if (!isRecord(value)) return;
  for (const [key, target] of Object.entries(value)) {
    if (typeof target !== "string") continue;
    imports[key] = target;
    importBase[key] = base;
  }
}

// Synchronous file system calls here and in readJsonc: discovery waits for
// them anyway, and the sync ops skip a trip through the event loop each.
// A FIFO, socket or device counts as found: reading it then reports it
// (never opens it) instead of passing over it to another config.
function isFile(url: URL): boolean {
  try {
    return !Deno.statSync(url).isDirectory;
  } catch (error) {
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotCapable ||
      error instanceof Deno.errors.PermissionDenied
    ) {
      return false;
    }
    throw error;
  }
}
