import assert from "node:assert/strict";
import {
  FunctionPlugin,
  Plugin,
  plugin,
  PluginDisabled,
  type PluginLoadContext,
  PluginManager,
  PluginSpecResolver,
} from "../../mod.ts";

const NS = "test.functions";

/** A manager over the given `plugin()` functions. */
function managerOf(loadArgs: unknown[], ...fns: unknown[]): PluginManager {
  const resolver = new PluginSpecResolver();
  return new PluginManager(NS, {
    loadArgs,
    finder: { findPlugins: () => fns.map((fn) => resolver.resolve(fn)) },
  });
}

Deno.test("plugin() returns a function called like the one it wraps", () => {
  const calls: unknown[] = [];
  const greet = plugin(
    { namespace: NS },
    function greet(this: unknown, who: string) {
      calls.push(this);
      return `hello ${who}`;
    },
  );
  assert.equal(greet("world"), "hello world");
  const receiver = { greet };
  receiver.greet("me");
  assert.equal(calls[1], receiver);
  assert.equal(greet.name, "greet");
  assert.equal(
    new PluginSpecResolver().resolve(greet).toString(),
    `${NS}:greet`,
  );
});

Deno.test("plugin() takes the name from the options over the function's name", () => {
  const fn = plugin({ namespace: NS, name: "hi" }, function greet() {});
  assert.equal(fn.name, "hi");
  assert.equal(new PluginSpecResolver().resolve(fn).name, "hi");
});

Deno.test("plugin() throws a TypeError for an anonymous function without a name, a missing namespace or a non-function", () => {
  assert.throws(
    () => plugin({ namespace: NS }, () => {}),
    /anonymous; pass \{ name \}/,
  );
  assert.throws(
    () => plugin({ namespace: "" }, function f() {}),
    (error) =>
      error instanceof TypeError && /f needs a namespace/.test(error.message),
  );
  assert.throws(() => plugin({ namespace: NS }, 42 as never), TypeError);
});

Deno.test("PluginManager.loadAll() yields callable FunctionPlugin instances for plugin() functions", async () => {
  const double = plugin({ namespace: NS }, function double(n: number) {
    return n * 2;
  });
  const shout = plugin({ namespace: NS }, function shout(text: string) {
    return text.toUpperCase();
  });
  const manager = managerOf([], shout, double);
  const [first, second] = await manager.loadAll() as FunctionPlugin[];
  assert.ok(first instanceof FunctionPlugin);
  assert.ok(first instanceof Plugin);
  assert.equal(typeof first, "function");
  assert.equal(first!(21), 42);
  assert.equal(second!("hi"), "HI");
  assert.equal(first!.name, "double");
  assert.equal(await manager.load("double"), first);
});

Deno.test("FunctionPlugin.shouldLoad() follows the shouldLoad option, a boolean or a (async) function", async (t) => {
  const cases: [
    string,
    boolean | (() => boolean | Promise<boolean>) | undefined,
    boolean,
  ][] = [
    ["absent", undefined, true],
    ["true", true, true],
    ["false", false, false],
    ["function returning true", () => true, true],
    ["function returning false", () => false, false],
    ["async function returning false", () => Promise.resolve(false), false],
    ["async function returning true", () => Promise.resolve(true), true],
  ];
  for (const [title, shouldLoad, loads] of cases) {
    await t.step(title, async () => {
      const fn = plugin({ namespace: NS, shouldLoad }, function f() {});
      const manager = managerOf([], fn);
      if (loads) {
        await manager.load("f");
        assert.equal(await manager.isLoaded("f"), true);
      } else {
        await assert.rejects(manager.load("f"), (error: unknown) => {
          assert.ok(error instanceof PluginDisabled);
          assert.equal(error.reason, "shouldLoad() returned false");
          return true;
        });
      }
    });
  }
});

Deno.test("FunctionPlugin.load() calls the load option with the manager's loadArgs", async () => {
  const received: unknown[][] = [];
  const fn = plugin({
    namespace: NS,
    load: async (...args: unknown[]) => {
      await Promise.resolve();
      received.push(args);
      return "ready";
    },
  }, function f() {});
  const manager = managerOf(["app", 7], fn);
  await manager.load("f");
  assert.deepEqual(received, [["app", 7]]);
  assert.equal((await manager.getContainer("f"))?.loadValue, "ready");
});

Deno.test("FunctionPlugin: without a load option, its load value is the callable itself, so a plugin requiring it gets the function", async () => {
  const fmt = plugin({ namespace: NS }, function fmt(n: number) {
    return n.toFixed(1);
  });
  const seen: unknown[] = [];
  const report = plugin({
    namespace: NS,
    requires: ["fmt"],
    load: (context: unknown) => {
      seen.push((context as PluginLoadContext).requirements.fmt);
    },
  }, function report() {});
  const manager = managerOf([], fmt, report);
  await manager.load("report");
  const loaded = await manager.getContainer("fmt");
  assert.equal(loaded?.loadValue, loaded?.plugin);
  assert.ok(loaded?.loadValue instanceof FunctionPlugin);
  assert.equal(seen[0], loaded?.plugin);
  const called = seen[0] as unknown as (n: number) => string;
  assert.equal(called(2), "2.0");
});

Deno.test("plugin({ make }): the function is made from the PluginLoadContext when a manager loads it, once per manager, and reaches its requirements without a global", async () => {
  const fmt = plugin({ namespace: NS }, function fmt(n: number) {
    return `<${n}>`;
  });
  const made: PluginLoadContext[] = [];
  const summary = plugin({
    namespace: NS,
    name: "summary",
    requires: ["fmt"],
    make: (context) => {
      made.push(context);
      const format = context.requirements.fmt as typeof fmt;
      return (total: number) => `total ${format(total)}`;
    },
  });
  // The export stands for a function only a manager can make.
  assert.throws(
    () => summary(1),
    /^TypeError: plugin test\.functions:summary has no function yet: its make\(\) builds it when a PluginManager loads the plugin; call the plugin that `await manager\.load\("summary"\)` returns$/,
  );
  const first = managerOf([], fmt, summary);
  const second = managerOf([], fmt, summary);
  const a = await first.load("summary") as FunctionPlugin<typeof summary>;
  const b = await second.load("summary") as FunctionPlugin<typeof summary>;
  assert.equal(a(3), "total <3>");
  assert.equal(b(4), "total <4>");
  assert.notEqual(a.fn, b.fn);
  assert.equal(made.length, 2);
  assert.deepEqual(
    [made[0]!.namespace, made[0]!.name, Object.keys(made[0]!.requirements)],
    [NS, "summary", ["fmt"]],
  );
  assert.equal(made[0]!.requirements.fmt, await first.load("fmt"));
  // Its load value is the plugin, like any function plugin's.
  assert.equal((await first.getContainer("summary"))?.loadValue, a);
});

Deno.test("plugin({ make }) without requirements gets an empty context; an async make is awaited", async () => {
  const hello = plugin({
    namespace: NS,
    name: "hello",
    make: async ({ requirements, name }) => {
      await Promise.resolve();
      return () => `${name}: ${Object.keys(requirements).length}`;
    },
  });
  const loaded = await managerOf([], hello).load("hello") as FunctionPlugin;
  assert.equal(loaded(), "hello: 0");
});

Deno.test("plugin({ make }) fails to load, naming the plugin, when make returns no function", async () => {
  const broken = plugin({
    namespace: NS,
    name: "broken",
    make: () => 42 as never,
  });
  await assert.rejects(
    managerOf([], broken).load("broken"),
    /plugin test\.functions:broken failed to load: make\(\) of plugin test\.functions:broken returned number, not a function; return the plugin's function from make/,
  );
});

Deno.test("plugin() refuses both a function and make, make without a name, and a make that is not a function", () => {
  assert.throws(
    () => plugin({ namespace: NS, make: () => () => 1 }, function both() {}),
    /^TypeError: plugin\(\): both is given both a function and make; pass one/,
  );
  assert.throws(
    () => plugin({ namespace: NS, make: () => () => 1 } as never),
    /^TypeError: plugin\(\): a plugin of test\.functions made by make needs a name; pass \{ name \}$/,
  );
  assert.throws(
    () => plugin({ namespace: NS, name: "x", make: "f" as never }),
    /^TypeError: plugin\(\): make must be a function/,
  );
});
