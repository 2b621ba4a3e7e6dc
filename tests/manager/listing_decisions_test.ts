// What listing decides, and what it must not: a listener or a filter that
// throws while a namespace is listed disables one plugin at most, never the
// namespace; a filter's decision at listing is looked at again at load.
import assert from "node:assert/strict";
import {
  MatchingPluginFilter,
  PluginDisabled,
  type PluginEntry,
  PluginException,
  type PluginFinder,
  PluginManager,
} from "../../mod.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runDeno } from "../support/deno_run.ts";
import { countingSpec } from "./_helpers.ts";

const NS = "test.listing";

/** A lazy entry of a counting plugin, with what it declares. */
function entry(
  name: string,
  declared: { requires?: string[]; after?: string[] } = {},
): PluginEntry {
  const { spec } = countingSpec(NS, name);
  return {
    namespace: NS,
    name,
    ...declared,
    resolve: () => Promise.resolve(spec),
  };
}

/** A finder that reports `problems` while listing, then offers `entries`. */
function reportingFinder(
  problems: Error[],
  ...entries: PluginEntry[]
): PluginFinder {
  return {
    findPlugins: ({ report } = { namespace: NS }) => {
      for (const problem of problems) report?.(problem);
      return entries;
    },
  };
}

Deno.test("PluginManager: a PluginDisabled thrown by onResolveException while listing disables that plugin only", async (t) => {
  await t.step("a problem of one plugin (a missing requirement)", async () => {
    const manager = new PluginManager(NS, {
      finder: reportingFinder(
        [],
        entry("a"),
        entry("needs", { requires: ["absent"] }),
        entry("z"),
      ),
      listeners: [{
        onResolveException: (namespace, plugin) => {
          if (plugin !== undefined) {
            throw new PluginDisabled(namespace, plugin.name, "vetoed");
          }
        },
      }],
    });
    assert.deepEqual(await manager.listNames(), ["a", "needs", "z"]);
    const needs = (await manager.getContainer("needs"))!;
    assert.equal(needs.disabledReason, "vetoed");
    assert.equal((await manager.loadAll()).length, 2);
    await assert.rejects(manager.load("needs"), PluginDisabled);
  });
  await t.step(
    "a problem of no one plugin, the exception naming one",
    async () => {
      const manager = new PluginManager(NS, {
        finder: reportingFinder(
          [new Error("the index of @acme/tools is unreadable")],
          entry("a"),
          entry("tools"),
        ),
        listeners: [{
          onResolveException: (namespace, plugin, error) => {
            if (plugin === undefined && String(error).includes("@acme/tools")) {
              throw new PluginDisabled(
                namespace,
                "tools",
                "its index is broken",
              );
            }
          },
        }],
      });
      assert.deepEqual(await manager.listNames(), ["a", "tools"]);
      assert.equal(
        (await manager.getContainer("tools"))!.disabledReason,
        "its index is broken",
      );
      assert.equal((await manager.getContainer("a"))!.isDisabled, false);
      await manager.load("a");
    },
  );
  await t.step(
    "another PluginException, or one naming no plugin of the namespace, goes to onListenerError",
    async () => {
      const errors: [unknown, string][] = [];
      const manager = new PluginManager(NS, {
        finder: reportingFinder(
          [new Error("one"), new Error("two")],
          entry("a"),
        ),
        listeners: [{
          onResolveException: (_namespace, _plugin, error) => {
            throw String(error).includes("one")
              ? new PluginException("listener gave up")
              : new PluginDisabled("other.namespace", "a", "not ours");
          },
        }],
        onListenerError: (error, event) => void errors.push([error, event]),
      });
      assert.deepEqual(await manager.listNames(), ["a"]);
      assert.deepEqual(
        errors.map(([error, event]) => `${event}: ${(error as Error).message}`),
        [
          "onResolveException: listener gave up",
          "onResolveException: plugin other.namespace:a is disabled, reason: not ours",
        ],
      );
      await manager.load("a");
    },
  );
});

Deno.test("PluginManager: a filter that throws while listing disables the plugins it throws for, reported once naming the plugin, the filter and the fix", async () => {
  const lines: string[] = [];
  let calls = 0;
  const manager = new PluginManager(NS, {
    finder: reportingFinder([], entry("a"), entry("b"), entry("c")),
    filters: [function byOwner(plugin) {
      calls++;
      if (plugin.name === "b") throw new TypeError("no owner for b");
      return false;
    }],
    reportProblems: (line) => lines.push(line),
  });
  assert.deepEqual(await manager.listNames(), ["a", "b", "c"]);
  const b = (await manager.getContainer("b"))!;
  assert.match(
    b.disabledReason!,
    /^the plugin filter filters\[0\] \(byOwner\) threw "no owner for b" while deciding whether to disable it, so it is disabled; fix the filter so that it returns true or false without throwing/,
  );
  const loaded = await manager.loadAll();
  assert.deepEqual(loaded.length, 2);
  await assert.rejects(manager.load("b"), (error: unknown) => {
    assert.ok(error instanceof PluginDisabled);
    assert.match(
      error.message,
      /^plugin test\.listing:b is disabled, reason: the plugin filter filters\[0\] \(byOwner\) threw/,
    );
    return true;
  });
  assert.ok(calls >= 6, "the filter is asked again at load");
  assert.equal(lines.length, 1, lines.join("\n"));
  assert.match(
    lines[0]!,
    /^plux: plugin test\.listing:b: the plugin filter filters\[0\] \(byOwner\) threw "no owner for b" .*fix the filter/,
  );
});

Deno.test("PluginManager: an exclusion that matched at listing and is gone at load lets the plugin load; one a load found is final, as in plux", async () => {
  const filter = new MatchingPluginFilter();
  filter.addExclusion({ namespace: NS, name: "x*" });
  const manager = new PluginManager(NS, {
    finder: reportingFinder([], entry("a"), entry("x1"), entry("x2")),
    filters: [filter],
  });
  const x1 = (await manager.getContainer("x1"))!;
  assert.equal(x1.disabledReason, "excluded by a plugin filter");
  // A load while the exclusion stands: disabled, for good.
  await assert.rejects(manager.load("x2"), PluginDisabled);
  filter.clear();
  // x1 was only excluded at listing: the filters as they stand now decide.
  await manager.load("x1");
  assert.equal(x1.isLoaded, true);
  assert.equal(x1.isDisabled, false);
  await assert.rejects(manager.load("x2"), PluginDisabled);
  assert.deepEqual(
    (await manager.loadAll()).length,
    2,
    "a and x1; x2 stays disabled",
  );
});

Deno.test("PluginManager: a plugin on a cycle that a filter also excluded at listing stays disabled when the filter goes", async () => {
  const filter = new MatchingPluginFilter();
  filter.addExclusion({ name: "c*" });
  const manager = new PluginManager(NS, {
    finder: reportingFinder(
      [],
      entry("c1", { requires: ["c2"] }),
      entry("c2", { requires: ["c1"] }),
      entry("m", { requires: ["gone"] }),
    ),
    filters: [filter],
    reportProblems: false,
  });
  await manager.listNames();
  filter.clear();
  for (const name of ["c1", "c2", "m"]) {
    await assert.rejects(
      manager.load(name, { timeout: 2_000 }),
      PluginDisabled,
    );
  }
  assert.match(
    (await manager.getContainer("c1"))!.disabledReason!,
    /load-order cycle/,
  );
});

Deno.test("an application whose filter throws for one plugin loads the others and reports that one in one line naming it, the filter and the fix", async () => {
  const root = await Deno.makeTempDir({ prefix: "plux_filter_app_" });
  try {
    const imports: Record<string, string> = {
      "@plux/core": fileURLToPath(new URL("../../mod.ts", import.meta.url)),
    };
    for (const name of ["alpha", "beta", "gamma"]) {
      await Deno.mkdir(join(root, name));
      await Deno.writeTextFile(
        join(root, name, "mod.ts"),
        `import { plugin } from "@plux/core";\n` +
          `export const p = plugin({ namespace: "${NS}", name: "${name}" }, () => "${name}");\n`,
      );
      await Deno.writeTextFile(
        join(root, name, "plux.json"),
        JSON.stringify({
          version: 1,
          package: { name },
          plugins: { [NS]: [{ name, export: "p", path: "./mod.ts" }] },
        }),
      );
      imports[`${name}/`] = `./${name}/`;
    }
    await Deno.writeTextFile(
      join(root, "deno.json"),
      JSON.stringify({ lock: false, imports }),
    );
    await Deno.writeTextFile(
      join(root, "app.ts"),
      `import { PluginManager } from "@plux/core";\n` +
        `const manager = new PluginManager("${NS}", {\n` +
        `  filters: [function byOwner(info) {\n` +
        `    if (info.name === "beta") throw new Error("no owner recorded");\n` +
        `    return false;\n  }],\n});\n` +
        `console.log(JSON.stringify((await manager.loadAll()).map((p) => p())));\n`,
    );
    const result = await runDeno(["run", "--allow-read", "app.ts"], {
      cwd: root,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), ["alpha", "gamma"]);
    const lines = result.stderr.split("\n")
      .filter((line) => line.startsWith("plux:"));
    assert.deepEqual(lines, [
      `plux: plugin ${NS}:beta: the plugin filter filters[0] (byOwner) threw ` +
      `"no owner recorded" while deciding whether to disable it, so it is ` +
      "disabled; fix the filter so that it returns true or false without " +
      "throwing (a filter that cannot decide disables the plugin)",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
