import assert from "node:assert/strict";
import fc from "fast-check";
import { MatchingPluginFilter } from "../../mod.ts";

/** A filter with one exclusion on the name, read as a matcher of names. */
function fnmatchGlob(pattern: string): { matches(name: string): boolean } {
  const filter = new MatchingPluginFilter();
  filter.addExclusion({ name: pattern });
  return { matches: (name) => filter.matches({ namespace: "n", name }) };
}

/**
 * Answers of Python 3.11's `fnmatch.fnmatchcase`, generated with python3
 * (random patterns over `ab-z*?[]!^\.é/` and names over their characters,
 * and for random classes `[...]` the one-character names of `chars` that
 * match). Python is the reference these tests compare with.
 */
const PYTHON = JSON.parse(
  Deno.readTextFileSync(
    new URL("../fixtures/glob/fnmatch_cases.json", import.meta.url),
  ),
) as {
  chars: string;
  cases: [pattern: string, name: string, matches: boolean][];
  classes: [pattern: string, matching: string][];
};

Deno.test("MatchingPluginFilter answers as Python's fnmatch.fnmatchcase on 3000 generated patterns and names", () => {
  const wrong = PYTHON.cases.filter(([pattern, name, matches]) =>
    fnmatchGlob(pattern).matches(name) !== matches
  );
  assert.deepEqual(wrong, []);
  assert.ok(PYTHON.cases.filter(([, , m]) => m).length > 500, "not vacuous");
});

Deno.test("MatchingPluginFilter reads classes as Python does: [!x], ranges, reversed ranges, ] and - as members", async (t) => {
  await t.step("1500 generated classes", () => {
    const wrong = PYTHON.classes.filter(([pattern, matching]) =>
      [...PYTHON.chars].filter((c) => fnmatchGlob(pattern).matches(c))
        .join("") !== matching
    );
    assert.deepEqual(wrong, []);
  });
  const table: [string, string, boolean][] = [
    ["[!x]", "y", true],
    ["[!x]", "x", false],
    ["[z-a]", "m", false],
    ["[z-a]", "z", false],
    ["[!z-a]", "m", true],
    ["x[z-a]y", "xzy", false],
    ["[]a]", "]", true],
    ["[!]a]", "b", true],
    ["[!]a]", "]", false],
    ["[a-]", "-", true],
    ["[-a]", "-", true],
    ["[\\]", "\\", true],
    ["[", "[", true],
    ["[a", "[a", true],
    ["[!]", "[!]", true],
    ["*", "a/b/c", true],
    ["?", "é", true],
    ["?", "😀", true],
    ["[😀-😂]", "😁", true],
  ];
  for (const [pattern, name, matches] of table) {
    await t.step(`${pattern} ${name}`, () => {
      assert.equal(fnmatchGlob(pattern).matches(name), matches);
    });
  }
});

/** A backtracking reference for patterns of literals, `*` and `?` only. */
function reference(pattern: string, name: string): boolean {
  const source = [...pattern].map((c) =>
    c === "*"
      ? "[^]*"
      : c === "?"
      ? "[^]"
      : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")
  ).join("");
  return new RegExp(`^${source}$`, "u").test(name);
}

Deno.test("MatchingPluginFilter agrees with a backtracking reference on any pattern of literals, * and ?", () => {
  fc.assert(
    fc.property(
      fc.stringMatching(/^[ab*?.é]{0,10}$/),
      fc.stringMatching(/^[ab.é]{0,14}$/),
      (pattern, name) => {
        assert.equal(
          fnmatchGlob(pattern).matches(name),
          reference(pattern, name),
        );
      },
    ),
    { numRuns: 3000 },
  );
});

Deno.test("MatchingPluginFilter finishes on patterns that make a backtracking matcher take forever", () => {
  // Backtracking regular expressions took 13 s on 56 characters here, and
  // grow exponentially; these run over 100 000 characters.
  const long = "a".repeat(100_000);
  assert.equal(
    fnmatchGlob("*a*a*a*a*a*a*a*a*b").matches(long.slice(0, 56)),
    false,
  );
  assert.equal(fnmatchGlob("*a*a*a*a*a*a*a*a*b").matches(long), false);
  assert.equal(fnmatchGlob("*a*a*a*a*a*a*a*a*a").matches(long), true);
  assert.equal(fnmatchGlob("*[a-z]*[!b]*?*a*b").matches(long), false);
});
