import assert from "node:assert/strict";
import {
  Plugin,
  PluginDisabled,
  PluginException,
  PluginManager,
  PluginSpec,
} from "../../mod.ts";
import {
  countingSpec,
  delay,
  finderOf,
  recordingListener,
} from "./_helpers.ts";

const NS = "test.load";

Deno.test("PluginManager.load() returns the instance and keeps what load() returned", async () => {
  const { spec, counts } = countingSpec(NS, "a");
  const manager = new PluginManager(NS, {
    loadArgs: [1, "x"],
    finder: finderOf(spec),
  });
  const plugin = await manager.load("a");
  const container = await manager.getContainer("a");
  assert.equal(container?.plugin, plugin);
  assert.equal(container?.loadValue, "loaded a with 1,x");
  assert.equal(container?.isInit, true);
  assert.equal(container?.isLoaded, true);
  assert.equal(await manager.isLoaded("a"), true);
  assert.deepEqual(counts, { init: 1, shouldLoad: 1, load: 1 });
});

Deno.test("PluginManager.load() does not call load() again when the plugin is loaded", async () => {
  const { spec, counts } = countingSpec(NS, "a");
  const manager = new PluginManager(NS, { finder: finderOf(spec) });
  const first = await manager.load("a");
  const second = await manager.load("a");
  await manager.loadAll();
  assert.equal(first, second);
  assert.deepEqual(counts, { init: 1, shouldLoad: 1, load: 1 });
});

Deno.test("PluginManager.load() rejects naming the plugin and the namespace when the name is unknown", async () => {
  const manager = new PluginManager(NS, {
    finder: finderOf(countingSpec(NS, "a").spec),
  });
  const error = await manager.load("nope").then(() => undefined, (e) => e);
  assert.ok(error instanceof PluginException);
  assert.equal(error.namespace, NS);
  assert.equal(error.pluginName, "nope");
  assert.match(error.message, /"nope"/);
  assert.match(error.message, /test\.load/);
  assert.match(error.message, /its plugins are a/);
  assert.equal(await manager.exists("nope"), false);
  assert.equal(await manager.isLoaded("nope"), false);
  assert.equal(await manager.getContainer("nope"), undefined);
});

/** Loads `name` twice and checks that both calls reject with `reason`. */
async function assertDisabled(
  manager: PluginManager,
  name: string,
  reason: string,
): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await assert.rejects(manager.load(name), (error: unknown) => {
      assert.ok(error instanceof PluginDisabled);
      assert.equal(error.reason, reason);
      assert.equal(error.namespace, manager.namespace);
      assert.equal(error.pluginName, name);
      assert.equal(
        error.message,
        `plugin ${manager.namespace}:${name} is disabled, reason: ${reason}`,
      );
      return true;
    });
  }
  const container = await manager.getContainer(name);
  assert.equal(container?.isDisabled, true);
  assert.equal(container?.disabledReason, reason);
  assert.equal(container?.isLoaded, false);
}

Deno.test("PluginManager.load() rejects with PluginDisabled, now and later, when a filter matches", async () => {
  const { spec, counts } = countingSpec(NS, "a");
  const manager = new PluginManager(NS, {
    filters: [(info) => info.name === "a"],
    finder: finderOf(spec),
  });
  await assertDisabled(manager, "a", "excluded by a plugin filter");
  assert.deepEqual(counts, { init: 0, shouldLoad: 0, load: 0 });
  assert.deepEqual(await manager.loadAll(), []);
});

Deno.test("PluginManager.load() rejects with PluginDisabled, now and later, when shouldLoad() is false", async () => {
  const { spec, counts } = countingSpec(NS, "a", { shouldLoad: false });
  const manager = new PluginManager(NS, { finder: finderOf(spec) });
  await assertDisabled(manager, "a", "shouldLoad() returned false");
  assert.deepEqual(await manager.loadAll(), []);
  assert.deepEqual(counts, { init: 1, shouldLoad: 1, load: 0 });
});

Deno.test("PluginManager.load() rejects with PluginDisabled, now and later, when a listener throws it", async (t) => {
  for (
    const event of [
      "onResolveAfter",
      "onInitAfter",
      "onLoadBefore",
      "onLoadAfter",
    ] as const
  ) {
    await t.step(event, async () => {
      const { spec } = countingSpec(NS, "a");
      const manager = new PluginManager(NS, {
        finder: finderOf(spec),
        listeners: [{
          [event]: async () => {
            await delay(1);
            throw new PluginDisabled(NS, "a", `vetoed in ${event}`);
          },
        }],
      });
      await assertDisabled(manager, "a", `vetoed in ${event}`);
      assert.deepEqual(await manager.loadAll(), []);
    });
  }
});

Deno.test("PluginManager.load() records, reports and throws an init failure, and a successful retry clears it", async () => {
  const { spec, counts } = countingSpec(NS, "a", { failInit: (n) => n === 1 });
  const events: string[] = [];
  const manager = new PluginManager(NS, {
    finder: finderOf(spec),
    listeners: [recordingListener(events)],
  });
  const error = await manager.load("a").then(() => undefined, (e) => e);
  assert.ok(error instanceof PluginException);
  assert.ok(!(error instanceof PluginDisabled));
  assert.equal(error.pluginName, "a");
  assert.match(error.message, /plugin test\.load:a failed to initialise/);
  assert.equal(
    (error.cause as Error).message,
    "factory of a failed (attempt 1)",
  );
  const container = (await manager.getContainer("a"))!;
  assert.equal(container.initError, error.cause);
  assert.equal(container.isInit, false);
  assert.deepEqual(events, ["onResolveAfter a", "onInitException a"]);

  const plugin = await manager.load("a");
  assert.equal(container.plugin, plugin);
  assert.equal(container.initError, undefined);
  assert.equal(container.isLoaded, true);
  assert.equal(counts.init, 2);
});

Deno.test("PluginManager.load() records, reports and throws a load failure, and a successful retry clears it", async () => {
  const { spec, counts } = countingSpec(NS, "a", { failLoad: (n) => n === 1 });
  const events: string[] = [];
  const manager = new PluginManager(NS, {
    finder: finderOf(spec),
    listeners: [recordingListener(events)],
  });
  const error = await manager.load("a").then(() => undefined, (e) => e);
  assert.ok(error instanceof PluginException);
  assert.match(error.message, /plugin test\.load:a failed to load/);
  assert.equal((error.cause as Error).message, "load of a failed (attempt 1)");
  const container = (await manager.getContainer("a"))!;
  assert.equal(container.loadError, error.cause);
  assert.equal(container.isLoaded, false);
  assert.deepEqual(events, [
    "onResolveAfter a",
    "onInitAfter a",
    "onLoadBefore a",
    "onLoadException a",
  ]);

  await manager.load("a");
  assert.equal(container.loadError, undefined);
  assert.equal(container.isLoaded, true);
  assert.equal(container.loadValue, "loaded a with ");
  assert.deepEqual(counts, { init: 1, shouldLoad: 2, load: 2 });
});

Deno.test("PluginManager.load() rejects when a factory returns something that is not a plugin", async () => {
  const spec = new PluginSpec(NS, "a", () => 42 as unknown as Plugin);
  const manager = new PluginManager(NS, { finder: finderOf(spec) });
  await assert.rejects(
    manager.load("a"),
    /failed to initialise: its factory returned number/,
  );
  assert.ok((await manager.getContainer("a"))?.initError instanceof TypeError);
});

Deno.test("PluginManager.loadAll() returns the loaded plugins in name order, skipping disabled and failed ones", async () => {
  const c = countingSpec(NS, "c");
  const a = countingSpec(NS, "a");
  const off = countingSpec(NS, "b-off", { shouldLoad: false });
  const badInit = countingSpec(NS, "b-init", { failInit: () => true });
  const badLoad = countingSpec(NS, "d-load", { failLoad: () => true });
  const filtered = countingSpec(NS, "e-filtered");
  const manager = new PluginManager(NS, {
    finder: finderOf(
      c.spec,
      badLoad.spec,
      off.spec,
      a.spec,
      filtered.spec,
      badInit.spec,
    ),
    filters: [(info) => info.name === "e-filtered"],
  });
  const plugins = await manager.loadAll();
  assert.deepEqual(
    plugins.map((p) => (p as unknown as { pluginName: string }).pluginName),
    ["a", "c"],
  );
  assert.deepEqual(await manager.listNames(), [
    "a",
    "b-init",
    "b-off",
    "c",
    "d-load",
    "e-filtered",
  ]);
  assert.equal((await manager.getContainer("c"))?.plugin, plugins[1]);
  assert.ok((await manager.getContainer("b-init"))?.initError instanceof Error);
  assert.ok((await manager.getContainer("d-load"))?.loadError instanceof Error);
  assert.equal(filtered.counts.init, 0);
});

Deno.test("PluginManager.loadAll() throws the first failure in name order with propagateExceptions", async () => {
  const manager = new PluginManager(NS, {
    finder: finderOf(
      countingSpec(NS, "d", { failInit: () => true }).spec,
      countingSpec(NS, "c", { failLoad: () => true }).spec,
      countingSpec(NS, "b", { shouldLoad: false }).spec,
      countingSpec(NS, "a").spec,
    ),
  });
  await assert.rejects(
    manager.loadAll({ propagateExceptions: true }),
    (error: unknown) => {
      assert.ok(error instanceof PluginException);
      assert.ok(!(error instanceof PluginDisabled));
      assert.equal(error.pluginName, "c");
      assert.match(error.message, /failed to load/);
      return true;
    },
  );
  assert.equal(await manager.isLoaded("a"), true);
});

Deno.test("PluginManager.load() awaits async factories, shouldLoad() and load()", async () => {
  class Slow extends Plugin {
    static namespace = NS;
    static pluginName = "slow";
    loaded = false;
    override async shouldLoad() {
      await delay(5);
      return true;
    }
    override async load(arg: string) {
      await delay(5);
      this.loaded = true;
      return `slow ${arg}`;
    }
  }
  const spec = new PluginSpec(NS, "slow", async () => {
    await delay(5);
    return new Slow();
  });
  const asyncNo = new PluginSpec(NS, "no", () =>
    new (class extends Plugin {
      override async shouldLoad() {
        await delay(5);
        return false;
      }
    })());
  const manager = new PluginManager(NS, {
    loadArgs: ["arg"],
    finder: finderOf(spec, asyncNo),
  });
  const plugin = await manager.load("slow") as Slow;
  assert.equal(plugin.loaded, true);
  assert.equal((await manager.getContainer("slow"))?.loadValue, "slow arg");
  await assert.rejects(manager.load("no"), PluginDisabled);
});

Deno.test("PluginManager copies loadArgs: changing the array afterwards, or in a listener, changes nothing", async () => {
  const loadArgs: unknown[] = ["first"];
  const seen: unknown[][] = [];
  const listenerErrors: unknown[] = [];
  const manager = new PluginManager(NS, {
    finder: finderOf(countingSpec(NS, "a").spec, countingSpec(NS, "b").spec),
    loadArgs,
    listeners: [{
      onLoadBefore: (_spec, _plugin, args) => {
        seen.push([...args]);
        (args as unknown[]).push("from a listener");
      },
    }],
    onListenerError: (error) => void listenerErrors.push(error),
  });
  loadArgs.push("added later");
  loadArgs[0] = "changed";
  await manager.loadAll();
  assert.equal(
    (await manager.getContainer("a"))?.loadValue,
    "loaded a with first",
  );
  assert.equal(
    (await manager.getContainer("b"))?.loadValue,
    "loaded b with first",
  );
  assert.deepEqual(seen, [["first"], ["first"]]);
  assert.equal(listenerErrors.length, 2);
  assert.ok(listenerErrors[0] instanceof TypeError);
});
