/**
 * File helpers shared by the test servers.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The file-system path of a folder given as a path or a `file:` URL.
 *
 * @param folder A path, a `file:` URL or its string form.
 * @returns The path.
 *
 * @example
 * ```ts
 * import { folderPath } from "./_files.ts";
 * console.log(folderPath(new URL("file:///tmp/pkg/"))); // "/tmp/pkg/"
 * ```
 */
export function folderPath(folder: string | URL): string {
  return folder instanceof URL || folder.startsWith("file:")
    ? fileURLToPath(folder)
    : folder;
}

/**
 * Lists the files under `root` as `/`-separated paths relative to it, sorted,
 * leaving out dot-files, dot-folders and `node_modules` (as publishing does).
 *
 * @param root The folder to list.
 * @returns The relative paths, e.g. `src/mod.ts`.
 *
 * @example
 * ```ts
 * import { listFiles } from "./_files.ts";
 * const root = new URL("../fixtures/registry/npm_pkg/", import.meta.url);
 * console.log(await Array.fromAsync(listFiles(root))); // ["index.js", "internal.js", "package.json", "plux.json"]
 * ```
 */
export async function* listFiles(
  root: string | URL,
  dir = "",
): AsyncGenerator<string> {
  const base = folderPath(root);
  const entries = await Array.fromAsync(Deno.readDir(join(base, dir)));
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory) yield* listFiles(base, path);
    else if (entry.isFile) yield path;
  }
}
