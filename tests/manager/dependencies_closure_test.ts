// What load(name) and loadAll() load and import when requirements are off
// before the call starts, how long chains load without recursion, and how
// cycles, missing requirements and failing requirements are reported.
import assert from "node:assert/strict";
import {
  MatchingPluginFilter,
  Plugin,
  PluginDisabled,
  type PluginEntry,
  PluginException,
  PluginManager,
  type PluginManagerOptions,
  PluginSpec,
  RegistryFinder,
} from "../../mod.ts";
import { type Declaration, FORMS, type Log, newLog } from "./_declared.ts";
import { finderOf } from "./_helpers.ts";

const NS = "test.closure";

/**
 * A manager over plugins declared in one form whose imports are logged as
 * `import <name>`.
 */
function managerOf(
  form: string,
  plugins: Record<string, Declaration>,
  options: PluginManagerOptions = {},
) {
  const log = newLog();
  const entries = Object.entries(plugins).map(([name, declared]) => {
    const made = FORMS[form]!(NS, name, declared, log);
    if (made instanceof PluginSpec) return made;
    const entry = made as PluginEntry;
    return {
      ...entry,
      resolve: () => {
        log.events.push(`import ${name}`);
        return entry.resolve();
      },
    };
  });
  const manager = new PluginManager(NS, {
    finder: finderOf(...entries),
    reportProblems: false,
    ...options,
  });
  return { manager, log };
}

/** Everything that happened, but the imports of a spec at hand are not logged. */
function steps(log: Log): string[] {
  return log.events.filter((e) => !e.startsWith("init "));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return await promise.then(() => assert.fail("it loaded"), (e) => e);
}

for (const form of Object.keys(FORMS)) {
  Deno.test(`${form}: load(name) of a plugin whose requirement is disabled before the call imports and loads nothing, not even its after plugins`, async () => {
    const filter = new MatchingPluginFilter();
    filter.addExclusion({ name: "db" });
    const { manager, log } = managerOf(form, {
      api: { requires: ["cache", "db"], after: ["metrics"] },
      cache: {},
      db: {},
      metrics: {},
      // Transitively: web requires api, which requires db.
      web: { requires: ["api"] },
    }, { filters: [filter] });
    const web = await rejection(manager.load("web"));
    assert.ok(web instanceof PluginDisabled);
    assert.equal(
      web.reason,
      `requires ${NS}:api, which is disabled: requires ${NS}:db, which is ` +
        "disabled: excluded by a plugin filter",
    );
    const api = await rejection(manager.load("api"));
    assert.ok(api instanceof PluginDisabled);
    assert.equal(
      api.reason,
      `requires ${NS}:db, which is disabled: excluded by a plugin filter`,
    );
    assert.deepEqual(steps(log), []);
    for (const name of ["cache", "metrics"]) {
      assert.equal(await manager.isLoaded(name), false, name);
    }
    // loadAll() does not import them either, and loads the others.
    const loaded = await manager.loadAll();
    assert.deepEqual(loaded.length, 2);
    assert.deepEqual(
      steps(log).filter((e) => e.startsWith("import ")).sort(),
      form === "PluginSpec" ? [] : ["import cache", "import metrics"],
    );
  });

  Deno.test(`${form}: load(name) of the end of a chain of 20,000 requirements loads them in order without overflowing the stack`, async () => {
    const plugins: Record<string, Declaration> = {};
    const name = (i: number) => `p${String(i).padStart(5, "0")}`;
    for (let i = 0; i < 20_000; i++) {
      plugins[name(i)] = i === 0
        ? { sync: true }
        : { requires: [name(i - 1)], sync: true };
    }
    const { manager, log } = managerOf(form, plugins);
    await manager.load(name(19_999));
    const ends = log.events.filter((e) => e.startsWith("end "));
    assert.equal(ends.length, 20_000);
    assert.equal(ends[0], "end p00000");
    assert.equal(ends.at(-1), "end p19999");
    assert.ok(ends.every((e, i) => e === `end ${name(i)}`));
  });
}

Deno.test("PluginManager: load(name) of the end of a failing chain of 20,000 requirements fails with a short message naming the root cause", async () => {
  const log = newLog();
  const name = (i: number) => `p${String(i).padStart(5, "0")}`;
  const specs = Array.from({ length: 20_000 }, (_, i) =>
    FORMS.PluginSpec!(
      NS,
      name(i),
      i === 0
        ? { fail: () => true, sync: true }
        : { requires: [name(i - 1)], sync: true },
      log,
    ));
  const manager = new PluginManager(NS, {
    finder: finderOf(...specs),
    reportProblems: false,
  });
  const error = await rejection(manager.load(name(19_999)));
  assert.ok(error instanceof PluginException);
  assert.ok(error.message.length < 700, error.message);
  assert.match(error.message, /^plugin test\.closure:p19999 failed to load: /);
  assert.match(error.message, /p00000 broke \(attempt 1\)$/);
});

Deno.test("PluginManager reports a cycle once and a missing requirement of a plugin on it in its own report, naming it", async () => {
  const problems: string[] = [];
  const lines: string[] = [];
  const specs = [
    new PluginSpec(NS, "a", () => new Noop(), { requires: ["b", "ghost"] }),
    new PluginSpec(NS, "b", () => new Noop(), { requires: ["a"] }),
  ];
  const heard = new PluginManager(NS, {
    finder: finderOf(...specs),
    listeners: [{
      onResolveException(_ns, info, error) {
        problems.push(`${info?.name ?? "-"}: ${(error as Error).message}`);
      },
    }],
  });
  await heard.loadAll();
  await heard.loadAll();
  const cycle = `on a load-order cycle: ${NS}:a → ${NS}:b → ${NS}:a (a ` +
    "requires b; b requires a); remove one of these requires/after declarations";
  const ghost = `requires ${NS}:ghost, which is missing: add the package ` +
    "that offers it to the application, or remove it from requires";
  assert.deepEqual(problems, [
    `-: plugins ${NS}:a, ${NS}:b are disabled, ${cycle}`,
    `a: plugin ${NS}:a cannot load: ${ghost}`,
  ]);
  // Without a listener, the same two lines.
  const printed = new PluginManager(NS, {
    finder: finderOf(...specs),
    reportProblems: (line) => lines.push(line),
  });
  await printed.loadAll();
  assert.deepEqual(lines, [
    `plux: plugins ${NS}:a, ${NS}:b are disabled, ${cycle}`,
    `plux: plugin ${NS}:a cannot load: ${ghost}`,
  ]);
});

class Noop extends Plugin {}

class Failing extends Plugin {
  override load(): never {
    throw new Error("connection refused");
  }
}

Deno.test("PluginManager: a plugin whose requirement fails reaches onLoadException (its spec, no instance, the PluginException naming the requirement), and loadAll() prints it only without such a listener", async () => {
  const specs = () => [
    new PluginSpec(NS, "db", () => new Failing()),
    new PluginSpec(NS, "api", () => new Noop(), { requires: ["db"] }),
  ];
  const heard: [string, unknown, unknown][] = [];
  const lines: string[] = [];
  const listened = new PluginManager(NS, {
    finder: finderOf(...specs()),
    listeners: [{
      onLoadException(spec, plugin, error) {
        heard.push([spec.name, plugin, error]);
      },
    }],
    reportProblems: (line) => lines.push(line),
  });
  assert.deepEqual(await listened.loadAll(), []);
  assert.deepEqual(heard.map(([name, plugin]) => [name, plugin]), [
    ["db", (await listened.getContainer("db"))!.plugin],
    ["api", undefined],
  ]);
  const [, , error] = heard[1]!;
  assert.ok(error instanceof PluginException);
  assert.equal(
    error.message,
    `plugin ${NS}:api failed to load: it requires ${NS}:db, which failed to ` +
      "load: connection refused",
  );
  assert.equal((error.cause as PluginException).pluginName, "db");
  assert.equal(
    ((error.cause as PluginException).cause as Error).message,
    "connection refused",
  );
  const api = (await listened.getContainer("api"))!;
  assert.equal(api.loadError, error, "loadError holds that PluginException");
  assert.equal(api.isInit, false, "its factory did not run");
  assert.deepEqual(lines, [], "a listener heard both: nothing printed");
  // Without a listener, both are printed: the same two failures.
  const quiet: string[] = [];
  const unheard = new PluginManager(NS, {
    finder: finderOf(...specs()),
    reportProblems: (line) => quiet.push(line),
  });
  await unheard.loadAll();
  assert.deepEqual(quiet, [
    `plux: plugin ${NS}:db failed to load: connection refused`,
    `plux: plugin ${NS}:api failed to load: it requires ${NS}:db, which ` +
    "failed to load: connection refused",
  ]);
});

Deno.test("PluginManager: a plugin requiring one whose registry item was left out as malformed is told to regenerate that registry, not to add a package", async () => {
  const item = (name: string, extra: Record<string, unknown> = {}) => ({
    namespace: NS,
    name,
    export: "Noop",
    value: `./${name}.ts#Noop`,
    import: () => Promise.resolve({ Noop: PluginNoop }),
    ...extra,
  });
  const problems: string[] = [];
  const manager = new PluginManager(NS, {
    finder: new RegistryFinder([
      item("api", { requires: ["db"] }),
      item("db", { requires: "cache" }),
    ] as never),
    listeners: [{
      onResolveException(_ns, _info, error) {
        problems.push((error as Error).message);
      },
    }],
  });
  const error = await rejection(manager.load("api"));
  assert.ok(error instanceof PluginDisabled);
  assert.match(
    error.reason,
    /^requires test\.closure:db, whose index entry was left out as malformed: the plugin registry's item 1 \(test\.closure:db\) has requires that is not a list of plugin names; .*plux registry/,
  );
  assert.ok(!error.reason.includes("add the package"), error.reason);
  assert.equal(problems.length, 2, problems.join("\n"));
});

class PluginNoop extends Plugin {
  static namespace = NS;
  static pluginName = "x";
}

Deno.test("PluginManager: after an incomplete listing that missed a requirement, the next call lists again and the plugin loads with it", async () => {
  const late = new Error("the index of jsr:@u/db did not arrive in time", {
    cause: new DOMException("timed out", "TimeoutError"),
  });
  const api = new PluginSpec(NS, "api", () => new Noop(), {
    requires: ["db"],
  });
  const db = new PluginSpec(NS, "db", () => new Noop());
  let calls = 0;
  const manager = new PluginManager(NS, {
    finder: {
      findPlugins(options) {
        // The first listing misses db's package, and says it is incomplete.
        if (calls++ === 0) {
          options?.report?.(late);
          return [api];
        }
        return [api, db];
      },
    },
    reportProblems: false,
  });
  const first = await rejection(manager.load("api"));
  assert.ok(first instanceof PluginDisabled);
  assert.match(first.reason, /^requires test\.closure:db, which is missing/);
  await manager.load("api");
  assert.equal(calls, 2);
  assert.equal(await manager.isLoaded("api"), true);
  assert.equal(await manager.isLoaded("db"), true);
});
