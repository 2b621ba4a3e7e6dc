import assert from "node:assert/strict";
import { formatIndex } from "../../../src/index/format.ts";
import { classify } from "../../../src/finders/import_map/_package_sources.ts";
import { ImportMapFinder } from "../../../src/finders/import_map/import_map_finder.ts";
import { MatchingPluginFilter } from "../../../src/manager/filters.ts";
import { PluginManager } from "../../../src/manager/manager.ts";

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
      base: BASE,
    }],
  ];
  for (const [key, target, expected] of cases) {
    assert.deepEqual(
      classify(key, target, BASE),
      { key, ...(expected as object) },
      target,
    );
  }
  // A target that is no URL at all ("//a b/": a host with a space, once the
  // tab is dropped) is not a package, and does not stop discovery.
  for (
    const target of [
      "node:fs",
      "chalk",
      "data:text/javascript,1",
      "/\t/a b/x.ts",
    ]
  ) {
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

Deno.test("PluginManager.load() tells a stale index, a missing import, an unmapped bare import in a module and a module that throws apart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await Deno.writeTextFile(
      `${dir}/deno.json`,
      JSON.stringify({
        imports: { "lib/": "./lib/" },
      }),
    );
    await Deno.mkdir(`${dir}/lib`);
    const modules: Record<string, string> = {
      "trans.ts": 'import "./nothere.ts";\nexport const trans = 1;\n',
      "bare.ts": 'import "plux-unmapped-dep";\nexport const bare = 1;\n',
      "throws.ts": 'throw new Error("the module itself fails");\n',
    };
    for (const [file, text] of Object.entries(modules)) {
      await Deno.writeTextFile(`${dir}/lib/${file}`, text);
    }
    const entry = (name: string, path: string) => ({
      name,
      export: name,
      path,
    });
    await Deno.writeTextFile(
      `${dir}/lib/plux.json`,
      formatIndex({
        version: 1,
        plugins: {
          "t.fail": [
            entry("gone", "./gone.ts"),
            entry("trans", "./trans.ts"),
            entry("bare", "./bare.ts"),
            entry("thrower", "./throws.ts"),
          ],
        },
      }),
    );
    const manager = new PluginManager("t.fail", {
      finder: new ImportMapFinder({ config: `${dir}/deno.json` }),
    });
    const errors: Record<string, string> = {};
    for (const name of await manager.listNames()) {
      const error = await manager.load(name).then(
        () => assert.fail(`${name} loaded`),
        (error: Error) => error,
      );
      errors[name] = (error.cause as Error).message;
    }
    assert.deepEqual(Object.keys(errors).sort(), [
      "bare",
      "gone",
      "thrower",
      "trans",
    ]);
    for (const [name, message] of Object.entries(errors)) {
      assert.ok(!message.includes("\u001b"), `${name}: no ANSI codes`);
      // Deno's `Module not found "x".` keeps no period before our "; ...".
      assert.doesNotMatch(
        message,
        /\.;|\.\.(?!\.)|"\. at /,
        `${name}: ${message}`,
      );
      assert.match(message, / of the package in \/\S+\/lib: /, "names it");
      assert.equal(
        /throws when imported/.test(message),
        name === "thrower",
        `${name}: ${message}`,
      );
    }
    assert.match(
      errors.gone!,
      /gone\.ts failed: Module not found .*; the module does not exist: the index .*lib\/plux\.json is stale: run `deno task plux:index` in .*\/lib\//,
    );
    assert.match(
      errors.trans!,
      /; it imports file:\/\/.*\/lib\/nothere\.ts, which does not exist: fix that import in the package in \/\S+\/lib$/,
    );
    assert.match(
      errors.bare!,
      /; the module imports "plux-unmapped-dep", which the application's import map does not map .*add "plux-unmapped-dep" to the application's "imports"/,
    );
    assert.match(
      errors.thrower!,
      /the module itself fails; the module throws when imported: fix it, or exclude the plugin with a filter$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ImportMapFinder lists and loads plugins of a namespace called __proto__", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const config = await writeApp(dir, {
      a: '{ "version": 1, "plugins": { "__proto__": [' +
        '{ "name": "p", "export": "p", "path": "./mod.ts" }] } }',
    });
    const finder = new ImportMapFinder({ config });
    const listed = await finder.findPlugins({ namespace: "__proto__" });
    assert.deepEqual(listed.map((e) => `${e.namespace}:${e.name}`), [
      "__proto__:p",
    ]);
    assert.deepEqual(
      (await finder.findPlugins()).map((e) => e.namespace),
      ["__proto__"],
    );
    assert.deepEqual(await finder.findPlugins({ namespace: "toString" }), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ImportMapFinder entries carry the index's requires and after, and a module declaring others is a stale index", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const config = await writeApp(dir, {
      lib: formatIndex({
        version: 1,
        plugins: {
          "t.deps": [
            { name: "api", export: "api", path: "./api.ts", requires: ["db"] },
            { name: "db", export: "db", path: "./api.ts", after: ["log"] },
          ],
        },
      }),
    });
    const core = new URL("../../../mod.ts", import.meta.url).href;
    await Deno.writeTextFile(
      `${dir}/lib/api.ts`,
      `import { Plugin, PluginSpec } from "${core}";\n` +
        "class P extends Plugin {}\n" +
        'export const api = new PluginSpec("t.deps", "api", () => new P(), ' +
        '{ requires: ["db", "cache"] });\n' +
        'export const db = new PluginSpec("t.deps", "db", () => new P(), ' +
        '{ after: ["log"] });\n',
    );
    const entries = await new ImportMapFinder({ config }).findPlugins({
      namespace: "t.deps",
    });
    const [api, db] = entries;
    assert.deepEqual([api!.requires, api!.after], [["db"], []]);
    assert.deepEqual([db!.requires, db!.after], [[], ["log"]]);
    assert.deepEqual((await db!.resolve()).after, ["log"]);
    await assert.rejects(
      api!.resolve(),
      new RegExp(
        'plugin t\\.deps:api of the package in .*/lib: its code declares requires \\["cache","db"\\], ' +
          'the index says requires \\["db"\\]; the index file://.*/lib/plux\\.json ' +
          "is stale: run `deno task plux:index` in ",
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
