import { basename, dirname, join, relative } from "node:path";
import { matchesPathGlob } from "../finders/_path_glob.ts";

/** The `.gitignore` rule that ignores a file. */
export interface IgnoringRule {
  /** The `.gitignore` file. */
  readonly file: string;
  /** The pattern, as written. */
  readonly pattern: string;
}

/**
 * Finds the `.gitignore` rule that would keep a file out of git, and so out
 * of `deno publish`. Reads the `.gitignore` files from the file's folder up
 * to the repository root (the folder holding `.git`); folders it may not read
 * are skipped, checked first so that Deno never prompts for them (the
 * `plux:index` task grants `--allow-read=.` only). Supports the common forms: `name`, `/anchored`, `dir/`,
 * globs with `*`, `**` and `?`, and `!negation` (last match wins).
 *
 * @param file The file's absolute path.
 * @returns The rule that ignores it, or `undefined` when it is not ignored.
 */
export async function findIgnoringRule(
  file: string,
): Promise<IgnoringRule | undefined> {
  const folders: string[] = [];
  for (let dir = dirname(file);; dir = dirname(dir)) {
    if (!mayRead(dir)) break;
    folders.unshift(dir);
    if (await exists(join(dir, ".git")) || dirname(dir) === dir) break;
  }
  let ignoredBy: IgnoringRule | undefined;
  for (const dir of folders) {
    const gitignore = join(dir, ".gitignore");
    let text: string;
    try {
      text = await Deno.readTextFile(gitignore);
    } catch {
      continue;
    }
    const path = relative(dir, file).split("\\").join("/");
    const parts = path.split("/");
    for (const line of text.split(/\r?\n/)) {
      const pattern = line.trim();
      if (pattern === "" || pattern.startsWith("#")) continue;
      const negated = pattern.startsWith("!");
      const body = negated ? pattern.slice(1) : pattern;
      const dirOnly = body.endsWith("/");
      const glob = body.replace(/\/+$/, "");
      // A pattern may match the file itself or one of its folders.
      const hit = parts.some((_, i) => {
        const isFile = i === parts.length - 1;
        return !(dirOnly && isFile) &&
          matches(parts.slice(0, i + 1).join("/"), glob);
      });
      if (hit) ignoredBy = negated ? undefined : { file: gitignore, pattern };
    }
  }
  return ignoredBy;
}

function matches(path: string, glob: string): boolean {
  if (glob.replace(/^\//, "").includes("/")) {
    return matchesPathGlob(path, glob.replace(/^\//, ""));
  }
  return glob.startsWith("/")
    ? matchesPathGlob(path, glob.slice(1))
    : matchesPathGlob(basename(path), glob);
}

/** Whether `path` may be read, asked without prompting. */
function mayRead(path: string): boolean {
  return Deno.permissions.querySync({ name: "read", path }).state ===
    "granted";
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
