import assert from "node:assert/strict";
import { type PluginEntry, PluginManager } from "../../mod.ts";
import { countingSpec, finderOf } from "./_helpers.ts";

const NS = "test.concurrency";

/** Settles every promise and returns the outcomes: values and errors. */
async function outcomes<T>(promises: Promise<T>[]): Promise<unknown[]> {
  return (await Promise.allSettled(promises)).map((result) =>
    result.status === "fulfilled" ? result.value : result.reason
  );
}

Deno.test("PluginManager initialises and loads each plugin once under concurrent load() and loadAll() calls", async () => {
  const plugins = ["a", "b", "c", "d"].map((name) =>
    countingSpec(NS, name, { wait: 2 })
  );
  let resolved = 0;
  const lazy = countingSpec(NS, "e", { wait: 2 });
  const entry: PluginEntry = {
    namespace: NS,
    name: "e",
    resolve: () => {
      resolved++;
      return Promise.resolve(lazy.spec);
    },
  };
  const manager = new PluginManager(NS, {
    finder: finderOf(...plugins.map((p) => p.spec), entry),
  });
  const calls = [
    ...["d", "a", "e", "c", "b"].flatMap((name) => [
      manager.load(name),
      manager.load(name),
    ]),
    manager.loadAll(),
    manager.loadAll(),
    manager.load("e"),
  ];
  const results = await Promise.all(calls);
  for (const { counts } of [...plugins, lazy]) {
    assert.deepEqual(counts, { init: 1, shouldLoad: 1, load: 1 });
  }
  assert.equal(resolved, 1);
  const byName = new Map<string, unknown>();
  for (const name of ["a", "b", "c", "d", "e"]) {
    byName.set(name, (await manager.getContainer(name))?.plugin);
  }
  assert.deepEqual(results.slice(0, 10), [
    byName.get("d"),
    byName.get("d"),
    byName.get("a"),
    byName.get("a"),
    byName.get("e"),
    byName.get("e"),
    byName.get("c"),
    byName.get("c"),
    byName.get("b"),
    byName.get("b"),
  ]);
  assert.deepEqual(results[10], [...byName.values()]);
  assert.deepEqual(results[11], [...byName.values()]);
});

Deno.test("PluginManager gives concurrent callers the same failure and initialises a failing plugin once", async (t) => {
  for (
    const [what, options] of [
      ["init", { failInit: () => true, wait: 2 }],
      ["load", { failLoad: () => true, wait: 2 }],
    ] as const
  ) {
    await t.step(`failing ${what}`, async () => {
      const good = ["a", "b", "c"].map((name) =>
        countingSpec(NS, name, { wait: 2 })
      );
      const bad = countingSpec(NS, "z", options);
      const manager = new PluginManager(NS, {
        finder: finderOf(bad.spec, ...good.map((p) => p.spec)),
      });
      const results = await outcomes<unknown>([
        manager.load("z"),
        manager.loadAll(),
        manager.load("z"),
        manager.loadAll(),
        manager.load("z"),
      ]);
      assert.ok(results[0] instanceof Error);
      assert.equal(results[2], results[0]);
      assert.equal(results[4], results[0]);
      assert.equal((results[1] as unknown[]).length, 3);
      assert.equal((results[3] as unknown[]).length, 3);
      assert.equal(bad.counts.init, 1);
      assert.equal(bad.counts.load, what === "load" ? 1 : 0);
      for (const { counts } of good) {
        assert.deepEqual(counts, { init: 1, shouldLoad: 1, load: 1 });
      }
    });
  }
});

Deno.test("PluginManager gives concurrent propagating loadAll() calls the same failure", async () => {
  const bad = countingSpec(NS, "b", { failLoad: () => true, wait: 2 });
  const manager = new PluginManager(NS, {
    finder: finderOf(countingSpec(NS, "a", { wait: 2 }).spec, bad.spec),
  });
  const results = await outcomes<unknown>([
    manager.loadAll({ propagateExceptions: true }),
    manager.loadAll({ propagateExceptions: true }),
    manager.load("b"),
  ]);
  assert.ok(results[0] instanceof Error);
  assert.equal(results[1], results[0]);
  assert.equal(results[2], results[0]);
  assert.equal(bad.counts.load, 1);
});
