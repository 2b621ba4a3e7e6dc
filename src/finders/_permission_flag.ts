/**
 * The Deno flag a failed read, import or plugin module needs, taken from
 * the error Deno gave (`Requires env access to "BOOM_OK", run again with the
 * --allow-env flag`), never guessed from what was being done.
 *
 * @module
 */

import { fromFileUrl } from "./_file_url.ts";
import { errorText } from "../core/_error_text.ts";

/**
 * A module file: a denied read of one is an import, and the modules it
 * imports in turn are beside it, so its folder is named rather than the
 * file (granting the file alone would only move the failure to the next).
 */
const MODULE = /\.(?:[cm]?[jt]sx?)$/;

/** Deno 2.9's permission sentence: the kind, and what was asked for. */
const REQUIRES = /Requires (\w+) access(?: to "([^"]*)")?/;

/**
 * Names the Deno flag a failure needs, when the failure is a missing
 * permission: `--allow-env=BOOM_OK`, `--allow-net=example.invalid:80`,
 * `--allow-read=/etc/hostname`, `--allow-run=ls`, `--allow-ffi=<lib>`,
 * `--allow-sys=hostname`, `--allow-write=<path>`, `--allow-import=<host>`;
 * the bare flag when Deno names nothing (`Deno.env.toObject()`).
 *
 * A read inside `folder` names `folder`: a local package's modules need its
 * whole folder, not only the file that failed first. A read of a module
 * elsewhere (a library mapped by path) names that module's folder. An import names the
 * host Deno names, plus `jsr.io`, which an explicit list must repeat.
 *
 * @param error The failure.
 * @param folder The package folder (a path, a `file:` URL, or the URL of a
 * remote package) a denied read inside it is widened to, if any.
 * @param run How to say who needs the flag.
 * @returns A sentence to append to a message (`; run the application with
 * --allow-env=BOOM_OK`), or `""` when the failure is not a missing
 * permission.
 */
export function permissionHint(
  error: unknown,
  folder?: string,
  run = "run the application with",
): string {
  const match = REQUIRES.exec(errorText(error));
  if (match === null) return "";
  const kind = match[1]!;
  const asked = match[2];
  if (kind === "import") {
    const host = asked ??
      (/^https?:/.test(folder ?? "") ? new URL(folder!).host : "<host>");
    const list = host === "jsr.io" ? host : `${host},jsr.io`;
    return `; ${run} --allow-import=${list} and every other host it imports ` +
      "from (a list replaces Deno's default allow-list, which has jsr.io)";
  }
  if (kind === "read") {
    const root = folder === undefined ? undefined : pathOf(folder);
    const path = asked === undefined ? root : trim(asked);
    if (path === undefined) return `; ${run} --allow-read`;
    const widened = root !== undefined && isWithin(root, path)
      ? root
      : MODULE.test(path)
      ? path.replace(/[\\/][^\\/]+$/, "")
      : path;
    return `; ${run} --allow-read=${widened} (or a folder that contains it)`;
  }
  return `; ${run} --allow-${kind}${asked === undefined ? "" : `=${asked}`}`;
}

function pathOf(folder: string): string {
  return trim(folder.startsWith("file:") ? fromFileUrl(folder) : folder);
}

/** Without a trailing separator, except for a root (`/`). */
function trim(path: string): string {
  return path.replace(/(.)[\\/]+$/, "$1");
}

function isWithin(root: string, path: string): boolean {
  return path === root || path.startsWith(`${root}/`) ||
    path.startsWith(`${root}\\`);
}
