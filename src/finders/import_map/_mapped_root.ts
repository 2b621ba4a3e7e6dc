/**
 * Where the package root of a plainly mapped module (`"x":
 * "./vendor/x/src/mod.ts"`) may be: the folders the finder may look in for
 * its `plux.json` or config, decided on the resolved URLs, never on the
 * mapping's text.
 *
 * @module
 */

import { fromFileUrl, toFileUrl } from "../_file_url.ts";

/** How many folders, the module's own included, are looked in at most. */
export const MAX_LEVELS = 4;

/**
 * The folders that may be a plainly mapped module's package root, nearest
 * first: the module's folder and those above it, at most
 * {@linkcode MAX_LEVELS}, each strictly below the deepest folder that holds
 * both the module and the file that maps it, and none of them one of the
 * `fenced` folders or a folder above one. So a mapping `./vendor/x/mod.ts`
 * finds no root at or above the mapping file's folder, and
 * `../shared/x/mod.ts` none at or above the folder its `..` reaches: a
 * `plux.json` of the application, or of any folder above it, is never taken
 * for the package's. URLs are compared as the paths they decode to (so
 * `%61pp` is the folder `app`).
 *
 * @param module The mapped module, resolved.
 * @param base The file whose `imports` map it.
 * @param fenced Folders no root may be or hold: the application's folder and
 * its workspace root.
 * @returns The folders, as the hrefs of canonical `file:` URLs ending in
 * `/`; none when the module is not a `file:` URL with a path.
 */
export function rootFolders(
  module: URL,
  base: URL,
  fenced: readonly (URL | undefined)[],
): string[] {
  let moduleHref: string, baseDir: string;
  const walls: string[] = [];
  try {
    moduleHref = canonical(module).href;
    baseDir = folderOf(canonicalOnce(base));
    for (const folder of fenced) {
      if (folder !== undefined) walls.push(canonicalFolder(folder));
    }
  } catch {
    return []; // not a path (an encoded separator, another scheme)
  }
  const boundary = commonFolder(moduleHref, baseDir);
  const folders: string[] = [];
  // A canonical href has no `.` or `..` segment, no query and no fragment:
  // its folders are its prefixes up to a `/` (no URL parsed per level).
  let dir = folderOf(moduleHref);
  while (
    folders.length < MAX_LEVELS &&
    dir.length > boundary.length && dir.startsWith(boundary) &&
    !walls.some((wall) => wall.startsWith(dir))
  ) {
    folders.push(dir);
    dir = folderOf(dir.slice(0, -1));
  }
  return folders;
}

/** The folder of a canonical href: up to and with its last `/`. */
function folderOf(href: string): string {
  return href.slice(0, href.lastIndexOf("/") + 1);
}

/** A folder's canonical URL, ending in `/`. */
function canonicalFolder(folder: URL): string {
  const href = canonicalOnce(folder);
  return href.endsWith("/") ? href : `${href}/`;
}

/**
 * The canonical href of one of the application's own URLs (its config, its
 * folder, its workspace root), worked out once for all the mappings that
 * are compared with it. Keyed by the URL and its href, so a URL changed
 * since is worked out again.
 */
const canonicalOf = new WeakMap<URL, { href: string; canonical: string }>();

function canonicalOnce(url: URL): string {
  const known = canonicalOf.get(url);
  if (known !== undefined && known.href === url.href) return known.canonical;
  const href = canonical(url).href;
  canonicalOf.set(url, { href: url.href, canonical: href });
  return href;
}

/** A `file:` URL as its path gives it: one spelling for each file. */
function canonical(url: URL): URL {
  return toFileUrl(fromFileUrl(url));
}

/** The deepest folder URL (ending in `/`) that holds both `a` and `b`. */
function commonFolder(a: string, b: string): string {
  // The common prefix, cut back to its last `/` (what follows the last `/`
  // of either is a file name, or empty after a folder's `/`).
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, a.lastIndexOf("/", i - 1) + 1);
}
