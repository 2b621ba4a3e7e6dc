// requires and after through the command line, as a user runs it on the
// `dependencies` fixture: db (class) ← cache (PluginSpec) ← api (plugin(),
// after metrics) ← admin (class); jobs and metrics stand alone.
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyFixture, runCli, runDenoIn } from "./_fixture.ts";

const NS = "fixture.deps";

async function indexed(): Promise<string> {
  const dir = await copyFixture("dependencies");
  const index = await runCli(dir, ["index"]);
  assert.equal(index.code, 0, index.stderr);
  return dir;
}

async function edit(dir: string, file: string, from: string, to: string) {
  const path = join(dir, file);
  const text = await Deno.readTextFile(path);
  assert.ok(text.includes(from), `${file} holds ${from}`);
  await Deno.writeTextFile(path, text.replace(from, to));
}

Deno.test("plux index writes requires and after of all three declaration forms, and discover shows them", async () => {
  const dir = await indexed();
  try {
    const read = async (pkg: string) =>
      JSON.parse(
        await Deno.readTextFile(join(dir, `packages/${pkg}/plux.json`)),
      ).plugins[NS];
    const store = await read("store");
    const web = await read("web");
    const declared = (entries: Record<string, unknown>[]) =>
      Object.fromEntries(
        entries.map((e) => [e.name, [e.requires, e.after]]),
      );
    assert.deepEqual(declared(store), {
      cache: [["db"], undefined], // PluginSpec option
      db: [undefined, undefined],
    });
    assert.deepEqual(declared(web), {
      admin: [["api"], undefined], // static requires
      api: [["cache"], ["metrics"]], // plugin() options
      jobs: [undefined, undefined],
      metrics: [undefined, undefined],
    });
    const discover = await runCli(dir, ["discover"]);
    assert.equal(discover.code, 0, discover.stderr);
    assert.match(
      discover.stdout,
      /^ {4}api: api of \.\/api \(\.\/src\/api\.ts\) \(requires cache; after metrics\)$/m,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index --check fails when a declaration changed since the index was written, naming the plugin and both lists", async () => {
  const dir = await indexed();
  try {
    await edit(
      dir,
      "packages/web/src/admin.ts",
      'static requires = ["api"];',
      'static requires = ["api", "jobs"];\n  static after = ["metrics"];',
    );
    const check = await runCli(dir, ["index", "--check"]);
    assert.equal(check.code, 1);
    assert.match(
      check.stdout + check.stderr,
      /plugin fixture\.deps:admin has requires \["api"\], the code declares \["api","jobs"\]/,
    );
    assert.match(
      check.stdout + check.stderr,
      /plugin fixture\.deps:admin has after none, the code declares \["metrics"\]/,
    );
    // plux resolve imports the code and reports the stale index.
    const resolve = await runCli(dir, ["resolve", NS]);
    assert.equal(resolve.code, 1);
    assert.match(resolve.stdout, /^ {2}admin: FAILED/m);
    assert.match(
      resolve.stderr,
      /its code declares requires \["api","jobs"\] and after \["metrics"\], the index says requires \["api"\] and after \[\]; the index .*plux\.json is stale: run `deno task plux:index`/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux list shows what each plugin requires and comes after, in text and JSON", async () => {
  const dir = await indexed();
  try {
    const list = await runCli(dir, ["list", NS]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(
      list.stdout,
      /^ {2}api {6}@fixture\/web@2\.0\.0 \(workspace, key "@fixture\/web"\) {2}\(requires cache; after metrics\)$/m,
    );
    assert.match(list.stdout, /^ {2}cache .*\(requires db\)$/m);
    assert.match(list.stdout, /^ {2}db .*"\)$/m);
    const json = JSON.parse((await runCli(dir, ["list", NS, "--json"])).stdout);
    const api = json.find((row: { name: string }) => row.name === "api");
    assert.deepEqual([api.requires, api.after], [["cache"], ["metrics"]]);
    const db = json.find((row: { name: string }) => row.name === "db");
    assert.deepEqual([db.requires, db.after], [[], []]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux list --order prints the load waves of a namespace, without importing plugin code", async () => {
  const dir = await indexed();
  try {
    // Every plugin module throws if imported: listing must not import them.
    for (const file of ["web/src/api.ts", "store/src/db.ts"]) {
      await Deno.writeTextFile(
        join(dir, "packages", file),
        'throw new Error("imported while listing");\n',
        { append: true },
      );
    }
    const order = await runCli(dir, ["list", NS, "--order"]);
    assert.equal(order.code, 0, order.stderr);
    assert.equal(
      order.stdout,
      `${NS}: load order, 4 waves (a wave's plugins load together with ` +
        "loadAll({ concurrency }); filters and shouldLoad() are checked at " +
        "run time)\n" +
        "  wave 1: db, jobs, metrics\n" +
        "  wave 2: cache\n" +
        "  wave 3: api\n" +
        "  wave 4: admin\n",
    );
    const json = JSON.parse(
      (await runCli(dir, ["list", NS, "--order", "--json"])).stdout,
    );
    assert.deepEqual(json, {
      namespace: NS,
      waves: [["db", "jobs", "metrics"], ["cache"], ["api"], ["admin"]],
      blocked: {},
    });
    const usage = await runCli(dir, ["list", "--order"]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^error: --order needs a namespace/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux resolve and list --order report a missing requirement and its dependents, and exit 1", async () => {
  const dir = await indexed();
  try {
    await edit(
      dir,
      "packages/store/src/cache.ts",
      'requires: ["db"]',
      'requires: ["db", "queue"]',
    );
    assert.equal((await runCli(dir, ["index"])).code, 0);
    const resolve = await runCli(dir, ["resolve", NS]);
    assert.equal(resolve.code, 1);
    const missing = "requires fixture.deps:queue, which is missing: add the " +
      "package that offers it to the application, or remove it from requires";
    assert.ok(
      resolve.stdout.includes(`  cache: disabled (${missing}), @fixture/store`),
      resolve.stdout,
    );
    assert.ok(
      resolve.stdout.includes(
        `  api: disabled (requires fixture.deps:cache, which is disabled: ${missing}), `,
      ),
      resolve.stdout,
    );
    assert.match(resolve.stdout, /^ {2}db: ok/m);
    const order = await runCli(dir, ["list", NS, "--order"]);
    assert.equal(order.code, 0);
    assert.match(order.stdout, /wave 1: db, jobs, metrics\ncannot load:\n/);
    assert.match(order.stdout, /^ {2}admin: requires fixture\.deps:api, /m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux resolve reports a cycle of requires and after once, disables every plugin on it, and exits 1", async () => {
  const dir = await indexed();
  try {
    await edit(
      dir,
      "packages/web/src/metrics.ts",
      'static pluginName = "metrics";',
      'static pluginName = "metrics";\n  static after = ["admin"];',
    );
    assert.equal((await runCli(dir, ["index"])).code, 0);
    const resolve = await runCli(dir, ["resolve", NS]);
    assert.equal(resolve.code, 1);
    const cycle = "fixture.deps:admin → fixture.deps:api → " +
      "fixture.deps:metrics → fixture.deps:admin (admin requires api; " +
      "api after metrics; metrics after admin)";
    assert.equal(
      resolve.stderr,
      "error: plugins fixture.deps:admin, fixture.deps:api, " +
        `fixture.deps:metrics are disabled, on a load-order cycle: ${cycle}` +
        "; remove one of these requires/after declarations\n",
    );
    for (const name of ["admin", "api", "metrics"]) {
      assert.match(
        resolve.stdout,
        new RegExp(`^ {2}${name}: disabled \\(on a load-order cycle: `, "m"),
      );
    }
    assert.match(resolve.stdout, /^ {2}cache: ok/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an application's load(name) imports exactly the modules of the plugin and of what it requires and comes after, and nothing while listing", async () => {
  const dir = await indexed();
  try {
    const run = (name: string) =>
      runDenoIn(dir, ["run", "--allow-read", "app.ts", name]);
    const api = await run("api");
    assert.equal(api.code, 0, api.stderr);
    assert.equal(api.stderr, "");
    assert.deepEqual(JSON.parse(api.stdout), {
      names: ["admin", "api", "cache", "db", "jobs", "metrics"],
      whileListing: [],
      imported: ["api", "cache", "db", "metrics"],
      loaded: ["api", "cache", "db", "metrics"],
      value: "api using cache",
    });
    const cache = JSON.parse((await run("cache")).stdout);
    assert.deepEqual(cache.imported, ["cache", "db"]);
    const jobs = JSON.parse((await run("jobs")).stdout);
    assert.deepEqual(jobs.imported, ["jobs"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an application's load(name) of a plugin whose requirement a filter excludes imports and loads nothing, and rejects with PluginDisabled", async () => {
  const dir = await indexed();
  try {
    const run = await runDenoIn(dir, [
      "run",
      "--allow-read",
      "app.ts",
      "admin",
      "db",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      names: ["admin", "api", "cache", "db", "jobs", "metrics"],
      whileListing: [],
      imported: [],
      loaded: [],
      error: "PluginDisabled: plugin fixture.deps:admin is disabled, reason: " +
        "requires fixture.deps:api, which is disabled: requires " +
        "fixture.deps:cache, which is disabled: requires fixture.deps:db, " +
        "which is disabled: excluded by a plugin filter",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux resolve names the missing requirement of a plugin on a cycle, and reports the cycle once", async () => {
  const dir = await indexed();
  try {
    await edit(
      dir,
      "packages/web/src/metrics.ts",
      'static pluginName = "metrics";',
      'static pluginName = "metrics";\n  static requires = ["admin", "ghost"];',
    );
    assert.equal((await runCli(dir, ["index"])).code, 0);
    const resolve = await runCli(dir, ["resolve", NS]);
    assert.equal(resolve.code, 1);
    assert.equal(resolve.stderr.match(/load-order cycle/g)?.length, 1);
    assert.match(
      resolve.stdout,
      /^ {2}metrics: disabled \(on a load-order cycle: .*; also requires fixture\.deps:ghost, which is missing: add the package that offers it to the application, or remove it from requires\), /m,
    );
    const order = await runCli(dir, ["list", NS, "--order"]);
    assert.match(
      order.stdout,
      /^ {2}metrics: on a load-order cycle: .*; also requires fixture\.deps:ghost, which is missing/m,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux resolve tells a plugin requiring one whose index entry is malformed to regenerate that index, not to add a package", async () => {
  const dir = await indexed();
  try {
    const file = join(dir, "packages/store/plux.json");
    const index = JSON.parse(await Deno.readTextFile(file));
    const db = index.plugins[NS].find((e: { name: string }) => e.name === "db");
    db.export = 7;
    await Deno.writeTextFile(file, JSON.stringify(index, null, 2));
    const resolve = await runCli(dir, ["resolve", NS]);
    assert.equal(resolve.code, 1);
    const line = resolve.stdout.split("\n").find((l) =>
      l.startsWith("  cache: ")
    );
    assert.match(
      line ?? "",
      /^ {2}cache: disabled \(requires fixture\.deps:db, whose index entry was left out as malformed: .*plux\.json: plugin fixture\.deps:db has no export .*; regenerate it with `deno task plux:index` in that package\), /,
    );
    assert.doesNotMatch(line!, /add the package/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index names the plugin class whose static requires has an empty slot, and writes nothing for it", async () => {
  const dir = await indexed();
  try {
    await edit(
      dir,
      "packages/web/src/admin.ts",
      'static requires = ["api"];',
      "static requires = new Array(1);",
    );
    const index = await runCli(dir, ["index"]);
    assert.equal(index.code, 1);
    assert.match(
      index.stderr,
      /export "Admin" declares a plugin that cannot be resolved: Plugin class Admin \(fixture\.deps:admin\): static requires must be an array of plugin names .*static requires\[0\] is an empty slot/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an application's loadAll() reports a plugin failing because its requirement failed once, the same through onLoadException as on the default plux: line", async () => {
  const dir = await indexed();
  try {
    await edit(
      dir,
      "packages/store/src/db.ts",
      'override load(): { url: string } {\n    return { url: "postgres://db" };',
      'override load(): never {\n    throw new Error("connection refused");',
    );
    const chain = (name: string, through: string[]) =>
      `plugin ${NS}:${name} failed to load: ` +
      through.map((to) => `it requires ${NS}:${to}, which failed to load: `)
        .join("") +
      "connection refused";
    const failures = [
      `plugin ${NS}:db failed to load: connection refused`,
      chain("cache", ["db"]),
      chain("api", ["cache", "db"]),
      chain("admin", ["api", "cache", "db"]),
    ];
    const printed = await runDenoIn(dir, [
      "run",
      "--allow-read",
      "load_all.ts",
    ]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(printed.stdout, "loaded 2\n"); // jobs and metrics
    assert.deepEqual(
      printed.stderr.trimEnd().split("\n"),
      failures.map((line) => `plux: ${line}`),
    );
    // A listener hears the same failures, and nothing is printed.
    const heard = await runDenoIn(dir, [
      "run",
      "--allow-read",
      "load_all.ts",
      "listen",
    ]);
    assert.equal(heard.code, 0, heard.stderr);
    assert.equal(heard.stderr, "");
    assert.deepEqual(heard.stdout.trimEnd().split("\n"), [
      "heard db (made): connection refused",
      ...failures.slice(1).map((line) =>
        `heard ${line.split(" ")[1]!.split(":")[1]} (not made): ${line}`
      ),
      "loaded 2",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
