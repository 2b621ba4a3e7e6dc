/**
 * Locating and reading the application's `deno.json`/`deno.jsonc` for
 * run-time discovery: its name, version, exports, `imports` (merged with an
 * `importMap` file) and workspace members.
 *
 * @module
 */

import { parseJsonc } from "./_jsonc.ts";

/** The config file names Deno looks for in a folder, in its order. */
const CONFIG_NAMES = ["deno.json", "deno.jsonc"] as const;

/** What run-time discovery needs from the application's config. */
export interface AppConfig {
  /** The config file's URL. */
  readonly url: URL;
  /** The folder holding it: the application package's root. */
  readonly dir: URL;
  /** `name`, when given. */
  readonly name?: string;
  /** `version`, when given. */
  readonly version?: string;
  /** `exports` as an object of subpath to module (a string means `"."`). */
  readonly exports: Readonly<Record<string, string>>;
  /** The import map: the `importMap` file's imports, then `imports` over them. */
  readonly imports: Readonly<Record<string, string>>;
  /** The URL each import is relative to (the file that declared it). */
  readonly importBase: Readonly<Record<string, URL>>;
  /** Workspace member folders, in declared order (globs expanded, sorted). */
  readonly members: readonly URL[];
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
 * @returns The config's URL, if found, and the candidates it could not check.
 */
export function findConfig(start: URL): ConfigSearch {
  const unreadable: string[] = [];
  let dir = new URL("./", start);
  while (true) {
    for (const name of CONFIG_NAMES) {
      const file = new URL(name, dir);
      const path = fromFileUrl(file);
      const state = Deno.permissions.querySync({ name: "read", path }).state;
      if (state !== "granted") unreadable.push(path);
      else if (isFile(file)) return { url: file, unreadable };
    }
    const parent = new URL("../", dir);
    if (parent.href === dir.href) return { unreadable };
    dir = parent;
  }
}

/**
 * Reads and parses the application's config, its `importMap` file and its
 * workspace member list.
 *
 * @param url The config file.
 * @returns The config.
 * @throws {SyntaxError} When the config or the import map is not valid JSONC,
 * naming the file, line and column.
 * @throws {Deno.errors.NotCapable} When read permission is missing.
 */
export async function readAppConfig(url: URL): Promise<AppConfig> {
  const data = await readJsonc(url);
  const dir = new URL("./", url);
  const imports: Record<string, string> = {};
  const importBase: Record<string, URL> = {};
  // Like Deno, an `importMap` file is used only when the config has no
  // `imports` or `scopes` of its own.
  const inline = data.imports !== undefined || data.scopes !== undefined;
  if (typeof data.importMap === "string" && !inline) {
    const mapUrl = new URL(data.importMap, dir);
    const map = await readJsonc(mapUrl);
    addImports(map.imports, mapUrl, imports, importBase);
  }
  addImports(data.imports, url, imports, importBase);
  const exports = typeof data.exports === "string"
    ? { ".": data.exports }
    : isRecord(data.exports)
    ? Object.fromEntries(
      Object.entries(data.exports).filter(([, v]) => typeof v === "string"),
    ) as Record<string, string>
    : {};
  const workspace = Array.isArray(data.workspace)
    ? data.workspace
    : isRecord(data.workspace) && Array.isArray(data.workspace.members)
    ? data.workspace.members
    : [];
  const members: URL[] = [];
  for (const member of workspace) {
    if (typeof member !== "string") continue;
    members.push(...await expandMember(member, dir));
  }
  return {
    url,
    dir,
    name: typeof data.name === "string" ? data.name : undefined,
    version: typeof data.version === "string" ? data.version : undefined,
    exports,
    imports,
    importBase,
    members,
  };
}

/**
 * Parses JSON with comments and trailing commas, as Deno reads its configs.
 *
 * @param url The file.
 * @returns The top-level object.
 * @throws {SyntaxError} Naming the file, line and column of the first error.
 */
export async function readJsonc(url: URL): Promise<Record<string, unknown>> {
  const file = url.protocol === "file:" ? fromFileUrl(url) : url.href;
  return await parseJsonc(Deno.readTextFileSync(url), file);
}

/**
 * The local path of a `file:` URL.
 *
 * @param url A `file:` URL.
 * @returns The path.
 */
export function fromFileUrl(url: URL | string): string {
  const pathname = decodeURIComponent(
    (typeof url === "string" ? new URL(url) : url).pathname,
  );
  return Deno.build.os === "windows"
    ? pathname.slice(1).replaceAll("/", "\\")
    : pathname;
}

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

/** Expands `./packages/*` (a trailing `*` only, as commonly used). */
async function expandMember(member: string, dir: URL): Promise<URL[]> {
  const path = member.endsWith("/") ? member : `${member}/`;
  if (!path.endsWith("/*/")) return [new URL(path, dir)];
  const parent = new URL(path.slice(0, -2), dir);
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(parent)) {
      if (entry.isDirectory && !entry.name.startsWith(".")) {
        found.push(entry.name);
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return found.sort().map((name) => new URL(`${name}/`, parent));
}

// Synchronous file system calls here and in readJsonc: discovery waits for
// them anyway, and the sync ops skip a trip through the event loop each.
function isFile(url: URL): boolean {
  try {
    return Deno.statSync(url).isFile;
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
