import assert from "node:assert/strict";
import {
  type PluginEntry,
  PluginException,
  PluginManager,
  type PluginSpec,
} from "../../mod.ts";
import { countingSpec, finderOf, recordingListener } from "./_helpers.ts";

const NS = "test.finder";

/** A lazy entry that counts how often its code is resolved. */
function lazyEntry(
  name: string,
  spec: PluginSpec,
  extra: Partial<PluginEntry> = {},
): { entry: PluginEntry; resolved: () => number } {
  let resolved = 0;
  const entry: PluginEntry = {
    namespace: NS,
    name,
    value: `./plugins/${name}.ts#${name}`,
    resolve: () => {
      resolved++;
      return Promise.resolve(spec);
    },
    ...extra,
  };
  return { entry, resolved: () => resolved };
}

Deno.test("PluginManager ignores specs of another namespace returned by its finder", async () => {
  const events: string[] = [];
  const other = countingSpec("test.other", "a");
  const manager = new PluginManager(NS, {
    finder: finderOf(other.spec, countingSpec(NS, "b").spec),
    listeners: [recordingListener(events)],
  });
  assert.deepEqual(await manager.listNames(), ["b"]);
  assert.equal(await manager.exists("a"), false);
  await assert.rejects(manager.load("a"), /no plugin named "a"/);
  assert.equal((await manager.loadAll()).length, 1);
  assert.equal(other.counts.init, 0);
  assert.deepEqual(
    events.filter((e) => e.startsWith("onResolveException")),
    [],
  );
});

Deno.test("PluginManager keeps the first of two plugins with one name and reports the conflict", async () => {
  const errors: unknown[] = [];
  const first = countingSpec(NS, "dup");
  const second = countingSpec(NS, "dup");
  const manager = new PluginManager(NS, {
    finder: finderOf(first.spec, second.spec),
    listeners: [{
      onResolveException: (_ns, _info, error) => void errors.push(error),
    }],
  });
  assert.deepEqual(await manager.listNames(), ["dup"]);
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof PluginException);
  assert.equal(errors[0].pluginName, "dup");
  assert.match(errors[0].message, /test\.finder:dup is offered twice/);
  await manager.load("dup");
  assert.equal(first.counts.load, 1);
  assert.equal(second.counts.init, 0);
});

Deno.test("PluginManager lists lazy entries without resolving them and resolves each once on load", async () => {
  const a = lazyEntry("a", countingSpec(NS, "a").spec);
  const b = lazyEntry("b", countingSpec(NS, "b").spec);
  const manager = new PluginManager(NS, { finder: finderOf(b.entry, a.entry) });
  assert.deepEqual(await manager.listNames(), ["a", "b"]);
  assert.equal(await manager.exists("a"), true);
  const containers = await manager.listContainers();
  assert.deepEqual(containers.map((c) => c.name), ["a", "b"]);
  assert.equal(containers[0]!.spec, undefined);
  assert.equal(containers[0]!.info.value, "./plugins/a.ts#a");
  assert.equal(await manager.isLoaded("a"), false);
  assert.equal(a.resolved() + b.resolved(), 0);

  await Promise.all([manager.load("a"), manager.load("a")]);
  await manager.load("a");
  assert.equal(a.resolved(), 1);
  assert.equal(b.resolved(), 0);
  assert.equal((await manager.getContainer("a"))?.spec?.name, "a");

  const specs = await manager.listPluginSpecs();
  assert.deepEqual(specs.map((s) => `${s}`), [
    "test.finder:a",
    "test.finder:b",
  ]);
  await manager.loadAll();
  assert.deepEqual([a.resolved(), b.resolved()], [1, 1]);
});

Deno.test("PluginManager reports a lazy entry whose code declares another plugin", async (t) => {
  for (
    const [what, declared] of [
      ["name", countingSpec(NS, "other").spec],
      ["namespace", countingSpec("test.elsewhere", "a").spec],
    ] as const
  ) {
    await t.step(`wrong ${what}`, async () => {
      const events: string[] = [];
      const { entry } = lazyEntry("a", declared);
      const manager = new PluginManager(NS, {
        finder: finderOf(entry),
        listeners: [recordingListener(events)],
      });
      await assert.rejects(manager.load("a"), (error: unknown) => {
        assert.ok(error instanceof PluginException);
        assert.equal(error.pluginName, "a");
        assert.match(error.message, /test\.finder:a could not be resolved/);
        assert.match(error.message, new RegExp(`declares ${declared}`));
        return true;
      });
      const container = await manager.getContainer("a");
      assert.ok(container?.resolveError instanceof Error);
      assert.deepEqual(events.map((e) => e.split(" ").slice(0, 2).join(" ")), [
        "onResolveException a",
      ]);
      assert.deepEqual(await manager.loadAll(), []);
      assert.deepEqual(await manager.listPluginSpecs(), []);
    });
  }
});

Deno.test("PluginManager reports what a finder returns that is neither a spec nor an entry", async () => {
  const events: string[] = [];
  const manager = new PluginManager(NS, {
    finder: { findPlugins: () => [42, countingSpec(NS, "a").spec] as never },
    listeners: [recordingListener(events)],
  });
  assert.deepEqual(await manager.listNames(), ["a"]);
  assert.equal(events.length, 1);
  assert.match(events[0]!, /returned number, which is neither a PluginSpec/);
});

Deno.test("PluginManager rejects with what a finder throws, and asks the finder again on the next call", async () => {
  const events: string[] = [];
  const failure = new Error("index unreadable");
  let calls = 0;
  const manager = new PluginManager(NS, {
    finder: {
      findPlugins: () => {
        if (++calls === 1) throw failure;
        return [countingSpec(NS, "a").spec];
      },
    },
    listeners: [recordingListener(events)],
  });
  await assert.rejects(manager.listNames(), (error) => error === failure);
  assert.deepEqual(await manager.listNames(), ["a"]);
  assert.equal(calls, 2);
  assert.deepEqual(events, []);
});

Deno.test("PluginManager passes problems a finder reports to onResolveException", async () => {
  const errors: unknown[] = [];
  const manager = new PluginManager(NS, {
    finder: {
      findPlugins(options) {
        assert.equal(options?.namespace, NS);
        options?.report?.(new Error("plux.json of pkg is malformed"));
        return [countingSpec(NS, "a").spec];
      },
    },
    listeners: [{ onResolveException: (_ns, _info, e) => void errors.push(e) }],
  });
  assert.deepEqual(await manager.listNames(), ["a"]);
  assert.deepEqual(errors.map((e) => (e as Error).message), [
    "plux.json of pkg is malformed",
  ]);
});

Deno.test("PluginManager lists again after a listing its finder reports as incomplete, keeping the containers (and loaded plugins) it has", async () => {
  const a = countingSpec(NS, "a");
  const b = countingSpec(NS, "b");
  let calls = 0;
  const events: string[] = [];
  const manager = new PluginManager(NS, {
    listeners: [recordingListener(events)],
    finder: {
      findPlugins({ report } = {}) {
        calls++;
        if (calls === 1) {
          // A remote index did not arrive in time: reported with a
          // TimeoutError cause, and its package left out.
          report?.(
            new Error("package b: its index did not arrive within 1 s", {
              cause: new DOMException("late", "TimeoutError"),
            }),
          );
          return [a.spec];
        }
        return [a.spec, b.spec];
      },
    },
  });
  assert.deepEqual(await manager.listNames(), ["a"]);
  const first = await manager.load("a");
  assert.match(events.join("\n"), /did not arrive within 1 s/);
  // The next call lists again: b is in, a is the same loaded plugin.
  assert.deepEqual(await manager.listNames(), ["a", "b"]);
  assert.equal(calls, 2);
  assert.equal(await manager.load("a"), first);
  assert.equal(a.counts.load, 1);
  assert.equal(await manager.isLoaded("a"), true);
  // A complete listing is kept.
  await manager.listNames();
  assert.equal(calls, 2);
});

Deno.test("listNames() and listContainers() end their wait when their signal aborts, and a later call still lists", async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  const manager = new PluginManager(NS, {
    finder: {
      async findPlugins() {
        await released;
        return [countingSpec(NS, "a").spec];
      },
    },
  });
  const reason = new Error("stop waiting");
  const controller = new AbortController();
  const names = manager.listNames({ signal: controller.signal });
  controller.abort(reason);
  await assert.rejects(names, (error) => error === reason);
  await assert.rejects(
    manager.listContainers({ signal: AbortSignal.abort(reason) }),
    (error) => error === reason,
  );
  await assert.rejects(
    // @ts-expect-error: a signal must be an AbortSignal
    manager.listNames({ signal: "soon" }),
    /listNames\(\) option signal must be an AbortSignal/,
  );
  release();
  assert.deepEqual(await manager.listNames(), ["a"]);
});
