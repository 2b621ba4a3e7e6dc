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

/**
 * Python 3.11's `fnmatch.translate`, ported line for line to a regular
 * expression: the reference for patterns with classes. Slow on long inputs
 * (it is what the filter must not be), exact on short ones.
 */
function pythonTranslate(pattern: string): RegExp {
  const pat = [...pattern];
  const n = pat.length;
  // Every literal as a code point escape, valid in and out of classes.
  const escape = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;
  const out: string[] = [];
  let i = 0;
  while (i < n) {
    const c = pat[i++]!;
    if (c === "*") {
      if (out.at(-1) !== "[^]*") out.push("[^]*");
    } else if (c === "?") out.push("[^]");
    else if (c === "[") {
      let j = i;
      if (j < n && pat[j] === "!") j++;
      if (j < n && pat[j] === "]") j++;
      while (j < n && pat[j] !== "]") j++;
      if (j >= n) {
        out.push("\\[");
        continue;
      }
      let chunks: string[][];
      if (!pat.slice(i, j).includes("-")) chunks = [pat.slice(i, j)];
      else {
        chunks = [];
        let k = pat[i] === "!" ? i + 2 : i + 1;
        while (true) {
          k = pat.slice(0, j).indexOf("-", k);
          if (k < 0) break;
          chunks.push(pat.slice(i, k));
          i = k + 1;
          k = k + 3;
        }
        const chunk = pat.slice(i, j);
        if (chunk.length > 0) chunks.push(chunk);
        else chunks.at(-1)!.push("-");
        for (let m = chunks.length - 1; m > 0; m--) {
          const [before, after] = [chunks[m - 1]!, chunks[m]!];
          if (before.length === 0 || after.length === 0) continue;
          if (before.at(-1)!.codePointAt(0)! > after[0]!.codePointAt(0)!) {
            chunks[m - 1] = [...before.slice(0, -1), ...after.slice(1)];
            chunks.splice(m, 1);
          }
        }
      }
      i = j + 1;
      const negated = chunks[0]![0] === "!";
      if (negated) chunks[0] = chunks[0]!.slice(1);
      const stuff = chunks.map((chunk) => chunk.map(escape).join(""))
        .join("-");
      if (stuff === "" && !negated) out.push("(?!)");
      else if (stuff === "" && negated) out.push("[^]");
      else out.push(`[${negated ? "^" : ""}${stuff}]`);
    } else out.push(escape(c));
  }
  return new RegExp(`^(?:${out.join("")})$`, "u");
}

Deno.test("the test's port of Python's fnmatch.translate answers as Python on the generated cases", () => {
  const wrong = PYTHON.cases.filter(([pattern, name, matches]) =>
    pythonTranslate(pattern).test(name) !== matches
  );
  assert.deepEqual(wrong, []);
});

Deno.test("MatchingPluginFilter agrees with Python's fnmatch.translate on any pattern of classes, brackets, ranges and stars", () => {
  fc.assert(
    fc.property(
      fc.stringMatching(/^[ab!\]\[\-*?^\\z]{0,16}$/),
      fc.stringMatching(/^[ab!\]\[\-^\\z]{0,8}$/),
      (pattern, name) => {
        assert.equal(
          fnmatchGlob(pattern).matches(name),
          pythonTranslate(pattern).test(name),
        );
      },
    ),
    { numRuns: 5000 },
  );
});

Deno.test("MatchingPluginFilter compiles long patterns of [ and of reversed ranges, which a quadratic compile would not finish", () => {
  // 200 000 `[` without `]`: a compile that looks for the `]` of each `[`
  // reads 2·10¹⁰ characters. Not timed: a quadratic compile makes the test
  // run for minutes, which the test run shows.
  const brackets = "[".repeat(200_000);
  assert.equal(fnmatchGlob(brackets).matches(brackets), true);
  assert.equal(fnmatchGlob(brackets).matches(brackets.slice(1)), false);
  // With a `]` at the end, the first `[` opens one class of them all.
  assert.equal(fnmatchGlob(`${brackets}]`).matches("["), true);
  assert.equal(fnmatchGlob(`${brackets}a]`).matches("a"), true);
  assert.equal(fnmatchGlob(`${brackets}a]`).matches("[["), false);
  // One class of 50 000 reversed ranges that each join the chunk after them.
  const reversed = `[${"ccz-".repeat(50_000)}ca]`;
  assert.equal(fnmatchGlob(reversed).matches("c"), true);
  assert.equal(fnmatchGlob(reversed).matches("z"), false);
  assert.equal(pythonTranslate(reversed.slice(0, 42) + "]").test("c"), true);
});
