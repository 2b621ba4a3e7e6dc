import assert from "node:assert/strict";
import { join } from "node:path";
import {
  CombinedPluginFinder,
  ImportMapFinder,
  Plugin,
  PluginDirectoryFinder,
  type PluginEntry,
  type PluginFinder,
  PluginManager,
  PluginSpec,
} from "../../mod.ts";
import { withTempDir, writePackage } from "./directory/_plugin_dirs.ts";

class Noop extends Plugin {}

/** A finder over fixed entries of one package, like an import-map finder. */
function packageFinder(
  pkg: string,
  version: string,
  names: string[],
): PluginFinder {
  return {
    findPlugins: ({ namespace } = {}) =>
      names.map((name): PluginEntry => ({
        namespace: "app.tools",
        name,
        source: { kind: "test", package: pkg, version },
        resolve: () =>
          Promise.resolve(new PluginSpec("app.tools", name, () => new Noop())),
      })).filter((e) => namespace === undefined || e.namespace === namespace),
  };
}

Deno.test("CombinedPluginFinder.findPlugins() lets the earlier finder win a package and reports the shadowed copy", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a", {
      name: "@u/a",
      version: "9.0.0",
      plugins: { "app.tools": ["a", "only-in-dir"], "app.other": ["x"] },
    });
    await writePackage(dir, "b", {
      name: "@u/b",
      version: "1.0.0",
      plugins: { "app.tools": ["b"] },
    });
    const spec = new PluginSpec("app.tools", "inline", () => new Noop());
    const finder = new CombinedPluginFinder([
      packageFinder("@u/a", "1.0.0", ["a"]),
      { findPlugins: () => [spec] },
      new PluginDirectoryFinder([dir]),
    ]);
    const reported: Error[] = [];
    const entries = [
      ...await finder.findPlugins({
        namespace: "app.tools",
        report: (e) => reported.push(e),
      }),
    ];
    assert.deepEqual(
      entries.map((
        e,
      ) => [e.name, e instanceof PluginSpec ? "spec" : e.source?.version]),
      [["a", "1.0.0"], ["inline", "spec"], ["b", "1.0.0"]],
    );
    assert.equal(reported.length, 1);
    assert.match(
      reported[0]!.message,
      /^@u\/a@9\.0\.0 \(directory\) is left out: @u\/a@1\.0\.0 \(test\) of an earlier finder/,
    );
    assert.deepEqual(
      finder.shadowed.map((
        s,
      ) => [s.package, s.source.version, s.winner.version]),
      [["@u/a", "9.0.0", "1.0.0"]],
    );
    // The package is shadowed in every namespace, not only where both offer it.
    assert.deepEqual(
      [...await finder.findPlugins({ namespace: "app.other" })],
      [],
    );
  });
});

Deno.test("CombinedPluginFinder with ImportMapFinder prefers the application's package over a user-installed copy", async () => {
  await withTempDir(async (root) => {
    const app = join(root, "app");
    const plugins = join(root, "plugins");
    await writePackage(join(app, "vendor"), "a", {
      name: "@u/a",
      version: "1.0.0",
    });
    await Deno.writeTextFile(
      join(app, "deno.json"),
      JSON.stringify({ imports: { "@u/a/": "./vendor/a/" } }),
    );
    await writePackage(plugins, "a-2", { name: "@u/a", version: "2.0.0" });
    await writePackage(plugins, "b-1", {
      name: "@u/b",
      version: "1.0.0",
      plugins: { "app.tools": ["b"] },
    });
    const finder = new CombinedPluginFinder([
      new ImportMapFinder({ config: join(app, "deno.json") }),
      new PluginDirectoryFinder([plugins]),
    ]);
    const manager = new PluginManager("app.tools", { finder });
    await manager.loadAll();
    const values = Object.fromEntries(
      (await manager.listContainers()).map((c) => [c.name, c.loadValue]),
    );
    assert.deepEqual(values, { b: "@u/b@1.0.0", tool: "@u/a@1.0.0" });
    assert.deepEqual(
      finder.shadowed.map((s) => `${s.package}@${s.source.version}`),
      ["@u/a@2.0.0"],
    );
  });
});

Deno.test("CombinedPluginFinder() rejects what is not a list of finders", () => {
  assert.throws(
    () => new CombinedPluginFinder([{} as PluginFinder]),
    TypeError,
  );
});
