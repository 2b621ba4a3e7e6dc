/**
 * Cross-copy recognition, run by cross_copy_test.ts in a `deno test
 * --no-lock` subprocess (so that the remote copy's URLs, which change with
 * the ephemeral port, are not written to deno.lock).
 *
 * Copy A is this repository imported from disk; copy B is the same
 * repository served over HTTP from 127.0.0.1, so every class in it is
 * distinct from copy A's. Plugins made with B must work in A's resolver and
 * manager, as they would when a plugin package gets `@plux/core` from jsr and
 * the application from disk.
 *
 * @module
 */

import assert from "node:assert/strict";
import { extname, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import * as A from "../../mod.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TYPES: Record<string, string> = {
  ".ts": "application/typescript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
};

/** Serves the repository's .ts and .json files, read-only. */
async function serveRoot(request: Request): Promise<Response> {
  const path = normalize(decodeURIComponent(new URL(request.url).pathname));
  const type = TYPES[extname(path)];
  if (request.method !== "GET" || path.includes("..") || type === undefined) {
    return new Response("not found", { status: 404 });
  }
  try {
    return new Response(await Deno.readFile(ROOT + path), {
      headers: { "content-type": type },
    });
  } catch {
    return new Response("not found", { status: 404 });
  }
}

const server = Deno.serve(
  { port: 0, hostname: "127.0.0.1", onListen() {} },
  serveRoot,
);
const B: typeof A = await import(
  `http://127.0.0.1:${server.addr.port}/mod.ts`
);
await server.shutdown();

const NS = "test.cross";

class BPlugin extends B.Plugin {
  static namespace = NS;
  static pluginName = "class-b";
  override load(arg: string) {
    return `class-b ${arg}`;
  }
}

/** A copy-A manager over `values`, resolved by copy A's resolver. */
function managerA(
  values: unknown[],
  options: A.PluginManagerOptions = {},
): A.PluginManager {
  const resolver = new A.PluginSpecResolver();
  return new A.PluginManager(NS, {
    loadArgs: ["from-a"],
    ...options,
    finder: { findPlugins: () => values.map((v) => resolver.resolve(v)) },
  });
}

Deno.test("the two copies of @plux/core are distinct", () => {
  assert.notEqual(A.PluginSpec, B.PluginSpec);
  assert.notEqual(A.Plugin, B.Plugin);
  assert.notEqual(A.PluginManager, B.PluginManager);
});

Deno.test("PluginSpecResolver of copy A resolves a PluginSpec of copy B and its manager loads it", async () => {
  const spec = new B.PluginSpec(NS, "spec-b", () => new BPlugin());
  const resolver = new A.PluginSpecResolver();
  assert.equal(resolver.isPlugin(spec), true);
  assert.equal(resolver.resolve(spec), spec);
  const manager = managerA([spec]);
  const plugin = await manager.load("spec-b");
  assert.ok(plugin instanceof BPlugin);
  assert.equal(
    (await manager.getContainer("spec-b"))?.loadValue,
    "class-b from-a",
  );
});

Deno.test("PluginSpecResolver of copy A resolves a Plugin subclass of copy B and its manager loads it", async () => {
  const resolver = new A.PluginSpecResolver();
  assert.equal(resolver.isPlugin(BPlugin), true);
  assert.equal(`${resolver.resolve(BPlugin)}`, `${NS}:class-b`);
  const manager = managerA([BPlugin]);
  const [plugin] = await manager.loadAll({ propagateExceptions: true });
  assert.ok(plugin instanceof BPlugin);
  assert.ok(plugin instanceof A.Plugin);
  assert.equal(
    (await manager.getContainer("class-b"))?.loadValue,
    "class-b from-a",
  );
});

Deno.test("PluginSpecResolver of copy A resolves a plugin() function of copy B and its manager loads it", async () => {
  const loadArgs: unknown[] = [];
  const double = B.plugin({
    namespace: NS,
    shouldLoad: () => Promise.resolve(true),
    load: (...args) => void loadArgs.push(...args),
  }, function double(n: number) {
    return n * 2;
  });
  assert.equal(new A.PluginSpecResolver().isPlugin(double), true);
  const manager = managerA([double]);
  const [plugin] = await manager.loadAll({ propagateExceptions: true });
  assert.ok(plugin instanceof A.FunctionPlugin);
  assert.equal((plugin as A.FunctionPlugin)(21), 42);
  assert.deepEqual(loadArgs, ["from-a"]);
});

Deno.test("PluginManager of copy A disables a plugin when a copy-B listener or plugin throws PluginDisabled", async (t) => {
  const veto = (where: string) =>
    new B.PluginDisabled(NS, "class-b", `vetoed by B in ${where}`);
  const cases: [string, A.PluginManagerOptions, unknown][] = [
    ["onLoadBefore", {
      listeners: [{
        onLoadBefore: () => {
          throw veto("onLoadBefore");
        },
      }],
    }, BPlugin],
    [
      "factory",
      {},
      new B.PluginSpec(NS, "class-b", () => {
        throw veto("factory");
      }),
    ],
    [
      "load()",
      {},
      new B.PluginSpec(NS, "class-b", () =>
        new (class extends BPlugin {
          override load(): string {
            throw veto("load()");
          }
        })()),
    ],
  ];
  for (const [where, options, value] of cases) {
    await t.step(where, async () => {
      const manager = managerA([value], options);
      for (let i = 0; i < 2; i++) {
        await assert.rejects(manager.load("class-b"), (error: unknown) => {
          assert.ok(error instanceof A.PluginDisabled);
          assert.equal(error.reason, `vetoed by B in ${where}`);
          return true;
        });
      }
      assert.equal((await manager.getContainer("class-b"))?.isDisabled, true);
      assert.deepEqual(
        await manager.loadAll({ propagateExceptions: true }),
        [],
      );
    });
  }
});

Deno.test("instanceof recognises PluginException, PluginDisabled, PluginSpec and Plugin across copies", () => {
  for (const [X, Y] of [[A, B], [B, A]] as const) {
    const exception = new X.PluginException("failed", { namespace: NS });
    const disabled = new X.PluginDisabled(NS, "p", "off");
    assert.ok(exception instanceof Y.PluginException);
    assert.ok(!(exception instanceof Y.PluginDisabled));
    assert.ok(disabled instanceof Y.PluginDisabled);
    assert.ok(disabled instanceof Y.PluginException);
    assert.ok(
      new X.PluginSpec(NS, "p", () => new BPlugin()) instanceof Y.PluginSpec,
    );
    assert.ok(new X.FunctionPlugin(() => 1) instanceof Y.Plugin);
    assert.ok(!({ namespace: NS, name: "p" } instanceof Y.PluginSpec));
  }
  assert.ok(new BPlugin() instanceof A.Plugin);
});

Deno.test("PluginManager of copy B loads plugins made with copy A", async () => {
  class APlugin extends A.Plugin {
    static namespace = NS;
    static pluginName = "class-a";
  }
  const resolver = new B.PluginSpecResolver();
  const manager = new B.PluginManager(NS, {
    finder: { findPlugins: () => [resolver.resolve(APlugin)] },
  });
  assert.ok(await manager.load("class-a") instanceof APlugin);
});
