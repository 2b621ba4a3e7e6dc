/**
 * Whether a `/`-separated relative path matches a glob: `*` matches within a
 * path segment, `**` across segments (`src/**\/*.ts` matches `src/a.ts` and
 * `src/x/a.ts`), `?` one character, `{a,b}` either alternative.
 *
 * Written here instead of using `node:path`'s `matchesGlob`, which needs
 * `--allow-env` in Deno.
 *
 * @example
 * ```ts
 * import { matchesPathGlob } from "./_path_glob.ts";
 *
 * console.log(matchesPathGlob("src/x/a_test.ts", "**\/*_test.ts")); // true
 * ```
 *
 * @param path The path, for example `src/a.ts`.
 * @param glob The glob.
 * @returns Whether the whole path matches.
 */
export function matchesPathGlob(path: string, glob: string): boolean {
  let cached = cache.get(glob);
  if (cached === undefined) {
    cached = new RegExp(`^${toSource(glob)}$`);
    cache.set(glob, cached);
  }
  return cached.test(path);
}

const cache = new Map<string, RegExp>();

function toSource(glob: string): string {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (glob.startsWith("**/", i)) {
      source += "(?:[^/]*/)*";
      i += 2;
    } else if (glob.startsWith("**", i)) {
      source += ".*";
      i += 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else if (char === "{") {
      const end = glob.indexOf("}", i);
      if (end === -1) {
        source += "\\{";
        continue;
      }
      const options = glob.slice(i + 1, end).split(",").map(toSource);
      source += `(?:${options.join("|")})`;
      i = end;
    } else source += char.replace(/[.+^$()|[\]\\]/g, "\\$&");
  }
  return source;
}
