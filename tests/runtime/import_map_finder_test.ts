import assert from "node:assert/strict";
import { formatIndex } from "../../src/index/format.ts";
import { classify } from "../../src/runtime/_package_sources.ts";
import { ImportMapFinder } from "../../src/runtime/import_map_finder.ts";
import { MatchingPluginFilter } from "../../src/runtime/filters.ts";
import { PluginManager } from "../../src/runtime/manager.ts";

const BASE = new URL("file:///app/deno.json");

Deno.test("classify() tells jsr, npm, URL and local packages apart and finds their roots", () => {
  const cases: [string, string, unknown][] = [
    ["@a/b", "jsr:@a/b@^1.2.0", { kind: "jsr", root: "jsr:@a/b@^1.2.0" }],
    ["@a/b/", "jsr:/@a/b@1/", { kind: "jsr", root: "jsr:@a/b@1" }],
    ["@a/b/x", "jsr:@a/b@1/x", { kind: "jsr", root: "jsr:@a/b@1" }],
    ["c", "npm:chalk@5", { kind: "npm", root: "npm:chalk@5" }],
    ["@s/p", "npm:@s/p", { kind: "npm", root: "npm:@s/p" }],
    ["u", "https://h.test/pkg/mod.ts", {
      kind: "url",
      root: "https://h.test/pkg/",
    }],
    ["u/", "http://127.0.0.1:9/pkg/", {
      kind: "url",
      root: "http://127.0.0.1:9/pkg/",
    }],
    ["d/", "./libs/d/", { kind: "path", root: "file:///app/libs/d/" }],
    ["p", "../p/src/mod.ts", {
      kind: "path",
      root: "file:///p/src/",
      module: new URL("file:///p/src/mod.ts"),
    }],
  ];
  for (const [key, target, expected] of cases) {
    assert.deepEqual(
      classify(key, target, BASE),
      { key, ...(expected as object) },
      target,
    );
  }
  for (const target of ["node:fs", "chalk", "data:text/javascript,1"]) {
    assert.equal(classify("x", target, BASE), undefined, target);
  }
});

async function writeApp(
  dir: string,
  members: Record<string, string>,
): Promise<string> {
  const names = Object.keys(members);
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({ workspace: names.map((n) => `./${n}`) }),
  );
  for (const [name, index] of Object.entries(members)) {
    await Deno.mkdir(`${dir}/${name}`);
    await Deno.writeTextFile(
      `${dir}/${name}/mod.ts`,
      'throw new Error("plugin modules must not be imported while listing");',
    );
    await Deno.writeTextFile(`${dir}/${name}/plux.json`, index);
  }
  return `${dir}/deno.json`;
}

Deno.test("PluginManager.listNames() reads only indexes when every plugin module would fail to import", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const index = (names: string[]) =>
      formatIndex({
        version: 1,
        package: { name: "@t/p", version: "1.0.0" },
        plugins: {
          "t.ns": names.map((name) => ({
            name,
            export: name,
            path: "./mod.ts",
          })),
        },
      });
    const config = await writeApp(dir, {
      a: index(["one", "two"]),
      b: index(["three"]),
    });
    const problems: unknown[] = [];
    const manager = new PluginManager("t.ns", {
      finder: new ImportMapFinder({ config }),
      listeners: [{ onResolveException: (_n, _i, e) => void problems.push(e) }],
    });
    assert.deepEqual(await manager.listNames(), ["one", "three", "two"]);
    assert.equal(await manager.exists("three"), true);
    assert.deepEqual(problems, []);
    await assert.rejects(
      manager.load("one"),
      /t\.ns:one could not be resolved/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("MatchingPluginFilter matches the value of an indexed plugin, its module and export, without importing it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const config = await writeApp(dir, {
      a: formatIndex({
        version: 1,
        plugins: {
          "t.ns": [
            { name: "one", export: "One", path: "./mod.ts" },
            { name: "two", export: "Two", path: "./mod.ts" },
          ],
        },
      }),
    });
    const filter = new MatchingPluginFilter();
    filter.addExclusion({ value: "file:///*/a/mod.ts#Two" });
    const manager = new PluginManager("t.ns", {
      finder: new ImportMapFinder({ config }),
      filters: [filter],
    });
    const [one, two] = await manager.listContainers();
    assert.equal(one?.info.value, `file://${dir}/a/mod.ts#One`);
    assert.equal(one?.isDisabled, false);
    assert.equal(two?.disabledReason, "excluded by a plugin filter");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ImportMapFinder.findPlugins() reads each index once however many namespaces ask", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const config = await writeApp(dir, {
      a: formatIndex({
        version: 1,
        plugins: {
          x: [{ name: "p", export: "p", path: "./mod.ts" }],
          y: [{ name: "q", export: "q", path: "./mod.ts" }],
        },
      }),
    });
    const finder = new ImportMapFinder({ config });
    assert.deepEqual(
      (await finder.findPlugins({ namespace: "x" })).map((e) => e.name),
      ["p"],
    );
    await Deno.remove(`${dir}/a/plux.json`);
    // Still served from memory; refresh() reads again.
    assert.deepEqual(
      (await finder.findPlugins({ namespace: "y" })).map((e) => e.name),
      ["q"],
    );
    finder.refresh();
    assert.deepEqual(await finder.findPlugins({ namespace: "y" }), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ImportMapFinder.findPlugins() reports a malformed deno.jsonc with its line and column", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await Deno.writeTextFile(
      `${dir}/deno.jsonc`,
      '// comment\n{ "workspace": ["./a"] "imports": {} }\n',
    );
    const problems: Error[] = [];
    const found = await new ImportMapFinder({ config: `${dir}/deno.jsonc` })
      .findPlugins({ report: (e) => problems.push(e) });
    assert.deepEqual(found, []);
    assert.equal(problems.length, 1);
    assert.match(
      problems[0]!.message,
      /deno\.jsonc:2:24: comma expected; fix the JSON\(C\) syntax there/,
    );
    await Deno.writeTextFile(`${dir}/deno.jsonc`, '{ "imports": { 1: 2 } }\n');
    problems.length = 0;
    await new ImportMapFinder({ config: `${dir}/deno.jsonc` })
      .findPlugins({ report: (e) => problems.push(e) });
    assert.match(
      problems[0]!.message,
      /deno\.jsonc:1:16: property name expected;/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
