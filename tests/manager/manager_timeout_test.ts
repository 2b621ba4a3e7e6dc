// Bounded waits: a plugin whose import, factory, shouldLoad(), load() or
// listener never settles becomes a failure like any other.
import assert from "node:assert/strict";
import {
  Plugin,
  plugin,
  type PluginEntry,
  PluginException,
  type PluginLifecycleListener,
  PluginManager,
  PluginSpec,
  PluginSpecResolver,
} from "../../mod.ts";
import {
  countingSpec,
  delay,
  finderOf,
  recordingListener,
} from "./_helpers.ts";

const NS = "test.timeout";

/** A promise that never settles. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** A lazy entry whose resolve() returns `spec` once `gate` settles. */
function gatedEntry(spec: PluginSpec, gate: Promise<unknown>): PluginEntry {
  return {
    namespace: spec.namespace,
    name: spec.name,
    resolve: async () => {
      await gate;
      return spec;
    },
  };
}

/** A plugin whose shouldLoad() or load() never settles. */
class Hanging extends Plugin {
  constructor(readonly where: "shouldLoad" | "load") {
    super();
  }
  override shouldLoad(): Promise<boolean> | boolean {
    return this.where === "shouldLoad" ? never() : true;
  }
  override load(): Promise<unknown> {
    return this.where === "load" ? never() : Promise.resolve("loaded");
  }
}

/** Each way a plugin can hang, with the event that reports it. */
const HANGS: {
  where: string;
  event: keyof PluginLifecycleListener;
  /** Whose fault the message says it is. */
  fault: RegExp;
  item: () => PluginSpec | PluginEntry;
  listener?: PluginLifecycleListener;
}[] = [
  {
    where: "the import of its module",
    fault:
      /; the plugin's code, from code given to the finder, waits for something that does not come: fix, update or remove that package, or raise the timeout option of load\(\) if it only needs longer$/,
    event: "onResolveException",
    item: () => gatedEntry(countingSpec(NS, "hung").spec, never()),
  },
  {
    where: "its factory",
    fault:
      /; the plugin's code, from code given to the finder, waits for something that does not come: fix, update or remove that package, or raise the timeout option of load\(\) if it only needs longer$/,
    event: "onInitException",
    item: () => new PluginSpec(NS, "hung", () => never<Plugin>()),
  },
  {
    where: "its shouldLoad()",
    fault:
      /; the plugin's code, from code given to the finder, waits for something that does not come: fix, update or remove that package, or raise the timeout option of load\(\) if it only needs longer$/,
    event: "onLoadException",
    item: () => new PluginSpec(NS, "hung", () => new Hanging("shouldLoad")),
  },
  {
    where: "its load()",
    fault:
      /; the plugin's code, from code given to the finder, waits for something that does not come: fix, update or remove that package, or raise the timeout option of load\(\) if it only needs longer$/,
    event: "onLoadException",
    item: () => new PluginSpec(NS, "hung", () => new Hanging("load")),
  },
  {
    where: "its make() or load()",
    fault:
      /; the plugin's code, from code given to the finder, waits for something that does not come: fix, update or remove that package, or raise the timeout option of load\(\) if it only needs longer$/,
    event: "onLoadException",
    item: () =>
      new PluginSpecResolver().resolve(
        plugin({ namespace: NS, name: "hung", make: () => never() }),
      ),
  },
  {
    where: "the onResolveAfter listeners",
    fault:
      /; an onResolveAfter listener of the application waits for something that does not come, not the plugin: fix the listener so that it settles, or raise the timeout option of load\(\) if it only needs longer$/,
    event: "onResolveException",
    item: () => countingSpec(NS, "hung").spec,
    listener: {
      onResolveAfter: (spec) => spec.name === "hung" ? never() : undefined,
    },
  },
  {
    where: "the onInitAfter listeners",
    fault:
      /; an onInitAfter listener of the application waits for something that does not come, not the plugin: fix the listener so that it settles, or raise the timeout option of load\(\) if it only needs longer$/,
    event: "onInitException",
    item: () => countingSpec(NS, "hung").spec,
    listener: {
      onInitAfter: (spec) => spec.name === "hung" ? never() : undefined,
    },
  },
  {
    where: "the onLoadBefore listeners",
    fault:
      /; an onLoadBefore listener of the application waits for something that does not come, not the plugin: fix the listener so that it settles, or raise the timeout option of load\(\) if it only needs longer$/,
    event: "onLoadException",
    item: () => countingSpec(NS, "hung").spec,
    listener: {
      onLoadBefore: (spec) => spec.name === "hung" ? never() : undefined,
    },
  },
];

Deno.test("PluginManager.loadAll() with a timeout loads every other plugin and reports the one that hangs", async (t) => {
  for (const hang of HANGS) {
    await t.step(hang.where, async () => {
      const others = ["a", "b", "x", "y"].map((name) => countingSpec(NS, name));
      const events: string[] = [];
      const errors: unknown[] = [];
      const manager = new PluginManager(NS, {
        finder: finderOf(...others.map((o) => o.spec), hang.item()),
        listeners: [recordingListener(events), {
          [hang.event]: (...args: unknown[]) => errors.push(args.at(-1)),
        }, ...(hang.listener ? [hang.listener] : [])],
      });
      const started = performance.now();
      const loaded = await manager.loadAll({ timeout: 150 });
      const took = performance.now() - started;
      assert.deepEqual(
        loaded.map((p) => (p as unknown as { pluginName: string }).pluginName),
        ["a", "b", "x", "y"],
      );
      // Not a performance check: only that it came back, and not forever.
      assert.ok(took < 150 + 10_000, `took ${took} ms`);
      assert.ok(
        events.some((e) => e.startsWith(`${hang.event} hung`)),
        events.join("\n"),
      );
      assert.equal(errors.length, 1);
      assert.ok(errors[0] instanceof DOMException);
      assert.equal(errors[0].name, "TimeoutError");
      const container = (await manager.getContainer("hung"))!;
      assert.equal(container.isLoaded, false);
      assert.equal(container.isDisabled, false);
      await assert.rejects(
        manager.load("hung", { timeout: 20 }),
        (error: unknown) => {
          assert.ok(error instanceof PluginException);
          assert.equal(error.pluginName, "hung");
          assert.match(
            error.message,
            new RegExp(
              `^plugin ${NS}:hung (could not be resolved|failed to (initialise|load)): ` +
                `${
                  hang.where.replace(/[()]/g, "\\$&")
                }(, which an earlier call stopped waiting for and is still running,)? ` +
                "did not finish within 20 ms; ",
            ),
          );
          assert.match(error.message, hang.fault);
          assert.equal((error.cause as DOMException).name, "TimeoutError");
          return true;
        },
      );
    });
  }
});

Deno.test("PluginManager's loadTimeout bounds every call that gives no timeout", async () => {
  const manager = new PluginManager(NS, {
    finder: finderOf(
      countingSpec(NS, "a").spec,
      new PluginSpec(NS, "hung", () => new Hanging("load")),
    ),
    loadTimeout: 50,
  });
  await assert.rejects(
    manager.load("hung"),
    /its load\(\) did not finish within 50 ms/,
  );
  assert.equal((await manager.loadAll()).length, 1);
  await assert.rejects(
    manager.load("hung", { timeout: 10 }),
    /within 10 ms/,
  );
});

Deno.test("PluginManager.loadAll() loads each plugin as soon as its own module is in, in name order", async () => {
  const events: string[] = [];
  const gateB = Promise.withResolvers<void>();
  const gateC = Promise.withResolvers<void>();
  const resolveCalls: string[] = [];
  const entry = (name: string, gate?: Promise<void>): PluginEntry => {
    const { spec } = countingSpec(NS, name);
    return {
      namespace: NS,
      name,
      resolve: async () => {
        resolveCalls.push(name);
        await gate;
        return spec;
      },
    };
  };
  const manager = new PluginManager(NS, {
    finder: finderOf(
      entry("c", gateC.promise),
      entry("a"),
      entry("b", gateB.promise),
    ),
    listeners: [recordingListener(events)],
  });
  const all = manager.loadAll();
  while (!(await manager.isLoaded("a"))) await delay(1);
  // Every import started up front, before the first plugin loaded.
  assert.deepEqual(resolveCalls.sort(), ["a", "b", "c"]);
  // "a" loaded although the imports of "b" and "c" are not in.
  assert.equal(await manager.isLoaded("b"), false);
  gateC.resolve();
  await delay(20);
  // "c" is in, but waits for "b": init and load keep name order.
  assert.equal(await manager.isLoaded("c"), false);
  gateB.resolve();
  assert.equal((await all).length, 3);
  assert.deepEqual(
    events.filter((e) => e.startsWith("onLoadAfter")),
    ["onLoadAfter a", "onLoadAfter b", "onLoadAfter c"],
  );
});

Deno.test("PluginManager ignores a load() that finishes after its timeout, and a later call retries it", async () => {
  let release = () => {};
  let loads = 0;
  class Slow extends Plugin {
    override load() {
      loads++;
      if (loads > 1) return "second";
      return new Promise<string>((resolve) => release = () => resolve("late"));
    }
  }
  const events: string[] = [];
  const manager = new PluginManager(NS, {
    finder: finderOf(new PluginSpec(NS, "slow", () => new Slow())),
    listeners: [recordingListener(events)],
  });
  await assert.rejects(manager.load("slow", { timeout: 20 }), PluginException);
  release();
  await delay(10);
  const container = (await manager.getContainer("slow"))!;
  assert.equal(container.isLoaded, false, "the late outcome is ignored");
  assert.deepEqual(events, [
    "onResolveAfter slow",
    "onInitAfter slow",
    "onLoadBefore slow",
    "onLoadException slow",
  ]);
  await manager.load("slow");
  assert.equal(container.loadValue, "second");
  assert.equal(loads, 2);
});

Deno.test("PluginManager uses a module whose import outlasted a timeout once it is in", async () => {
  const gate = Promise.withResolvers<void>();
  const manager = new PluginManager(NS, {
    finder: finderOf(gatedEntry(countingSpec(NS, "late").spec, gate.promise)),
  });
  await assert.rejects(
    manager.load("late", { timeout: 20 }),
    /could not be resolved: the import of its module did not finish within 20 ms/,
  );
  assert.equal(
    ((await manager.getContainer("late"))!.resolveError as Error).name,
    "TimeoutError",
  );
  gate.resolve();
  await manager.load("late", { timeout: 20 });
  assert.equal(await manager.isLoaded("late"), true);
  assert.equal((await manager.getContainer("late"))!.resolveError, undefined);
});

Deno.test("PluginManager.loadAll() stops when its signal aborts: the plugin being loaded fails, later ones are not started", async () => {
  const a = countingSpec(NS, "a");
  const c = countingSpec(NS, "c");
  const errors: unknown[] = [];
  const manager = new PluginManager(NS, {
    finder: finderOf(
      a.spec,
      new PluginSpec(NS, "b", () => new Hanging("load")),
      c.spec,
    ),
    listeners: [{
      onLoadException: (_s, _p, error) => void errors.push(error),
    }],
  });
  const controller = new AbortController();
  const reason = new Error("shutting down");
  const all = manager.loadAll({ signal: controller.signal });
  while (!(await manager.isLoaded("a"))) await delay(1);
  await delay(10);
  controller.abort(reason);
  await assert.rejects(all, (error: unknown) => error === reason);
  assert.deepEqual(errors, [reason]);
  assert.equal((await manager.getContainer("b"))!.loadError, reason);
  assert.equal(c.counts.init, 0, "c is not started");
  await assert.rejects(
    manager.load("b", { signal: controller.signal }),
    (error: unknown) => {
      assert.ok(error instanceof PluginException);
      assert.match(
        error.message,
        /the AbortSignal aborted while waiting for its load\(\)/,
      );
      assert.equal(error.cause, reason);
      return true;
    },
  );
  // A plugin already loaded is returned even with an aborted signal.
  assert.equal(
    await manager.load("a", { signal: controller.signal }),
    (await manager.getContainer("a"))!.plugin,
  );
  await assert.rejects(
    manager.loadAll({ signal: controller.signal }),
    (error: unknown) => error === reason,
  );
});

Deno.test("PluginManager.load() that joins another call's attempt waits no longer than its own limits", async () => {
  const gate = Promise.withResolvers<void>();
  const manager = new PluginManager(NS, {
    finder: finderOf(gatedEntry(countingSpec(NS, "slow").spec, gate.promise)),
  });
  const first = manager.load("slow");
  await assert.rejects(
    manager.load("slow", { timeout: 20 }),
    /failed to load: the load of it that another call started did not finish within 20 ms/,
  );
  gate.resolve();
  await first;
  assert.equal(await manager.isLoaded("slow"), true);
});

Deno.test("PluginManager rejects timeout and signal options of the wrong kind with a TypeError", async (t) => {
  const manager = new PluginManager(NS, {
    finder: finderOf(countingSpec(NS, "a").spec),
  });
  for (const timeout of [-1, NaN, "100", 2 ** 31, null]) {
    await t.step(`timeout ${String(timeout)}`, async () => {
      const options = { timeout } as unknown as { timeout: number };
      await assert.rejects(manager.load("a", options), TypeError);
      await assert.rejects(manager.loadAll(options), TypeError);
      await assert.rejects(manager.listPluginSpecs(options), TypeError);
      assert.throws(
        () => new PluginManager(NS, { loadTimeout: timeout as number }),
        /PluginManager option loadTimeout must be a number of milliseconds/,
      );
    });
  }
  await assert.rejects(
    manager.loadAll({ signal: {} as AbortSignal }),
    /loadAll\(\) option signal must be an AbortSignal/,
  );
  assert.equal((await manager.loadAll({ timeout: Infinity })).length, 1);
});

Deno.test("PluginManager never runs a plugin's load() twice at once: a retry while the timed-out load() still runs waits for it first", async () => {
  let running = 0;
  let most = 0;
  let loads = 0;
  const gates: PromiseWithResolvers<string>[] = [];
  class Slow extends Plugin {
    override async load() {
      loads++;
      running++;
      most = Math.max(most, running);
      const gate = Promise.withResolvers<string>();
      gates.push(gate);
      try {
        return await gate.promise;
      } finally {
        running--;
      }
    }
  }
  const manager = new PluginManager(NS, {
    finder: finderOf(new PluginSpec(NS, "slow", () => new Slow())),
  });
  await assert.rejects(
    manager.load("slow", { timeout: 20 }),
    /its load\(\) did not finish within 20 ms/,
  );
  // The first load() still runs: a retry waits for it, within its own limits.
  await assert.rejects(
    manager.load("slow", { timeout: 20 }),
    /its load\(\), which an earlier call stopped waiting for and is still running, did not finish within 20 ms/,
  );
  assert.equal(loads, 1);
  const retry = manager.load("slow");
  await delay(20);
  assert.equal(loads, 1, "load() is not called while the first still runs");
  gates[0]!.resolve("late");
  while (loads < 2) await delay(1);
  assert.equal(most, 1);
  gates[1]!.resolve("second");
  await retry;
  assert.equal((await manager.getContainer("slow"))!.loadValue, "second");
  assert.equal(most, 1, "never two load() calls at once");
});

Deno.test("PluginManager's timeout message names the plugin's package and the option to raise", async () => {
  const entry: PluginEntry = {
    namespace: NS,
    name: "slow",
    source: {
      kind: "jsr",
      package: "@acme/slow",
      version: "1.2.0",
      key: "@acme/slow",
    },
    resolve: () => never(),
  };
  const manager = new PluginManager(NS, {
    finder: finderOf(entry),
    loadTimeout: 30,
  });
  await assert.rejects(manager.load("slow"), (error: unknown) => {
    assert.ok(error instanceof PluginException);
    assert.equal(
      error.message,
      `plugin ${NS}:slow could not be resolved: the import of its module did not finish within 30 ms; ` +
        `the plugin's code, from @acme/slow@1.2.0 (jsr, key "@acme/slow"), waits for something that does not come: ` +
        "fix, update or remove that package, or raise the manager's loadTimeout option if it only needs longer",
    );
    return true;
  });
});
