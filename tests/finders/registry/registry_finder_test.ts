import assert from "node:assert/strict";
import {
  Plugin,
  PluginException,
  PluginManager,
  type PluginRegistry,
  PluginSpec,
  RegistryFinder,
} from "../../../mod.ts";

class Cache extends Plugin {
  static namespace = "test.registry";
  static pluginName = "cache";
  override load(): string {
    return "cache loaded";
  }
}

/** A registry item whose import is counted. */
function item(
  name: string,
  exportName: string,
  module: Record<string, unknown>,
  imported: string[],
  namespace = "test.registry",
) {
  return {
    namespace,
    name,
    export: exportName,
    value: `./${name}.ts#${exportName}`,
    source: { kind: "workspace", package: "@test/pkg", version: "1.0.0" },
    import: () => {
      imported.push(name);
      return Promise.resolve(module);
    },
  };
}

Deno.test("RegistryFinder.findPlugins() lists entries without importing any module", () => {
  const imported: string[] = [];
  const registry: PluginRegistry = [
    item("cache", "Cache", { Cache }, imported),
    item("other", "Other", {}, imported, "test.other"),
  ];
  const finder = new RegistryFinder(registry);
  const entries = finder.findPlugins({ namespace: "test.registry" });
  assert.deepEqual(entries.map((e) => e.name), ["cache"]);
  assert.equal(entries[0]!.source?.package, "@test/pkg");
  assert.equal(entries[0]!.value, "./cache.ts#Cache");
  assert.equal(finder.findPlugins().length, 2);
  assert.deepEqual(imported, []);
});

Deno.test("RegistryFinder with PluginManager imports a plugin's module only when it is loaded", async () => {
  const imported: string[] = [];
  const manager = new PluginManager("test.registry", {
    finder: new RegistryFinder([
      item("cache", "Cache", { Cache }, imported),
      item("spec", "spec", {
        spec: new PluginSpec("test.registry", "spec", () => new Cache()),
      }, imported),
    ]),
  });
  assert.deepEqual(await manager.listNames(), ["cache", "spec"]);
  assert.deepEqual(imported, []);
  await manager.load("cache");
  assert.deepEqual(imported, ["cache"]);
  assert.equal(
    (await manager.getContainer("cache"))?.loadValue,
    "cache loaded",
  );
});

Deno.test("RegistryFinder entry.resolve() rejects with a message naming the plugin and the fix", async (t) => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["a missing export", {}, /does not.*stale.*plux registry/],
    ["an export that is no plugin", { Cache: 42 }, /is not a plugin.*stale/],
    [
      "an export declaring another plugin",
      { Cache: new PluginSpec("test.registry", "other", () => new Cache()) },
      /declares test\.registry:other.*stale/,
    ],
  ];
  for (const [label, module, pattern] of cases) {
    await t.step(label, async () => {
      const [entry] = new RegistryFinder([item("cache", "Cache", module, [])])
        .findPlugins();
      const error = await entry!.resolve().then(() => undefined, (e) => e);
      assert.ok(error instanceof PluginException);
      assert.equal(error.pluginName, "cache");
      assert.match(error.message, /test\.registry:cache/);
      assert.match(error.message, pattern);
    });
  }
  await t.step("a module that throws when imported", async () => {
    const [entry] = new RegistryFinder([{
      namespace: "test.registry",
      name: "cache",
      export: "Cache",
      value: "./cache.ts#Cache",
      import: () => Promise.reject(new Error("boom")),
    }]).findPlugins();
    await assert.rejects(
      entry!.resolve(),
      /importing \.\/cache\.ts#Cache failed: boom; fix the module, or exclude the plugin with a filter$/,
    );
  });
  await t.step("a module that needs a permission, on one line", async () => {
    const [entry] = new RegistryFinder([{
      namespace: "test.registry",
      name: "cache",
      export: "Cache",
      value: "./cache.ts#Cache",
      import: () =>
        Promise.reject(
          new Deno.errors.NotCapable(
            'Requires env access to "CACHE_URL", run again with the ' +
              "--allow-env flag\n    at file:///app/cache.ts:1:1",
          ),
        ),
    }]).findPlugins();
    await assert.rejects(
      entry!.resolve(),
      /failed: Requires env access to "CACHE_URL", run again with the --allow-env flag at file:\/\/\/app\/cache\.ts:1:1; run the application with --allow-env=CACHE_URL$/,
    );
  });
});

Deno.test("RegistryFinder.findPlugins() reports malformed items and offers the others", () => {
  const problems: Error[] = [];
  const registry = [
    null,
    { namespace: "test.registry", name: "", export: "X", import: () => {} },
    { namespace: "test.registry", name: "x", export: "X" },
    item("cache", "Cache", { Cache }, []),
  ] as unknown as PluginRegistry;
  const entries = new RegistryFinder(registry).findPlugins({
    report: (error) => problems.push(error),
  });
  assert.deepEqual(entries.map((e) => e.name), ["cache"]);
  assert.equal(problems.length, 3);
  assert.match(problems[0]!.message, /item 0 is not an object/);
  assert.match(problems[1]!.message, /item 1 has no name/);
  assert.match(
    problems[2]!.message,
    /item 2 \(test\.registry:x\) has no import/,
  );
  assert.match(problems[2]!.message, /plux registry/);
});

Deno.test("RegistryFinder() throws TypeError when the registry is not an array", () => {
  assert.throws(
    () => new RegistryFinder({} as unknown as PluginRegistry),
    TypeError,
  );
});

Deno.test("RegistryFinder entries carry requires and after, and resolve() rejects code that declares others as a stale registry", async () => {
  const Api = new PluginSpec("test.registry", "api", () => new Cache(), {
    requires: ["cache"],
    after: ["metrics"],
  });
  const declared = { requires: ["cache"], after: ["metrics"] };
  const [listed] = new RegistryFinder([
    { ...item("api", "Api", { Api }, []), ...declared },
  ]).findPlugins();
  assert.deepEqual([listed!.requires, listed!.after], [["cache"], [
    "metrics",
  ]]);
  assert.equal(await listed!.resolve(), Api);

  const [stale] = new RegistryFinder([
    { ...item("api", "Api", { Api }, []), requires: ["cache"] },
  ]).findPlugins();
  const error = await stale!.resolve().then(() => undefined, (e) => e);
  assert.ok(error instanceof PluginException);
  assert.equal(
    error.message,
    'plugin test.registry:api of @test/pkg@1.0.0: its code declares after ["metrics"], the ' +
      "registry says after []; the registry is stale: regenerate the " +
      "registry with `plux registry --out <file>`",
  );

  const problems: Error[] = [];
  new RegistryFinder([
    { ...item("api", "Api", { Api }, []), requires: "cache" },
  ] as unknown as PluginRegistry).findPlugins({
    report: (e) => problems.push(e),
  });
  assert.match(
    problems[0]!.message,
    /item 0 \(test\.registry:api\) has requires that is not a list of plugin names/,
  );
});
