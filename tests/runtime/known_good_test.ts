import assert from "node:assert/strict";
import { join } from "node:path";
import {
  PluginDirectoryFinder,
  type PluginDirectoryFinderOptions,
  PluginManager,
  readKnownGood,
  writeKnownGood,
} from "../../mod.ts";
import { withTempDir, writePackage } from "./_plugin_dirs.ts";

async function run(dir: string, options: PluginDirectoryFinderOptions = {}) {
  const finder = new PluginDirectoryFinder([dir], options);
  const manager = new PluginManager("app.tools", { finder });
  await manager.loadAll();
  const containers = await manager.listContainers();
  const loaded = Object.fromEntries(
    containers.filter((c) => c.isLoaded).map((c) => [c.name, c.loadValue]),
  );
  return { finder, containers, loaded };
}

Deno.test("PluginDirectoryFinder.recordKnownGood() records the versions plugins actually loaded from", async () => {
  await withTempDir(async (dir) => {
    const plugins = { "app.tools": ["a", "b"] };
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0", plugins });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      plugins,
      broken: ["b"],
    });
    await writePackage(dir, "c-1", {
      name: "@u/c",
      version: "1.0.0",
      plugins: { "app.tools": ["c"] },
    });
    const { finder, containers, loaded } = await run(join(dir));
    assert.deepEqual(loaded, {
      a: "@u/a@2.0.0",
      b: "@u/a@1.0.0",
      c: "@u/c@1.0.0",
    });
    const file = join(dir, "known-good.json");
    const recorded = await finder.recordKnownGood(file, containers);
    // 2.0.0 had a plugin that failed to import, so it is not known good.
    const expected = [
      { name: "@u/a", version: "1.0.0" },
      { name: "@u/c", version: "1.0.0" },
    ];
    assert.deepEqual(recorded, expected);
    assert.deepEqual(await readKnownGood(file), expected);
  });
});

Deno.test("PluginDirectoryFinder in fail-safe mode uses the known-good set when the directories have a problem", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "plugins");
    const file = join(root, "known-good.json");
    const b = { "app.tools": ["b"] };
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "b-1", {
      name: "@u/b",
      version: "1.0.0",
      plugins: b,
    });
    const first = await run(dir, { knownGood: file, failSafe: true });
    assert.equal(first.finder.problems.length, 0);
    await first.finder.recordKnownGood(file, first.containers);

    // The user installs a new b, a broken a and a new package c.
    await writePackage(dir, "b-2", {
      name: "@u/b",
      version: "2.0.0",
      plugins: b,
    });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      index: "[]",
    });
    await writePackage(dir, "c-1", {
      name: "@u/c",
      version: "1.0.0",
      plugins: { "app.tools": ["c"] },
    });
    const normal = await run(dir);
    assert.deepEqual(normal.loaded, {
      tool: "@u/a@1.0.0",
      b: "@u/b@2.0.0",
      c: "@u/c@1.0.0",
    });
    const safe = await run(dir, { knownGood: file, failSafe: true });
    assert.deepEqual(safe.loaded, { tool: "@u/a@1.0.0", b: "@u/b@1.0.0" });
    assert.deepEqual(
      safe.finder.problems.map((p) => [p.kind, p.package, p.version]),
      [
        ["invalid", "@u/a", "2.0.0"],
        ["fail-safe", undefined, undefined],
        ["known-good", "@u/c", "1.0.0"],
      ],
    );
    assert.match(
      safe.finder.problems[1]!.reason,
      /have 1 problem\(s\); using the known-good set recorded in .*known-good\.json instead/,
    );
    assert.match(safe.finder.problems[2]!.reason, /not in the known-good set/);
  });
});

Deno.test("PluginDirectoryFinder in fail-safe mode says so and goes on when the known-good set is missing or bad", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      index: "{",
    });
    const file = join(dir, "..", `${dir.split("/").pop()}-known-good.json`);
    for (
      const [label, content, reason] of [
        ["missing", undefined, /cannot be read \(.*No such file/],
        [
          "bad",
          '{ "version": 1 }',
          /cannot be read \(.*is not a known-good set/,
        ],
      ] as const
    ) {
      try {
        if (content !== undefined) await Deno.writeTextFile(file, content);
        const { finder, loaded } = await run(dir, {
          knownGood: file,
          failSafe: true,
        });
        assert.deepEqual(loaded, { tool: "@u/a@1.0.0" }, label);
        const notice = finder.problems.find((p) => p.kind === "fail-safe");
        assert.match(notice!.reason, reason, label);
      } finally {
        await Deno.remove(file).catch(() => {});
      }
    }
    const { finder } = await run(dir, { failSafe: true });
    assert.match(finder.problems[1]!.reason, /no knownGood file is set/);
  });
});

Deno.test("readKnownGood() rejects a file that is not a known-good set", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "kg.json");
    for (
      const text of [
        "nope",
        "[]",
        '{ "version": 1, "packages": [{ "name": "a", "version": "x" }] }',
      ]
    ) {
      await Deno.writeTextFile(file, text);
      await assert.rejects(readKnownGood(file), SyntaxError, text);
    }
    await writeKnownGood(file, [
      { name: "b", version: "1.0.0" },
      { name: "a", version: "1.0.0" },
      { name: "b", version: "1.0.0" },
    ]);
    assert.deepEqual(await readKnownGood(file), [
      { name: "a", version: "1.0.0" },
      { name: "b", version: "1.0.0" },
    ]);
  });
});
