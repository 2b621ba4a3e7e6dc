/**
 * Expands the `workspace` member list of a `deno.json` into member folders,
 * globs included, as Deno does. One implementation for run-time discovery
 * and for `plux index`.
 *
 * @module
 */

import { fromFileUrl, toFileUrl } from "../_file_url.ts";
import { matchesPathGlob } from "../_path_glob.ts";

const GLOB = /[*?{]/;

/**
 * The member folders of a workspace, in declared order: a plain member is
 * taken as written (whether it exists or not, so that a missing one can be
 * reported); a member with glob characters (`./packages/*`,
 * `./packages/g*`, `./libs/*\/plugins`) is matched segment by segment against
 * the folders on disk, the matches of one member sorted by name. Hidden
 * folders match only a segment that starts with `.`. A folder reached twice
 * is listed once.
 *
 * Globbed folders are listed only when the process may read them (checked
 * with `Deno.permissions.querySync`, so no permission prompt appears).
 *
 * Folder names are paths, turned into URLs with `toFileUrl` (a `#`, `%`,
 * `?` or space in a name is part of the name). Deno reads `#` and `%` in a
 * plain member as URL syntax and skips that member ("not found"); so does
 * this, and reports it with the fix.
 *
 * @param root The workspace root folder, a `file:` URL ending in `/`.
 * @param members The `workspace` (or `workspace.members`) entries.
 * @param onProblem Receives each member that is skipped, and why.
 * @returns The member folders, `file:` URLs ending in `/`.
 * @throws {Deno.errors.NotCapable} When a folder a glob must list may not be
 * read, naming it.
 */
export function expandMembers(
  root: URL,
  members: readonly unknown[],
  onProblem?: (problem: Error) => void,
): URL[] {
  const found: URL[] = [];
  const seen = new Set<string>();
  // Worked out once: plain members are all folders of the root.
  const rootPath = fromFileUrl(root).replace(/[\\/]$/, "");
  for (const member of members) {
    if (typeof member !== "string" || member === "") continue;
    const path = member.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
    if (!GLOB.test(path) && /[#%]/.test(path)) {
      onProblem?.(
        new Error(
          `workspace member ${JSON.stringify(member)} of the workspace in ${
            fromFileUrl(root)
          } is skipped: Deno reads "#" and "%" in a workspace member as URL ` +
            `syntax, so it does not use the folder ${
              fromFileUrl(childFolder(root, path))
            }; rename the folder, or list it with a glob such as ${
              JSON.stringify(`./${path.replace(/[#%]/g, "?")}`)
            }`,
        ),
      );
      continue;
    }
    const dirs = GLOB.test(path)
      ? expandGlob(root, path.split("/"))
      : [childFolder(root, path, rootPath)];
    for (const dir of dirs) {
      if (seen.has(dir.href)) continue;
      seen.add(dir.href);
      found.push(dir);
    }
  }
  return found;
}

function expandGlob(root: URL, segments: readonly string[]): URL[] {
  let dirs = [root];
  let globbed = false;
  for (const segment of segments) {
    if (segment === "" || segment === ".") continue;
    // Before the first glob a segment is a path; after it, only folders
    // that exist match (`./libs/*/plugins` needs each `plugins` folder).
    globbed ||= GLOB.test(segment);
    if (!globbed) {
      dirs = dirs.map((dir) => childFolder(dir, segment));
      continue;
    }
    const next: URL[] = [];
    for (const dir of dirs) {
      const names = subfolders(dir).filter((name) =>
        (segment.startsWith(".") || !name.startsWith(".")) &&
        matchesPathGlob(name, segment)
      );
      next.push(...names.sort().map((name) => childFolder(dir, name)));
    }
    dirs = next;
  }
  return dirs;
}

function subfolders(dir: URL): string[] {
  const local = fromFileUrl(dir);
  if (
    Deno.permissions.querySync({ name: "read", path: local }).state !==
      "granted"
  ) {
    throw new Deno.errors.NotCapable(
      `Requires read access to "${local}" to expand the workspace members`,
    );
  }
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isDirectory) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    if (error instanceof Deno.errors.NotADirectory) return [];
    throw error;
  }
  return names;
}

/** The folder `name` (a relative path) in `dir`, as a `file:` URL ending in `/`. */
function childFolder(dir: URL, name: string, dirPath?: string): URL {
  if (name === "") return dir;
  const path = dirPath ?? fromFileUrl(dir).replace(/[\\/]$/, "");
  return toFileUrl(`${path}/${name}/`);
}
