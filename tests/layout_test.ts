// The house rules of src/ (DESIGN.md, Layout): folders small enough to
// read, files small enough to hold in mind, imports that go one way.
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SRC = join(ROOT, "src");

/** Floors of the flow: a file may import its own floor and those below. */
const FLOORS: [prefix: string, floor: number][] = [
  ["src/core/", 0],
  ["src/index/", 1],
  ["src/finders/", 2],
  ["src/manager/", 3],
  ["src/build/", 4],
  ["src/cli/", 5],
];

/** The one import against the flow's spirit that is allowed: the default finder. */
const MANAGER_MAY_IMPORT = ["src/finders/import_map/import_map_finder.ts"];

function floorOf(path: string): number {
  const found = FLOORS.find(([prefix]) => path.startsWith(prefix));
  assert.ok(found, `${path} is in no known folder of src/`);
  return found[1];
}

/** The finder folder of a path under src/finders/, or "" for the shared top. */
function finderOf(path: string): string {
  return /^src\/finders\/([^/]+)\//.exec(path)?.[1] ?? "";
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...sourceFiles(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files;
}

/** The relative imports of a module: static, type-only and dynamic ones. */
function relativeImports(text: string): string[] {
  const specifiers = text.matchAll(
    /\b(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g,
  );
  return [...specifiers].map((m) => m[1]!);
}

const files = sourceFiles(SRC).map((path) => ({
  path: relative(ROOT, path).replaceAll("\\", "/"),
  text: Deno.readTextFileSync(path),
}));

Deno.test("no folder under src/ holds more than 12 files", () => {
  const counts = new Map<string, number>();
  for (const { path } of files) {
    counts.set(dirname(path), (counts.get(dirname(path)) ?? 0) + 1);
  }
  const crowded = [...counts].filter(([, n]) => n > 12);
  assert.deepEqual(crowded, []);
});

Deno.test("no source file is over 400 lines", () => {
  const long = files
    .map(({ path, text }) => [path, text.split("\n").length - 1] as const)
    .filter(([, lines]) => lines > 400);
  assert.deepEqual(long, []);
});

Deno.test("imports go one way: core ← index ← finders ← manager ← build ← cli", () => {
  const wrong: string[] = [];
  for (const { path, text } of files) {
    for (const specifier of relativeImports(text)) {
      const target = join(dirname(path), specifier).replaceAll("\\", "/");
      if (!target.startsWith("src/")) {
        if (target !== "deno.json" || !path.startsWith("src/cli/")) {
          wrong.push(`${path} imports ${target}, outside src/`);
        }
        continue;
      }
      const [from, to] = [floorOf(path), floorOf(target)];
      const up = to > from &&
        !(path.startsWith("src/manager/") &&
          MANAGER_MAY_IMPORT.includes(target));
      const manager = path.startsWith("src/manager/") &&
        target.startsWith("src/finders/") &&
        !MANAGER_MAY_IMPORT.includes(target);
      const sideways = from === 2 && to === 2 && finderOf(target) !== "" &&
        finderOf(target) !== finderOf(path);
      if (up || manager || sideways) wrong.push(`${path} imports ${target}`);
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("the main file of each folder opens with a module doc", () => {
  const mains = [
    "src/core/plugin.ts",
    "src/index/format.ts",
    "src/finders/combined_finder.ts",
    "src/finders/import_map/import_map_finder.ts",
    "src/finders/directory/directory_finder.ts",
    "src/finders/registry/registry_finder.ts",
    "src/manager/manager.ts",
    "src/build/index_project.ts",
    "src/cli/main.ts",
  ];
  const folders = new Set(files.map(({ path }) => dirname(path)));
  assert.deepEqual(
    [...folders].sort(),
    mains.map((m) => dirname(m)).sort(),
    "every folder has a main file listed here",
  );
  for (const main of mains) {
    const text = files.find(({ path }) => path === main)?.text ?? "";
    assert.match(text, /^\/\*\*[\s\S]*?@module[\s\S]*?\*\//, main);
    // What the folder holds and what it may import (issue 13).
    const doc = /^\/\*\*([\s\S]*?)@module/.exec(text)?.[1] ?? "";
    assert.ok(
      doc.includes(`\`${dirname(main)}/\``),
      `${main} names its folder`,
    );
    assert.match(doc, /\bimports?\b/, `${main} says what it may import`);
  }
});
