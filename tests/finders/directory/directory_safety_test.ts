import assert from "node:assert/strict";
import { join } from "node:path";
import { PluginDirectoryFinder, PluginManager } from "../../../mod.ts";
import { withTempDir, writePackage } from "./_plugin_dirs.ts";

Deno.test("PluginDirectoryFinder.findPlugins() refuses an entry that links outside its directory", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "plugins");
    const outside = await writePackage(root, "elsewhere", {
      name: "@u/evil",
      version: "1.0.0",
    });
    await Deno.mkdir(dir);
    await Deno.symlink(outside, join(dir, "evil"));
    await Deno.symlink(join(root, "nowhere"), join(dir, "dangling"));
    const finder = new PluginDirectoryFinder([dir]);
    assert.deepEqual(await finder.findPlugins(), []);
    assert.deepEqual(
      finder.problems.map((p) => [p.kind, p.path]),
      [["invalid", join(dir, "dangling")], ["outside", join(dir, "evil")]],
    );
    assert.match(
      finder.problems[1]!.reason,
      /is a link to .*elsewhere, outside the plugin directory/,
    );
  });
});

Deno.test("PluginDirectoryFinder.findPlugins() accepts a link that stays inside its directory", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, ".store/a-1", { name: "@u/a", version: "1.0.0" });
    await Deno.symlink(join(dir, ".store/a-1"), join(dir, "a"));
    const finder = new PluginDirectoryFinder([dir]);
    const entries = await finder.findPlugins();
    assert.deepEqual(entries.map((e) => e.source?.version), ["1.0.0"]);
    assert.deepEqual(finder.problems, []);
  });
});

Deno.test("PluginDirectoryFinder.findPlugins() refuses a plux.json that links outside its package", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "plugins");
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    const pkg = await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
    });
    await Deno.rename(join(pkg, "plux.json"), join(root, "plux.json"));
    await Deno.symlink(join(root, "plux.json"), join(pkg, "plux.json"));
    const finder = new PluginDirectoryFinder([dir]);
    const entries = await finder.findPlugins();
    assert.deepEqual(entries.map((e) => e.source?.version), ["1.0.0"]);
    assert.deepEqual(finder.problems.map((p) => [p.kind, p.version]), [[
      "outside",
      "2.0.0",
    ]]);
  });
});

Deno.test("PluginDirectoryFinder refuses a plugin module that links outside its package and falls back", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "plugins");
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    const pkg = await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
    });
    const module = join(pkg, "app.tools.tool.ts");
    await Deno.rename(module, join(root, "outside.ts"));
    await Deno.symlink(join(root, "outside.ts"), module);
    const finder = new PluginDirectoryFinder([dir]);
    const manager = new PluginManager("app.tools", { finder });
    await manager.load("tool");
    assert.equal((await manager.getContainer("tool"))?.loadValue, "@u/a@1.0.0");
    assert.deepEqual(finder.problems.map((p) => [p.kind, p.version]), [[
      "outside",
      "2.0.0",
    ]]);
    assert.match(
      finder.problems[0]!.reason,
      /outside\.ts, outside the package .*a-2; refused/,
    );
  });
});

/** Moves a package's module into `lib/`, which `link` makes a link to `target`. */
async function moveIntoLinkedFolder(pkg: string, target: string) {
  await Deno.mkdir(target, { recursive: true });
  await Deno.rename(
    join(pkg, "app.tools.tool.ts"),
    join(target, "app.tools.tool.ts"),
  );
  await Deno.symlink(target, join(pkg, "lib"));
  const index = JSON.parse(await Deno.readTextFile(join(pkg, "plux.json")));
  index.plugins["app.tools"][0].path = "./lib/app.tools.tool.ts";
  await Deno.writeTextFile(join(pkg, "plux.json"), JSON.stringify(index));
}

Deno.test("PluginDirectoryFinder refuses a plugin module whose folder links outside its package", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "plugins");
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    const pkg = await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
    });
    await moveIntoLinkedFolder(pkg, join(root, "elsewhere"));
    const finder = new PluginDirectoryFinder([dir]);
    const manager = new PluginManager("app.tools", { finder });
    await manager.load("tool");
    assert.equal((await manager.getContainer("tool"))?.loadValue, "@u/a@1.0.0");
    assert.deepEqual(finder.problems.map((p) => [p.kind, p.version]), [[
      "outside",
      "2.0.0",
    ]]);
    assert.match(
      finder.problems[0]!.reason,
      /lib\/app\.tools\.tool\.ts is a link to .*elsewhere\/app\.tools\.tool\.ts, outside the package .*a-2; refused/,
    );
  });
});

Deno.test("PluginDirectoryFinder imports a plugin module whose folder links inside its package", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "plugins");
    const pkg = await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
    });
    await moveIntoLinkedFolder(pkg, join(pkg, "src"));
    const finder = new PluginDirectoryFinder([dir]);
    const manager = new PluginManager("app.tools", { finder });
    await manager.load("tool");
    assert.equal((await manager.getContainer("tool"))?.loadValue, "@u/a@2.0.0");
    assert.deepEqual(finder.problems, []);
  });
});
