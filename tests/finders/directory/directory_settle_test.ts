import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type DirectoryProblem,
  PluginDirectoryError,
  PluginDirectoryFinder,
  PluginManager,
} from "../../../mod.ts";
import { importedUnder, withTempDir, writePackage } from "./_plugin_dirs.ts";

function brief(problems: readonly DirectoryProblem[]) {
  return problems.map((p) => `${p.kind} ${p.package}@${p.version}`);
}

const xy = { "app.tools": ["x", "y"] };

Deno.test("PluginDirectoryFinder loads every plugin of a package from one version when a newer one has a broken module", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      plugins: xy,
    });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      plugins: xy,
      broken: ["y"],
    });
    const finder = new PluginDirectoryFinder([dir]);
    const manager = new PluginManager("app.tools", { finder });
    await manager.loadAll();
    const containers = await manager.listContainers();
    assert.deepEqual(
      containers.map((c) => [c.name, c.loadValue]),
      [["x", "@u/a@1.0.0"], ["y", "@u/a@1.0.0"]],
    );
    // Provenance names the version in use, not the one first listed.
    for (const container of containers) {
      assert.equal(container.source?.version, "1.0.0");
      assert.equal(container.source?.index, `file://${dir}/a-1/plux.json`);
      assert.equal(
        container.info.value,
        `file://${dir}/a-1/app.tools.${container.name}.ts#Tool`,
      );
    }
    // One settle for both concurrent resolves: the failure is reported once.
    assert.deepEqual(brief(finder.problems), ["import @u/a@2.0.0"]);
    assert.equal(finder.problems[0]!.plugin, "app.tools:y");
    assert.match(
      finder.problems[0]!.reason,
      /broken module of @u\/a@2\.0\.0.*; falling back to @u\/a@1\.0\.0$/,
    );
  });
});

Deno.test("PluginDirectoryFinder imports no plugin module when listing, and every plugin module of the package on the first resolve", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      plugins: { "app.tools": ["x", "y"], "app.themes": ["dark"] },
    });
    await writePackage(dir, "b-1", {
      name: "@u/b",
      version: "1.0.0",
      plugins: { "app.tools": ["z"] },
    });
    const finder = new PluginDirectoryFinder([dir]);
    const manager = new PluginManager("app.tools", { finder });
    assert.deepEqual(await manager.listNames(), ["x", "y", "z"]);
    const entries = await finder.findPlugins();
    assert.deepEqual(entries.map((e) => [e.value, e.source?.version]), [
      [`file://${dir}/a-1/app.themes.dark.ts#Tool`, "1.0.0"],
      [`file://${dir}/a-1/app.tools.x.ts#Tool`, "1.0.0"],
      [`file://${dir}/a-1/app.tools.y.ts#Tool`, "1.0.0"],
      [`file://${dir}/b-1/app.tools.z.ts#Tool`, "1.0.0"],
    ]);
    assert.deepEqual(importedUnder(dir), []);

    await manager.load("x");
    assert.deepEqual(importedUnder(dir).sort(), [
      "a-1/app.themes.dark.ts",
      "a-1/app.tools.x.ts",
      "a-1/app.tools.y.ts",
    ]);
  });
});

Deno.test("PluginDirectoryFinder fails a plugin that the version in use after a fallback does not have", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      plugins: { "app.tools": ["x"] },
    });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      plugins: xy,
      broken: ["x"],
    });
    const finder = new PluginDirectoryFinder([dir]);
    const manager = new PluginManager("app.tools", { finder });
    await manager.loadAll();
    assert.equal((await manager.getContainer("x"))?.loadValue, "@u/a@1.0.0");
    const y = await manager.getContainer("y");
    assert.equal(y?.isLoaded, false);
    assert.equal(y?.source?.version, "1.0.0", "the version in use");
    assert.match(
      String(y?.resolveError),
      /plugin app\.tools:y is not in @u\/a@1\.0\.0, the version of @u\/a in use because @u\/a@2\.0\.0 failed to import; fix or remove @u\/a@2\.0\.0, or install a version that has the plugin/,
    );
    // A manager created after settling lists the version in use.
    const later = new PluginManager("app.tools", { finder });
    assert.deepEqual(await later.listNames(), ["x"]);
  });
});

Deno.test("PluginDirectoryFinder with fallback: false fails every plugin of a package whose newest version has a broken module", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      plugins: xy,
    });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      plugins: xy,
      broken: ["y"],
    });
    const finder = new PluginDirectoryFinder([dir], { fallback: false });
    const manager = new PluginManager("app.tools", { finder });
    await manager.loadAll();
    for (const container of await manager.listContainers()) {
      assert.equal(container.isLoaded, false);
      assert.match(
        String(container.resolveError),
        /of @u\/a: package @u\/a was left out: its newest version 2\.0\.0 is broken \(.*broken module of @u\/a@2\.0\.0.*\) and fallback is off/,
      );
      assert.doesNotMatch(String(container.resolveError), /no installed/);
    }
    assert.deepEqual(brief(finder.problems), [
      "import @u/a@2.0.0",
      "fallback @u/a@2.0.0",
    ]);
    assert.deepEqual(importedUnder(dir).sort(), [
      "a-2/app.tools.x.ts",
      "a-2/app.tools.y.ts",
    ]);
  });
});

Deno.test("PluginDirectoryFinder reports an unusable older version that a fallback passes over", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      index: "{ not json",
    });
    await writePackage(dir, "a-3", {
      name: "@u/a",
      version: "3.0.0",
      broken: ["tool"],
    });
    const finder = new PluginDirectoryFinder([dir]);
    const manager = new PluginManager("app.tools", { finder });
    assert.deepEqual(await manager.listNames(), ["tool"]);
    assert.equal(finder.problems.length, 0, "a-2 is older than a-3");
    await manager.load("tool");
    assert.equal((await manager.getContainer("tool"))?.loadValue, "@u/a@1.0.0");
    assert.deepEqual(brief(finder.problems), [
      "import @u/a@3.0.0",
      "invalid @u/a@2.0.0",
    ]);
    assert.match(finder.problems[0]!.reason, /falling back to @u\/a@1\.0\.0$/);
    assert.match(finder.problems[1]!.reason, /plux\.json is not valid JSON/);
  });
});

Deno.test("PluginDirectoryFinder.findPlugins() in strict mode lists a module that fails to import", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      broken: ["tool"],
    });
    const finder = new PluginDirectoryFinder([dir], { strict: true });
    const error = await finder.findPlugins().catch((e: unknown) => e);
    assert.ok(error instanceof PluginDirectoryError);
    assert.deepEqual(brief(error.problems), ["import @u/a@2.0.0"]);
  });
});

Deno.test("PluginManager over a strict PluginDirectoryFinder rejects with its PluginDirectoryError", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      requires: { "my-app": ">=3" },
    });
    const finder = new PluginDirectoryFinder([dir], { strict: true });
    const manager = new PluginManager("app.tools", { finder });
    const isStrictError = (error: unknown) => {
      assert.ok(error instanceof PluginDirectoryError, String(error));
      assert.deepEqual(brief(error.problems), ["requirement @u/a@2.0.0"]);
      return true;
    };
    await assert.rejects(manager.listNames(), isStrictError);
    await assert.rejects(manager.load("tool"), isStrictError);
    await assert.rejects(manager.loadAll(), isStrictError);
  });
});

Deno.test("PluginDirectoryFinder() rejects a provides value that is not a semver version, naming the key", () => {
  for (const [value, shown] of [[2, "2"], ["2.4", '"2.4"'], [">=2", '">=2"']]) {
    assert.throws(
      () =>
        new PluginDirectoryFinder([], {
          provides: { "my-app": value as string },
        }),
      (error: unknown) =>
        error instanceof TypeError &&
        error.message ===
          `PluginDirectoryFinder: provides["my-app"] must be a semver version such as "2.4.0", got ${shown}`,
    );
  }
  assert.throws(
    () => new PluginDirectoryFinder([], { provides: [] as never }),
    /TypeError: PluginDirectoryFinder: provides must map names to versions/,
  );
  new PluginDirectoryFinder([], { provides: { "my-app": "2.4.0-beta.1+b7" } });
});

Deno.test("PluginDirectoryFinder.refresh() reads the directories again", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "b-1", {
      name: "@u/b",
      version: "1.0.0",
      index: "[]",
    });
    const finder = new PluginDirectoryFinder([dir]);
    const versions = async () =>
      (await finder.findPlugins()).map((e) => e.source?.version);
    assert.deepEqual(await versions(), ["1.0.0"]);
    assert.deepEqual(brief(finder.problems), ["invalid @u/b@1.0.0"]);
    await writePackage(dir, "a-2", { name: "@u/a", version: "2.0.0" });
    await Deno.remove(join(dir, "b-1"), { recursive: true });
    assert.deepEqual(await versions(), ["1.0.0"], "read once until refresh()");
    finder.refresh();
    assert.deepEqual(await versions(), ["2.0.0"]);
    assert.deepEqual(finder.problems, []);
  });
});

Deno.test("PluginDirectoryFinder falls back past a version whose index names an export its module lacks", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      plugins: xy,
    });
    const stale = await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      plugins: xy,
    });
    const index = join(stale, "plux.json");
    const text = await Deno.readTextFile(index);
    await Deno.writeTextFile(index, text.replace('"Tool"', '"Renamed"'));
    const finder = new PluginDirectoryFinder([dir]);
    const manager = new PluginManager("app.tools", { finder });
    await manager.load("y");
    assert.equal((await manager.getContainer("y"))?.loadValue, "@u/a@1.0.0");
    assert.deepEqual(brief(finder.problems), ["import @u/a@2.0.0"]);
    assert.equal(finder.problems[0]!.plugin, "app.tools:x");
    assert.match(
      finder.problems[0]!.reason,
      /exports "Renamed", but it does not; the index is stale/,
    );
    // An installed copy: the user reinstalls or asks the maintainers, and
    // is never told to index a package they did not write.
    assert.match(
      finder.problems[0]!.reason,
      /the index is stale: reinstall @u\/a@2\.0\.0 \(.*a-2\), or ask its maintainers to run `deno task plux:index` and publish it again;/,
    );
  });
});
