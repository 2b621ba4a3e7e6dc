/**
 * The README is the package's front page and the guides in docs/ hold the
 * rest: the README stays short and links every guide, and every relative link
 * (and `#anchor`) in the README and the guides leads somewhere.
 *
 * @module
 */

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const README_MAX_LINES = 300;

/** A markdown file: its path relative to the repository, and its text. */
interface Doc {
  path: string;
  text: string;
}

/** The README and every guide, read from this checkout. */
function readDocs(): Doc[] {
  const guides = readdirSync(join(REPO, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...guides].map((path) => ({
    path,
    text: readFileSync(join(REPO, path), "utf8"),
  }));
}

/** The lines of a markdown text that are not inside fenced code blocks. */
function proseLines(text: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker !== undefined) {
      fence = marker;
    } else if (fence !== undefined && marker?.startsWith(fence)) {
      fence = undefined;
    } else if (fence === undefined) {
      lines.push(line);
    }
  }
  return lines;
}

/**
 * The anchor GitHub gives a heading: the rendered text in lower case, without
 * punctuation, spaces turned into hyphens; a repeated heading gets `-1`, `-2`.
 */
function headingSlugs(text: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const rendered = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/[`*]/g, "");
    const base = rendered
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    slugs.add(count === 0 ? base : `${base}-${count}`);
  }
  return slugs;
}

/** The targets of the inline links `[text](target)` outside code. */
function linkTargets(text: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(text)) {
    const prose = line.replace(/`[^`]*`/g, "");
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?[^)]*\)/g)) {
      targets.push(match[1]!);
    }
  }
  return targets;
}

/**
 * Every relative link of `docs` that leads to no file, or to a heading its
 * markdown file does not have, as "file: target (reason)".
 *
 * @param docs The markdown files, with paths relative to `root`.
 * @param root The folder the paths are relative to.
 * @param fileExists Whether a path under `root` exists.
 */
function brokenLinks(
  docs: Doc[],
  root: string,
  fileExists: (path: string) => boolean,
): string[] {
  const byPath = new Map(docs.map((doc) => [doc.path, doc]));
  const broken: string[] = [];
  for (const doc of docs) {
    for (const target of linkTargets(doc.text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const [file = "", anchor] = target.split("#", 2);
      const path = file === ""
        ? doc.path
        : relative(root, join(root, dirname(doc.path), decodeURI(file)));
      if (path.startsWith("..") || !fileExists(path)) {
        broken.push(`${doc.path}: ${target} (no file ${path})`);
        continue;
      }
      if (anchor === undefined || !path.endsWith(".md")) continue;
      const linked = byPath.get(path)?.text ??
        readFileSync(join(root, path), "utf8");
      if (!headingSlugs(linked).has(anchor)) {
        broken.push(
          `${doc.path}: ${target} (no heading #${anchor} in ${path})`,
        );
      }
    }
  }
  return broken;
}

Deno.test("README.md is a front page of at most 300 lines with the two fresh-machine commands", () => {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const lines = readme.trimEnd().split("\n").length;
  assert.ok(
    lines <= README_MAX_LINES,
    `README.md has ${lines} lines; move reference material to a guide in docs/`,
  );
  assert.match(readme, /task demo/);
  assert.match(readme, /deno task test/);
});

Deno.test("README.md links every guide in docs/", () => {
  const docs = readDocs();
  const readme = docs[0]!;
  const linked = new Set(
    linkTargets(readme.text).map((target) => normalize(target.split("#")[0]!)),
  );
  const unlinked = docs.slice(1).map((doc) => doc.path).filter((path) =>
    !linked.has(path)
  );
  assert.deepEqual(unlinked, [], "guides the README does not link to");
});

Deno.test("README.md and docs/*.md have no broken relative links or anchors", () => {
  const broken = brokenLinks(
    readDocs(),
    REPO,
    (path) => existsSync(join(REPO, path)),
  );
  assert.deepEqual(broken, []);
});

Deno.test("brokenLinks() reports a missing file, a missing heading and a link leaving the repository", () => {
  const docs: Doc[] = [
    {
      path: "README.md",
      text: [
        "# Front page",
        "[ok](docs/a.md#the-pluxjson-format) [ok](#front-page)",
        "[gone](docs/missing.md) [no heading](docs/a.md#nowhere)",
        "[outside](../elsewhere.md) [web](https://example.com/x.md)",
        "`[code](docs/missing.md)`",
        "```md",
        "[fenced](docs/missing.md)",
        "```",
      ].join("\n"),
    },
    {
      path: "docs/a.md",
      text:
        "# A\n\n## The `plux.json` format\n\n[back](../README.md#front-page)",
    },
  ];
  const exists = (path: string) => ["README.md", "docs/a.md"].includes(path);
  assert.deepEqual(brokenLinks(docs, "/repo", exists), [
    "README.md: docs/missing.md (no file docs/missing.md)",
    "README.md: docs/a.md#nowhere (no heading #nowhere in docs/a.md)",
    "README.md: ../elsewhere.md (no file ../elsewhere.md)",
  ]);
});

Deno.test("headingSlugs() gives GitHub's anchors, numbering repeated headings", () => {
  assert.deepEqual(
    [
      ...headingSlugs(
        "# @plux/core\n## The `plux:index` task\n## Compared with Python plux\n### Rules\n### Rules\n```\n# not a heading\n```",
      ),
    ],
    [
      "pluxcore",
      "the-pluxindex-task",
      "compared-with-python-plux",
      "rules",
      "rules-1",
    ],
  );
});
