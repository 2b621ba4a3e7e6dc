import assert from "node:assert/strict";
import {
  FunctionPlugin,
  Plugin,
  plugin,
  PluginDisabled,
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
