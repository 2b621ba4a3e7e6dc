import assert from "node:assert/strict";
import fc from "fast-check";
import { matchesPathGlob } from "../../src/finders/_path_glob.ts";

Deno.test("matchesPathGlob() finishes on globs that make a backtracking matcher take forever", () => {
  const long = "a".repeat(100_000);
  assert.equal(matchesPathGlob(long, "*a*a*a*a*a*a*a*a*b"), false);
  const deep = "a/".repeat(20_000) + "b";
  assert.equal(matchesPathGlob(deep, "**/**/**/**/**/**/c"), false);
  assert.equal(matchesPathGlob(deep, "**/**/**/**/**/**/b"), true);
});

/** The regular expression `matchesPathGlob` was, as a reference. */
function pathReference(path: string, glob: string): boolean {
  const toSource = (glob: string): string => {
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
      else if (char === "{" && glob.indexOf("}", i) !== -1) {
        const end = glob.indexOf("}", i);
        source += `(?:${
          glob.slice(i + 1, end).split(",").map(toSource).join("|")
        })`;
        i = end;
      } else source += char.replace(/[.+^$()|[\]\\{}]/g, "\\$&");
    }
    return source;
  };
  return new RegExp(`^${toSource(glob)}$`).test(path);
}

Deno.test("matchesPathGlob() agrees with the regular expressions it replaces on any short glob and path", () => {
  fc.assert(
    fc.property(
      fc.stringMatching(/^[ab*?/{},.]{0,10}$/),
      fc.stringMatching(/^[ab/.]{0,12}$/),
      (glob, path) => {
        assert.equal(matchesPathGlob(path, glob), pathReference(path, glob));
      },
    ),
    { numRuns: 3000 },
  );
});
