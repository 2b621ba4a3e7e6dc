import assert from "node:assert/strict";
import {
  Plugin,
  plugin,
  PluginManager,
  PluginSpec,
  PluginSpecResolver,
} from "../../mod.ts";

const NS = "test.resolver";

abstract class Service extends Plugin {
  static namespace = NS;
}

class Db extends Service {
  static pluginName = "db";
  override load() {
    return "db up";
  }
}

class Cache extends Service {
  static pluginName = "cache";
}

const resolver = new PluginSpecResolver();

Deno.test("PluginSpecResolver.resolve() returns a spec as it is", () => {
  const spec = new PluginSpec(NS, "s", () => new Db());
  assert.equal(resolver.resolve(spec), spec);
  assert.equal(resolver.isPlugin(spec), true);
});

Deno.test("PluginSpecResolver.resolve() makes a spec of a class plugin whose subclasses inherit the namespace", async () => {
  const db = resolver.resolve(Db);
  const cache = resolver.resolve(Cache);
  assert.deepEqual([db.namespace, db.name], [NS, "db"]);
  assert.deepEqual([cache.namespace, cache.name], [NS, "cache"]);
  const instance = await db.factory();
  assert.ok(instance instanceof Db);
  assert.notEqual(await db.factory(), instance);
});

Deno.test("PluginSpecResolver does not take an abstract base without pluginName for a plugin", () => {
  assert.equal(resolver.isPlugin(Service), false);
  assert.throws(
    () => resolver.resolve(Service),
    (error) =>
      error instanceof TypeError &&
      /Service \(a function or class\) is not a plugin/.test(error.message),
  );
  assert.equal(resolver.isPlugin(Plugin), false);
});

Deno.test("PluginSpecResolver.resolve() throws a TypeError for values that declare no plugin", async (t) => {
  const cases: [string, unknown, RegExp][] = [
    [
      "a plain function",
      function helper() {},
      /helper \(a function or class\)/,
    ],
    ["an anonymous function", () => {}, /an anonymous function/],
    ["an object", { namespace: NS, name: "x" }, /an object/],
    ["a string", "db", /the string db/],
    ["null", null, /null is not a plugin/],
    [
      "a class that is not a Plugin",
      class Db {
        static namespace = NS;
        static pluginName = "db";
      },
      /Db/,
    ],
  ];
  for (const [title, value, message] of cases) {
    await t.step(title, () => {
      assert.equal(resolver.isPlugin(value), false);
      assert.throws(
        () => resolver.resolve(value),
        (error) => error instanceof TypeError && message.test(error.message),
      );
    });
  }
});

Deno.test("PluginManager loads class plugins, specs and plugin() functions side by side", async () => {
  const hello = plugin({ namespace: NS }, function hello() {
    return "hi";
  });
  const spec = new PluginSpec(NS, "spec", async () => {
    await Promise.resolve();
    return new Db();
  });
  const manager = new PluginManager(NS, {
    finder: {
      findPlugins: () =>
        [Db, Cache, hello, spec].map((v) => resolver.resolve(v)),
    },
  });
  const plugins = await manager.loadAll();
  assert.deepEqual(await manager.listNames(), ["cache", "db", "hello", "spec"]);
  assert.equal(plugins.length, 4);
  assert.ok(plugins[0] instanceof Cache);
  assert.ok(plugins[3] instanceof Db);
  assert.equal((await manager.getContainer("spec"))?.loadValue, "db up");
});
