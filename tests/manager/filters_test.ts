import assert from "node:assert/strict";
import {
  globalPluginFilter,
  MatchingPluginFilter,
  PluginDisabled,
  type PluginExclusion,
  type PluginInfo,
  PluginManager,
} from "../../mod.ts";
import { countingSpec, finderOf } from "./_helpers.ts";

const NS = "test.filters";

Deno.test("MatchingPluginFilter.matches() applies glob exclusions whose given fields all match", async (t) => {
  const plugin: PluginInfo = {
    namespace: "my.services",
    name: "legacy-db",
    value: "jsr:@acme/db/mod.ts#legacyDb",
  };
  const noValue: PluginInfo = { namespace: "my.services", name: "legacy-db" };
  const cases: [string, PluginExclusion, PluginInfo, boolean][] = [
    ["exact name", { name: "legacy-db" }, plugin, true],
    ["other name", { name: "legacy" }, plugin, false],
    ["* in name", { name: "legacy-*" }, plugin, true],
    ["* matches the empty run", { name: "legacy-db*" }, plugin, true],
    ["? is one character", { name: "legacy-d?" }, plugin, true],
    ["? is not two", { name: "legacy-?" }, plugin, false],
    ["character class", { name: "legacy-[abcd]b" }, plugin, true],
    ["negated class", { name: "legacy-[!d]b" }, plugin, false],
    ["dot is literal", { namespace: "my.services" }, plugin, true],
    ["dot is not any character", { namespace: "my.services" }, {
      ...plugin,
      namespace: "myXservices",
    }, false],
    ["regexp characters are literal", { name: "legacy-d+" }, {
      ...plugin,
      name: "legacy-dd",
    }, false],
    ["namespace glob", { namespace: "my.*" }, plugin, true],
    [
      "namespace and name both match",
      { namespace: "my.*", name: "*-db" },
      plugin,
      true,
    ],
    [
      "namespace matches, name does not",
      { namespace: "my.*", name: "cache" },
      plugin,
      false,
    ],
    [
      "name matches, namespace does not",
      { namespace: "other.*", name: "*" },
      plugin,
      false,
    ],
    ["value glob", { value: "jsr:@acme/*" }, plugin, true],
    [
      "all three",
      { namespace: "my.services", name: "legacy-db", value: "*#legacyDb" },
      plugin,
      true,
    ],
    ["value pattern, plugin without value", { value: "*" }, noValue, false],
    ["no fields matches nothing", {}, plugin, false],
    ["whole-string match only", { name: "legacy" }, {
      ...plugin,
      name: "legacy-db",
    }, false],
  ];
  for (const [title, exclusion, info, expected] of cases) {
    await t.step(title, () => {
      const filter = new MatchingPluginFilter();
      filter.addExclusion(exclusion);
      assert.equal(filter.matches(info), expected);
    });
  }
});

Deno.test("MatchingPluginFilter matches when any exclusion matches, and removeExclusion()/clear() undo them", () => {
  const filter = new MatchingPluginFilter();
  const info: PluginInfo = { namespace: "ns", name: "b" };
  filter.addExclusion({ name: "a" });
  assert.equal(filter.matches(info), false);
  filter.addExclusion({ name: "b" });
  assert.equal(filter.matches(info), true);
  assert.deepEqual(filter.exclusions, [{ name: "a" }, { name: "b" }]);
  filter.removeExclusion({ name: "b" });
  assert.equal(filter.matches(info), false);
  filter.clear();
  assert.deepEqual(filter.exclusions, []);
});

Deno.test("PluginManager disables plugins matched by the filters it is given", async () => {
  const matching = new MatchingPluginFilter();
  matching.addExclusion({ name: "b*" });
  const seen: string[] = [];
  const manager = new PluginManager(NS, {
    finder: finderOf(
      countingSpec(NS, "a").spec,
      countingSpec(NS, "b1").spec,
      countingSpec(NS, "c").spec,
    ),
    filters: [(info) => {
      seen.push(info.name);
      return info.name === "c";
    }, matching],
  });
  assert.deepEqual(await manager.listNames(), ["a", "b1", "c"]);
  assert.equal((await manager.loadAll()).length, 1);
  assert.equal(await manager.isLoaded("a"), true);
  await assert.rejects(manager.load("b1"), PluginDisabled);
  await assert.rejects(manager.load("c"), PluginDisabled);
  // Consulted when listing and again before loading; each name at least once.
  assert.deepEqual([...new Set(seen)].sort(), ["a", "b1", "c"]);
  assert.equal(
    (await manager.getContainer("b1"))?.disabledReason,
    "excluded by a plugin filter",
  );
});

Deno.test("PluginManager applies globalPluginFilter unless useGlobalFilter is false", async () => {
  globalPluginFilter.addExclusion({ namespace: NS, name: "global-*" });
  try {
    const finder = finderOf(
      countingSpec(NS, "global-off").spec,
      countingSpec(NS, "kept").spec,
    );
    const withGlobal = new PluginManager(NS, { finder });
    await assert.rejects(withGlobal.load("global-off"), (error: unknown) => {
      assert.ok(error instanceof PluginDisabled);
      assert.equal(error.reason, "excluded by a plugin filter");
      return true;
    });
    assert.equal((await withGlobal.loadAll()).length, 1);

    const withOwnFilters = new PluginManager(NS, {
      finder,
      filters: [() => false],
    });
    await assert.rejects(withOwnFilters.load("global-off"), PluginDisabled);

    const withoutGlobal = new PluginManager(NS, {
      finder,
      useGlobalFilter: false,
    });
    await withoutGlobal.load("global-off");
    assert.equal((await withoutGlobal.loadAll()).length, 2);
  } finally {
    globalPluginFilter.removeExclusion({ namespace: NS, name: "global-*" });
  }
});

Deno.test("PluginManager applies an exclusion added after listing to plugins not loaded yet, without importing them", async (t) => {
  for (const where of ["a filter of the manager", "globalPluginFilter"]) {
    await t.step(where, async () => {
      const own = new MatchingPluginFilter();
      const filter = where === "globalPluginFilter" ? globalPluginFilter : own;
      const exclusion = { namespace: NS, name: "late-*" };
      const imported: string[] = [];
      const entry = (name: string) => {
        const { spec } = countingSpec(NS, name);
        return {
          namespace: NS,
          name,
          resolve: () => {
            imported.push(name);
            return Promise.resolve(spec);
          },
        };
      };
      const manager = new PluginManager(NS, {
        finder: finderOf(
          entry("late-loaded"),
          entry("late-one"),
          entry("late-two"),
          entry("kept"),
        ),
        filters: [own],
      });
      try {
        assert.equal((await manager.listContainers()).length, 4);
        await manager.load("late-loaded");
        filter.addExclusion(exclusion);
        await assert.rejects(manager.load("late-one"), (error: unknown) => {
          assert.ok(error instanceof PluginDisabled);
          assert.equal(error.reason, "excluded by a plugin filter");
          return true;
        });
        const loaded = await manager.loadAll({ propagateExceptions: true });
        assert.equal(loaded.length, 2, "late-loaded stays loaded; kept loads");
        assert.equal(await manager.isLoaded("late-loaded"), true);
        assert.equal(
          (await manager.getContainer("late-two"))!.isDisabled,
          true,
        );
        assert.deepEqual((await manager.listPluginSpecs()).map((s) => s.name), [
          "kept",
          "late-loaded",
        ]);
        assert.deepEqual(imported.sort(), ["kept", "late-loaded"]);
      } finally {
        filter.removeExclusion(exclusion);
      }
    });
  }
});

Deno.test("PluginManager.load() disables the plugin, naming it and the filter, when a filter throws at load time", async () => {
  let broken = false;
  const lines: string[] = [];
  const manager = new PluginManager(NS, {
    finder: finderOf(countingSpec(NS, "a").spec),
    filters: [() => {
      if (broken) throw new Error("filter broke");
      return false;
    }],
    reportProblems: (line) => lines.push(line),
  });
  await manager.listNames();
  broken = true;
  await assert.rejects(
    manager.load("a"),
    new RegExp(
      `^PluginDisabled: plugin ${NS}:a is disabled, reason: the plugin filter filters\\[0\\] threw "filter broke" while deciding whether to disable it, so it is disabled; fix the filter`,
    ),
  );
  assert.deepEqual(await manager.loadAll(), []);
  assert.equal(lines.length, 1);
});

Deno.test("MatchingPluginFilter matches as Python's fnmatch: [!x], a reversed range that matches nothing, and no backtracking", () => {
  const filter = new MatchingPluginFilter();
  assert.doesNotThrow(() => filter.addExclusion({ name: "[z-a]*" }));
  assert.equal(filter.matches({ namespace: "n", name: "zed" }), false);
  filter.clear();
  filter.addExclusion({ name: "[!x]*" });
  assert.equal(filter.matches({ namespace: "n", name: "xray" }), false);
  assert.equal(filter.matches({ namespace: "n", name: "yak" }), true);
  filter.clear();
  // 13 s with a backtracking regular expression; now proportional to 18 × 56.
  filter.addExclusion({ name: "*a*a*a*a*a*a*a*a*b" });
  assert.equal(filter.matches({ namespace: "n", name: "a".repeat(56) }), false);
  assert.equal(
    filter.matches({ namespace: "n", name: "a".repeat(56) + "b" }),
    true,
  );
});
