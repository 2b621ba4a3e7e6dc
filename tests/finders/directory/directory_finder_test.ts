import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type DirectoryProblem,
  PluginDirectoryError,
  PluginDirectoryFinder,
  type PluginDirectoryFinderOptions,
  PluginManager,
} from "../../../mod.ts";
import { importedUnder, withTempDir, writePackage } from "./_plugin_dirs.ts";

/** Loads every plugin of `app.tools`: plugin name → what load() returned. */
async function loadTools(
  dirs: string[],
  options: PluginDirectoryFinderOptions = {},
) {
  const finder = new PluginDirectoryFinder(dirs, options);
  const reported: Error[] = [];
  const manager = new PluginManager("app.tools", {
    finder,
    listeners: [{
      onResolveException: (_ns, _info, error) => {
        reported.push(error as Error);
      },
    }],
  });
  await manager.loadAll();
  const loaded: Record<string, unknown> = {};
  for (const container of await manager.listContainers()) {
    if (container.isLoaded) loaded[container.name] = container.loadValue;
  }
  return { finder, manager, loaded, reported };
}

function brief(problems: readonly DirectoryProblem[]) {
  return problems.map((p) => `${p.kind} ${p.package}@${p.version}`);
}

Deno.test("PluginDirectoryFinder.findPlugins() offers the newest of two good versions", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "a-2", { name: "@u/a", version: "2.0.0" });
    const { finder, loaded } = await loadTools([dir]);
    assert.deepEqual(loaded, { tool: "@u/a@2.0.0" });
    assert.deepEqual(finder.problems, []);
  });
});

Deno.test("PluginDirectoryFinder.findPlugins() orders versions by semver, not by text", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "x", { name: "@u/a", version: "1.9.0" });
    await writePackage(dir, "y", { name: "@u/a", version: "1.10.0" });
    await writePackage(dir, "z", { name: "@u/a", version: "1.10.0-beta.1" });
    assert.deepEqual((await loadTools([dir])).loaded, { tool: "@u/a@1.10.0" });
  });
});

Deno.test("PluginDirectoryFinder.findPlugins() falls back when the newest version's requirement is unmet", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      requires: { "@plux/core": "^0.1", "my-app": ">=2.3" },
    });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      requires: { "my-app": ">=3" },
    });
    await writePackage(dir, "b-2", {
      name: "@u/b",
      version: "2.0.0",
      plugins: { "app.tools": ["b"] },
      requires: { "@plux/core": "^9.0.0" },
    });
    await writePackage(dir, "c-1", {
      name: "@u/c",
      version: "1.0.0",
      plugins: { "app.tools": ["c"] },
      requires: { "other-app": "*" },
    });
    const { finder, loaded, reported } = await loadTools([dir], {
      provides: { "my-app": "2.4.0" },
    });
    assert.deepEqual(loaded, { tool: "@u/a@1.0.0" });
    assert.deepEqual(brief(finder.problems), [
      "requirement @u/a@2.0.0",
      "requirement @u/b@2.0.0",
      "requirement @u/c@1.0.0",
    ]);
    const [a, b, c] = finder.problems;
    assert.match(
      a!.reason,
      /needs my-app ">=3", but the host provides my-app 2.4.0/,
    );
    assert.match(
      b!.reason,
      /needs @plux\/core "\^9.0.0", but the host provides @plux\/core 0\.1\.0/,
    );
    assert.match(c!.reason, /the host does not provide other-app/);
    assert.equal(reported.length, 3);
    assert.ok(reported.every((e) => e instanceof PluginDirectoryError));
    assert.match(
      reported[0]!.message,
      /^@u\/a@2\.0\.0 skipped \(requirement\)/,
    );
  });
});

Deno.test("PluginDirectoryFinder resolves a plugin from the next older version when the newest module fails to import", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "a-2", { name: "@u/a", version: "2.0.0" });
    await writePackage(dir, "a-3", {
      name: "@u/a",
      version: "3.0.0",
      broken: ["tool"],
    });
    const finder = new PluginDirectoryFinder([dir]);
    const reported: unknown[] = [];
    const manager = new PluginManager("app.tools", {
      finder,
      listeners: [{
        onResolveException: (_ns, _info, e) => void reported.push(e),
      }],
    });
    assert.deepEqual(await manager.listNames(), ["tool"]);
    assert.deepEqual(importedUnder(dir), [], "listing imports nothing");
    await manager.load("tool");
    assert.equal((await manager.getContainer("tool"))?.loadValue, "@u/a@2.0.0");
    assert.deepEqual(brief(finder.problems), ["import @u/a@3.0.0"]);
    assert.equal(reported.length, 1, "the fallback reaches the listeners");
    assert.ok(reported[0] instanceof PluginDirectoryError);
    assert.deepEqual(brief((reported[0] as PluginDirectoryError).problems), [
      "import @u/a@3.0.0",
    ]);
    const [problem] = finder.problems;
    assert.equal(problem!.plugin, "app.tools:tool");
    assert.match(problem!.reason, /broken module of @u\/a@3\.0\.0/);
    assert.match(problem!.reason, /falling back to @u\/a@2\.0\.0$/);
  });
});

Deno.test("PluginDirectoryFinder fails a plugin whose every version fails to import, naming the first failure", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      broken: ["tool"],
    });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      broken: ["tool"],
    });
    const finder = new PluginDirectoryFinder([dir]);
    const manager = new PluginManager("app.tools", { finder });
    await assert.rejects(
      manager.load("tool"),
      /plugin app\.tools:tool of @u\/a: no installed version of @u\/a could be imported; first failure: .*broken module of @u\/a@2\.0\.0/,
    );
    assert.deepEqual(brief(finder.problems), [
      "import @u/a@2.0.0",
      "import @u/a@1.0.0",
    ]);
  });
});

Deno.test("PluginDirectoryFinder with fallback: false leaves out a package whose newest version is unusable", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      requires: { "my-app": ">=3" },
    });
    await writePackage(dir, "b-1", {
      name: "@u/b",
      version: "1.0.0",
      plugins: { "app.tools": ["b"] },
    });
    await writePackage(dir, "b-2", {
      name: "@u/b",
      version: "2.0.0",
      plugins: { "app.tools": ["b"] },
      broken: ["b"],
    });
    const { finder, manager, loaded } = await loadTools([dir], {
      fallback: false,
      provides: { "my-app": "2.4.0" },
    });
    assert.deepEqual(await manager.listNames(), ["b"]);
    assert.deepEqual(loaded, {});
    assert.deepEqual(brief(finder.problems), [
      "requirement @u/a@2.0.0",
      "fallback @u/a@2.0.0",
      "import @u/b@2.0.0",
      "fallback @u/b@2.0.0",
    ]);
    assert.match(finder.problems[1]!.reason, /fallback is off/);
    assert.match(
      finder.problems[2]!.reason,
      /broken module of @u\/b@2\.0\.0.*; fallback is off, so @u\/b is left out$/,
    );
    assert.match(
      String((await manager.getContainer("b"))?.resolveError),
      /plugin app\.tools:b of @u\/b: package @u\/b was left out: its newest version 2\.0\.0 is broken \(.*\) and fallback is off/,
    );
  });
});

Deno.test("PluginDirectoryFinder.findPlugins() in strict mode throws one error listing every problem", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      requires: { "my-app": ">=3" },
    });
    await writePackage(dir, "b-1", {
      name: "@u/b",
      version: "1.0.0",
      index: "{ not json",
    });
    const finder = new PluginDirectoryFinder([dir], { strict: true });
    const error = await finder.findPlugins().then(
      () => assert.fail("expected a PluginDirectoryError"),
      (error: unknown) => error,
    );
    assert.ok(error instanceof PluginDirectoryError);
    assert.deepEqual(brief(error.problems), [
      "requirement @u/a@2.0.0",
      "invalid @u/b@1.0.0",
    ]);
    assert.doesNotMatch(error.message, /\n/);
    assert.match(
      error.message,
      /^2 problems in the plugin directories: \(1\) @u\/a@2\.0\.0 skipped \(requirement\).* \(2\) @u\/b@1\.0\.0 skipped \(invalid\): .*plux\.json is not valid JSON/,
    );
  });
});

Deno.test("PluginDirectoryFinder.findPlugins() skips invalid entries and falls back past a malformed index", async (t) => {
  const cases: [string, Partial<Parameters<typeof writePackage>[2]>, RegExp][] =
    [
      [
        "deno.json not JSON",
        { config: "{ nope" },
        /deno\.json:1:3: .+; fix the JSON\(C\) syntax there, or reinstall it/,
      ],
      [
        "no version",
        { config: '{ "name": "@u/a" }' },
        /needs a "name" and a semver "version"/,
      ],
      ["bad requires", {
        config:
          '{ "name": "@u/a", "version": "2.0.0", "plux": { "requires": ["x"] } }',
      }, /"plux\.requires" must map package names/],
      ["index entry outside", {
        index:
          '{ "version": 1, "plugins": { "app.tools": [{ "name": "tool", "export": "Tool", "path": "../a-1/app.tools.tool.ts" }] } }',
      }, /points outside its package/],
      ["index of another package", {
        index:
          '{ "version": 1, "package": { "name": "@u/z", "version": "2.0.0" }, "plugins": {} }',
      }, /was written for @u\/z@2\.0\.0, not @u\/a@2\.0\.0/],
      [
        "index version 2",
        { index: '{ "version": 2, "plugins": {} }' },
        /has index version 2/,
      ],
    ];
  for (const [label, override, reason] of cases) {
    await t.step(label, async () => {
      await withTempDir(async (dir) => {
        await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
        await writePackage(dir, "a-2", {
          name: "@u/a",
          version: "2.0.0",
          ...override,
        });
        const { finder, loaded } = await loadTools([dir]);
        assert.deepEqual(loaded, { tool: "@u/a@1.0.0" });
        assert.equal(finder.problems.length, 1);
        assert.equal(finder.problems[0]!.kind, "invalid");
        assert.equal(finder.problems[0]!.path, join(dir, "a-2"));
        assert.match(finder.problems[0]!.reason, reason);
      });
    });
  }
});

Deno.test("PluginDirectoryFinder.findPlugins() uses the first directory's copy of a version found twice", async () => {
  await withTempDir(async (dir) => {
    const first = join(dir, "first"), second = join(dir, "second");
    await writePackage(second, "a", { name: "@u/a", version: "1.0.0" });
    await writePackage(first, "a", { name: "@u/a", version: "1.0.0" });
    const { finder, loaded } = await loadTools([
      first,
      second,
      join(dir, "missing"),
    ]);
    assert.deepEqual(loaded, { tool: "@u/a@1.0.0" });
    assert.deepEqual(brief(finder.problems), ["duplicate @u/a@1.0.0"]);
    assert.equal(finder.problems[0]!.path, join(second, "a"));
    const entries = await finder.findPlugins({ namespace: "app.tools" });
    assert.equal(entries[0]!.source?.index, `file://${first}/a/plux.json`);
  });
});

Deno.test("PluginDirectoryFinder chooses the same versions whatever the listing order", async () => {
  const versions = ["1.9.0", "1.10.0", "2.0.0-rc.1", "2.0.0", "0.5.0"];
  const outcome = async (order: number[]) =>
    await withTempDir(async (dir) => {
      for (const [position, i] of order.entries()) {
        const version = versions[i]!;
        // Entry names follow creation order, so each order lists differently.
        await writePackage(dir, `p${position}`, {
          name: "@u/a",
          version,
          requires: version === "2.0.0" ? { "my-app": ">=3" } : undefined,
          broken: version === "2.0.0-rc.1" ? ["tool"] : [],
        });
        await writePackage(dir, `q${position}`, {
          name: `@u/b${i}`,
          version: "1.0.0",
          plugins: { "app.tools": [`b${i}`] },
        });
      }
      const { finder, loaded } = await loadTools([dir], {
        provides: { "my-app": "2.4.0" },
      });
      return {
        loaded,
        // Reasons and paths name the entry folders, which differ by order.
        problems: finder.problems.map((p) => ({ ...p, path: 0, reason: 0 })),
      };
    });
  const expected = await outcome([0, 1, 2, 3, 4]);
  assert.equal(expected.loaded.tool, "@u/a@1.10.0");
  assert.deepEqual(brief(expected.problems as never), [
    "requirement @u/a@2.0.0",
    "import @u/a@2.0.0-rc.1",
  ]);
  for (const order of [[4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [3, 4, 0, 2, 1]]) {
    assert.deepEqual(await outcome(order), expected, `order ${order}`);
  }
});

Deno.test("PluginDirectoryFinder() rejects directories that are not a list of paths", () => {
  for (const bad of ["/tmp", [""], [1], undefined]) {
    assert.throws(
      () => new PluginDirectoryFinder(bad as string[]),
      /TypeError: PluginDirectoryFinder: directories must be a list of folder paths/,
    );
  }
});
