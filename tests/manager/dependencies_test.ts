// The rules of requires and after in PluginManager, each for the three
// declaration forms (a PluginSpec option, static fields of a Plugin class,
// plugin() options).
import assert from "node:assert/strict";
import {
  MatchingPluginFilter,
  PluginDisabled,
  type PluginEntry,
  PluginException,
  PluginManager,
  type PluginManagerOptions,
} from "../../mod.ts";
import {
  contextOf,
  type Declaration,
  FORMS,
  type Log,
  newLog,
  valueOf,
} from "./_declared.ts";
import { finderOf } from "./_helpers.ts";

const NS = "test.deps";

/** A manager over plugins declared in one form; problems are recorded. */
function managerOf(
  form: string,
  plugins: Record<string, Declaration>,
  options: PluginManagerOptions = {},
) {
  const log = newLog();
  const problems: string[] = [];
  const manager = new PluginManager(NS, {
    finder: finderOf(
      ...Object.entries(plugins).map(([name, declared]) =>
        FORMS[form]!(NS, name, declared, log)
      ),
    ),
    listeners: [{
      onResolveException(_ns, info, error) {
        problems.push(`${info?.name ?? "-"}: ${(error as Error).message}`);
      },
    }],
    reportProblems: false,
    ...options,
  });
  return { manager, log, problems };
}

function order(log: Log): string[] {
  return log.events.filter((e) => e.startsWith("end ")).map((e) => e.slice(4));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return await promise.then(() => assert.fail("it loaded"), (e) => e);
}

for (const form of Object.keys(FORMS)) {
  Deno.test(`${form}: loadAll() loads requirements first, and each plugin's load() gets what its requirements' load() returned`, async () => {
    const { manager, log } = managerOf(form, {
      api: { requires: ["cache", "db"], after: ["metrics"] },
      cache: { requires: ["db"] },
      db: { wait: 5 },
      metrics: {},
      zeta: {},
    }, { loadArgs: ["host"] });
    const loaded = await manager.loadAll();
    assert.deepEqual(order(log), ["db", "metrics", "zeta", "cache", "api"]);
    // The result is in load order.
    assert.equal(loaded.length, 5);
    assert.equal(loaded[3], (await manager.getContainer("cache"))!.plugin);
    const context = contextOf(log.contexts.get("api"));
    assert.deepEqual(
      { ...context, requirements: { ...context?.requirements } },
      {
        namespace: NS,
        name: "api",
        requirements: { cache: valueOf("cache"), db: valueOf("db") },
      },
    );
    assert.ok(Object.isFrozen(context!.requirements));
    assert.equal(Object.getPrototypeOf(context!.requirements), null);
    // Plugins that require nothing get only the loadArgs.
    assert.equal(log.contexts.get("db"), "host");
    assert.equal(log.contexts.get("metrics"), "host");
    assert.deepEqual((await manager.getContainer("api"))!.requires, [
      "cache",
      "db",
    ]);
  });

  Deno.test(`${form}: a missing requirement disables the plugin and its dependents, reported once, and imports nothing`, async () => {
    const { manager, log, problems } = managerOf(form, {
      api: { requires: ["db"] },
      admin: { requires: ["api"] },
      jobs: { after: ["db"] },
    });
    const missing = `requires ${NS}:db, which is missing: add the package ` +
      "that offers it to the application, or remove it from requires";
    const api = await rejection(manager.load("api"));
    assert.ok(api instanceof PluginDisabled);
    assert.equal(api.reason, missing);
    assert.equal(
      api.message,
      `plugin ${NS}:api is disabled, reason: ${missing}`,
    );
    const admin = await rejection(manager.load("admin"));
    assert.ok(admin instanceof PluginDisabled);
    assert.equal(
      admin.reason,
      `requires ${NS}:api, which is disabled: ${missing}`,
    );
    // after a missing plugin: loads anyway.
    assert.deepEqual(await manager.loadAll().then((p) => p.length), 1);
    await manager.loadAll();
    assert.deepEqual(order(log), ["jobs"]);
    assert.deepEqual(problems, [
      `api: plugin ${NS}:api cannot load: ${missing}`,
    ]);
  });

  Deno.test(`${form}: a requirement that is disabled (shouldLoad() false, a filter) disables the plugin with a reason naming it`, async () => {
    const filter = new MatchingPluginFilter();
    filter.addExclusion({ name: "cache" });
    const { manager, log } = managerOf(form, {
      api: { requires: ["db"] },
      db: { shouldLoad: false },
      web: { requires: ["cache"] },
      cache: {},
      report: { after: ["db", "cache"] },
    }, { filters: [filter] });
    await manager.loadAll();
    const api = await manager.getContainer("api");
    assert.equal(
      api!.disabledReason,
      `requires ${NS}:db, which is disabled: shouldLoad() returned false`,
    );
    assert.equal(
      (await manager.getContainer("web"))!.disabledReason,
      `requires ${NS}:cache, which is disabled: excluded by a plugin filter`,
    );
    assert.equal(api!.isInit, false, "a disabled requirement stops init");
    assert.deepEqual(order(log), ["report"]);
    // Disabled stays disabled.
    const again = await rejection(manager.load("api"));
    assert.ok(again instanceof PluginDisabled);
  });

  Deno.test(`${form}: a requirement that fails fails the plugin (its error as cause); a later call retries both`, async () => {
    const { manager, log } = managerOf(form, {
      api: { requires: ["db"] },
      db: { fail: (attempt) => attempt === 1 },
      jobs: { after: ["db"] },
    });
    const loaded = await manager.loadAll();
    assert.deepEqual(
      loaded.length,
      1,
      "only jobs: after a failure, load anyway",
    );
    assert.deepEqual(order(log), ["jobs"]);
    const api = await manager.getContainer("api");
    const error = api!.loadError;
    assert.ok(error instanceof PluginException);
    assert.equal(error.pluginName, "api");
    assert.equal(
      error.message,
      `plugin ${NS}:api failed to load: it requires ${NS}:db, which failed ` +
        "to load: db broke (attempt 1)",
    );
    assert.ok(error.cause instanceof PluginException);
    assert.equal((error.cause as PluginException).pluginName, "db");
    assert.equal(api!.isInit, false);
    assert.equal(log.loads.get("api"), undefined);
    // The same error for load(), within the same failure.
    const direct = await manager.load("api");
    assert.equal(direct, api!.plugin, "a later call retried db, then api");
    assert.deepEqual(order(log), ["jobs", "db", "api"]);
    assert.equal(log.loads.get("db"), 2);
    assert.equal(api!.loadError, undefined);
  });

  Deno.test(`${form}: load() rejects with the requirement's failure, and loadAll({ propagateExceptions }) throws it`, async () => {
    const { manager } = managerOf(form, {
      api: { requires: ["db"] },
      db: { fail: () => true },
    });
    const error = await rejection(manager.load("api"));
    assert.ok(
      error instanceof PluginException && !(error instanceof PluginDisabled),
    );
    assert.match(
      error.message,
      /api failed to load: it requires test\.deps:db, which failed to load: db broke/,
    );
    const thrown = await rejection(
      manager.loadAll({ propagateExceptions: true }),
    );
    assert.equal((thrown as PluginException).pluginName, "db");
  });

  Deno.test(`${form}: cycles of length 1, 2 and 3 through requires and after disable every plugin on them, reported once`, async () => {
    const { manager, log, problems } = managerOf(form, {
      // length 1 needs a declaration no form allows: see the next test.
      a: { requires: ["b"] },
      b: { after: ["a"] },
      c: { after: ["d"] },
      d: { requires: ["e"] },
      e: { after: ["c"] },
      f: { requires: ["a"] },
      g: { after: ["a"] },
    });
    await manager.loadAll();
    await manager.loadAll();
    await rejection(manager.load("a"));
    const two = `on a load-order cycle: ${NS}:a → ${NS}:b → ${NS}:a ` +
      "(a requires b; b after a); remove one of these requires/after declarations";
    const three = `on a load-order cycle: ${NS}:c → ${NS}:d → ${NS}:e → ` +
      `${NS}:c (c after d; d requires e; e after c); remove one of these ` +
      "requires/after declarations";
    const reasons = Object.fromEntries(
      (await manager.listContainers()).map((c) => [c.name, c.disabledReason]),
    );
    assert.deepEqual(reasons, {
      a: two,
      b: two,
      c: three,
      d: three,
      e: three,
      f: `requires ${NS}:a, which is disabled: ${two}`,
      g: undefined,
    });
    assert.deepEqual(order(log), ["g"]);
    assert.deepEqual(problems, [
      `-: plugins ${NS}:a, ${NS}:b are disabled, ${two}`,
      `-: plugins ${NS}:c, ${NS}:d, ${NS}:e are disabled, ${three}`,
    ]);
  });

  Deno.test(`${form}: after orders present plugins first, and a plugin after a failing or disabled one loads anyway`, async () => {
    const { manager, log } = managerOf(form, {
      a: { after: ["b", "c", "d", "gone"] },
      b: { wait: 5, fail: () => true },
      c: { shouldLoad: false },
      d: { wait: 10 },
    });
    const loaded = await manager.loadAll({ concurrency: 4 });
    assert.equal(loaded.length, 2);
    assert.deepEqual(order(log), ["d", "a"]);
    assert.ok(log.events.indexOf("fail b") < log.events.indexOf("start a"));
    assert.equal(contextOf(log.contexts.get("a")), undefined);
    // load(name) waits for them the same way.
    const single = managerOf(form, {
      a: { after: ["b", "c", "d", "gone"] },
      b: { wait: 5, fail: () => true },
      c: { shouldLoad: false },
      d: { wait: 10 },
    });
    await single.manager.load("a");
    const steps = single.log.events.filter((e) => !e.startsWith("init "));
    assert.deepEqual(steps, [
      "start b",
      "start d",
      "fail b",
      "end d",
      "start a",
      "end a",
    ]);
  });

  Deno.test(`${form}: load(name) loads what the plugin requires and comes after first, and nothing else`, async () => {
    const { manager, log } = managerOf(form, {
      api: { requires: ["cache"], after: ["metrics", "gone"] },
      cache: { requires: ["db"] },
      db: {},
      metrics: { after: ["tracing"], wait: 5 },
      tracing: { wait: 10 },
      admin: { requires: ["api"] },
      jobs: {},
    });
    await manager.load("api");
    assert.deepEqual(order(log).sort(), [
      "api",
      "cache",
      "db",
      "metrics",
      "tracing",
    ]);
    assert.ok(order(log).indexOf("db") < order(log).indexOf("cache"));
    assert.ok(order(log).indexOf("tracing") < order(log).indexOf("metrics"));
    assert.equal(order(log).at(-1), "api");
    assert.equal(await manager.isLoaded("jobs"), false);
    assert.equal(await manager.isLoaded("admin"), false);
  });

  Deno.test(`${form}: under any concurrency each plugin's factory and load() run once, however many calls overlap`, async () => {
    for (const concurrency of [1, 2, 8, Infinity]) {
      const { manager, log } = managerOf(form, {
        api: { requires: ["db"], wait: 2 },
        db: { wait: 3 },
        web: { requires: ["api", "db"], after: ["jobs"] },
        jobs: { wait: 1 },
      });
      await Promise.all([
        manager.loadAll({ concurrency }),
        manager.loadAll({ concurrency }),
        manager.load("web"),
        manager.load("api"),
      ]);
      for (const name of ["api", "db", "web", "jobs"]) {
        assert.equal(
          log.loads.get(name),
          1,
          `${name}, concurrency ${concurrency}`,
        );
      }
      const ends = order(log);
      assert.ok(ends.indexOf("db") < ends.indexOf("api"));
      assert.ok(ends.indexOf("jobs") < ends.indexOf("web"));
    }
  });
}

Deno.test("PluginManager reports a plugin that requires itself (from a hand-written index) as a cycle of length 1", async () => {
  const log = newLog();
  const problems: string[] = [];
  const entry = FORMS["Plugin class"]!(NS, "a", {}, log);
  const manager = new PluginManager(NS, {
    finder: finderOf({ ...entry, name: "a", requires: ["a"] } as never),
    listeners: [{
      onResolveException: (_ns, _info, error) => {
        problems.push((error as Error).message);
      },
    }],
  });
  const error = await rejection(manager.load("a"));
  assert.ok(error instanceof PluginDisabled);
  assert.equal(
    error.reason,
    `on a load-order cycle: ${NS}:a → ${NS}:a (a requires a); remove one of ` +
      "these requires/after declarations",
  );
  assert.equal(problems.length, 1);
});

Deno.test("PluginManager: code that declares other requires than its finder listed fails to resolve as a stale index", async () => {
  const log = newLog();
  const entry = FORMS["Plugin class"]!(NS, "api", { requires: ["db"] }, log);
  const db = FORMS["Plugin class"]!(NS, "db", {}, log);
  const manager = new PluginManager(NS, {
    finder: finderOf({ ...entry, name: "api", requires: [] } as never, db),
    reportProblems: false,
  });
  const error = await rejection(manager.load("api"));
  assert.ok(error instanceof PluginException);
  assert.match(
    error.message,
    /could not be resolved: its code declares requires \["db"\], its finder says requires \[\]; the finder that lists it is out of date: make its entry list what the code declares$/,
  );
});

Deno.test("PluginManager: a stale index entry's message names the index file and the command that regenerates it", async () => {
  const log = newLog();
  const entry = FORMS["Plugin class"]!(NS, "api", { requires: ["db"] }, log);
  const db = FORMS["Plugin class"]!(NS, "db", {}, log);
  const source = {
    kind: "path",
    package: "@acme/api",
    version: "1.2.0",
    index: "file:///srv/app/api/plux.json",
  };
  const manager = new PluginManager(NS, {
    finder: finderOf({ ...entry, requires: [], source } as never, db),
    reportProblems: false,
  });
  const error = await rejection(manager.load("api"));
  assert.ok(error instanceof PluginException);
  assert.equal(
    error.message,
    `plugin ${NS}:api could not be resolved: its code declares requires ` +
      '["db"], its finder says requires []; the index ' +
      "file:///srv/app/api/plux.json that lists it is stale: regenerate it " +
      "with `deno task plux:index` in @acme/api@1.2.0 (`plux index`)",
  );
});

Deno.test("PluginManager.loadAll() rejects a concurrency that is not a whole number of 1 or more or Infinity, in one line naming the option and the fix", async () => {
  const { manager } = managerOf("PluginSpec", { a: {} });
  const shown: [unknown, string][] = [
    [0, "0"],
    [-1, "-1"],
    [1.5, "1.5"],
    [NaN, "NaN"],
    [-Infinity, "-Infinity"],
    ["2", '"2"'],
    ["", '""'],
    [null, "null"],
    [true, "true"],
    [2n, "2n"],
    [[4], "[4]"],
    [Object.create(null), "an object"],
    [Symbol("n"), "a symbol"],
    [() => 4, "a function"],
  ];
  for (const [bad, as] of shown) {
    await assert.rejects(
      manager.loadAll({ concurrency: bad as number }),
      (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.equal(
          error.message,
          "loadAll(): option concurrency must be a whole number of 1 or " +
            "more (how many plugins of a wave load at once) or Infinity, " +
            `got ${as}; pass for example { concurrency: 8 }, or leave it ` +
            "out to load one plugin at a time",
        );
        return true;
      },
      as,
    );
  }
  for (const good of [1, 8, Infinity, undefined]) {
    assert.equal((await manager.loadAll({ concurrency: good })).length, 1);
  }
});

Deno.test("PluginManager.loadAll({ concurrency }) loads up to that many plugins of a wave at once, and waits for a wave before the next", async () => {
  const log = newLog();
  let running = 0;
  let most = 0;
  const plugins: Record<string, Declaration> = { last: { requires: [] } };
  for (let i = 0; i < 10; i++) {
    plugins[`p${i}`] = { wait: 5 };
    plugins.last!.requires!.push(`p${i}`);
  }
  const manager = new PluginManager(NS, {
    finder: finderOf(
      ...Object.entries(plugins).map(([name, declared]) =>
        FORMS.PluginSpec!(NS, name, declared, log)
      ),
    ),
    listeners: [{
      onLoadBefore() {
        most = Math.max(most, ++running);
      },
      onLoadAfter() {
        running--;
      },
    }],
  });
  await manager.loadAll({ concurrency: 3 });
  assert.equal(most, 3);
  assert.equal(log.events.at(-2), "start last");
  assert.equal(log.events.filter((e) => e.startsWith("end ")).length, 11);
});

Deno.test("PluginManager: a failure down a chain of requirements names each link and the root cause in one line", async () => {
  const log = newLog();
  const b = FORMS.PluginSpec!(NS, "b", { requires: ["a"] }, log);
  const c = FORMS.PluginSpec!(NS, "c", { requires: ["b"] }, log);
  const manager = new PluginManager(NS, {
    finder: finderOf(
      {
        namespace: NS,
        name: "a",
        resolve: () => Promise.reject(new Error("module a is gone")),
      },
      b,
      c,
    ),
    reportProblems: false,
  });
  const error = await rejection(manager.load("c"));
  assert.ok(error instanceof PluginException);
  assert.equal(
    error.message,
    `plugin ${NS}:c failed to load: it requires ${NS}:b, which failed to ` +
      `load: it requires ${NS}:a, which could not be resolved: module a is gone`,
  );
  const cause = error.cause as PluginException;
  assert.equal(cause.pluginName, "b");
  assert.equal((cause.cause as PluginException).pluginName, "a");
  assert.deepEqual(log.events, []);
});

Deno.test("PluginManager.loadAll() starts every plugin's import before the first wave loads, so that waves never serialise imports", async () => {
  const log = newLog();
  const entries = [
    FORMS["Plugin class"]!(NS, "a", { wait: 5 }, log),
    FORMS["Plugin class"]!(NS, "b", { requires: ["a"], wait: 5 }, log),
    FORMS["Plugin class"]!(NS, "c", { requires: ["b"] }, log),
  ].map((entry) => {
    const lazy = entry as PluginEntry;
    return {
      ...lazy,
      resolve: () => {
        log.events.push(`import ${lazy.name}`);
        return lazy.resolve();
      },
    };
  });
  const manager = new PluginManager(NS, { finder: finderOf(...entries) });
  await manager.loadAll({ concurrency: 2 });
  assert.deepEqual(log.events.slice(0, 3).sort(), [
    "import a",
    "import b",
    "import c",
  ]);
  assert.deepEqual(order(log), ["a", "b", "c"]);
});
