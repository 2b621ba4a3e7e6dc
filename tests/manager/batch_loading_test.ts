// Batched imports (src/finders/_batch_import.ts) keep every guarantee of one
// import() per module. Applications of 200 indexed plugins in 20 packages,
// run as subprocesses with the read permissions a user gives.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  type Fixture,
  generateApp,
  LIBRARY_URL,
} from "../../bench/_fixtures.ts";

const NS = "test.batch";
const REPO = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The application. Modes: `loadAll`; `load <name>...` (one after another);
 * `concurrent` (100 loadAll() and load() calls on two managers at once);
 * `loadEach <skip>` (load() of every plugin but one, at once). With
 * `--count` the finder imports through a function that records every module
 * asked for, the re-exports of a generated module included.
 */
const MAIN = `
import { ImportMapFinder, PluginManager } from "${LIBRARY_URL}";

const imported: string[] = [];
(globalThis as { __pluxImported?: string[] }).__pluxImported = imported;
const count = Deno.args[0] === "--count";
const [mode, ...args] = count ? Deno.args.slice(1) : Deno.args;
const requested: string[] = [];
const finder = count
  ? new ImportMapFinder({
    importModule: async (specifier, options) => {
      // A generated module: the modules it re-exports.
      const modules = specifier.startsWith("blob:")
        ? [...(await (await fetch(specifier)).text())
          .matchAll(/^export \\* as \\w+ from "([^"]+)";$/gm)].map((m) => m[1]!)
        : [specifier];
      // Not the JSON indexes the finder asks the application's npm: imports for.
      requested.push(...modules.filter((m) => !m.endsWith("/plux.json")));
      return await import(specifier, options);
    },
  })
  : undefined;
const manager = new PluginManager(NS_, { finder });
const names = await manager.listNames();
const result: Record<string, unknown> = {};
async function errors() {
  const found: Record<string, string> = {};
  for (const c of await manager.listContainers()) {
    if (c.resolveError !== undefined) found[c.name] = (c.resolveError as Error).message;
  }
  return found;
}
if (mode === "loadAll") {
  result.loaded = (await manager.loadAll()).length;
  result.errors = await errors();
} else if (mode === "load") {
  for (const name of args) await manager.load(name).catch(() => {});
  result.errors = await errors();
} else if (mode === "concurrent") {
  const other = new PluginManager(NS_, { finder });
  const calls = Array.from({ length: 100 }, (_, i) =>
    i % 4 === 0 ? manager.loadAll()
    : i % 4 === 1 ? other.loadAll()
    : (i % 4 === 2 ? manager : other).load(names[(i * 7) % names.length]!)
  );
  await Promise.all(calls);
  result.loaded = [
    (await manager.listContainers()).filter((c) => c.isLoaded).length,
    (await other.listContainers()).filter((c) => c.isLoaded).length,
  ];
} else if (mode === "loadEach") {
  const wanted = names.filter((name) => name !== args[0]);
  const stuck = new Promise((resolve) => setTimeout(() => resolve("stuck"), 20000));
  const all = Promise.all(wanted.map(async (name) => {
    await manager.load(name);
    return (await manager.getContainer(name))!.loadValue;
  }));
  const values = await Promise.race([all, stuck]);
  result.values = values;
  const skipped = manager.load(args[0]!).then(() => "loaded", () => "failed");
  result.skipped = await Promise.race([skipped, new Promise((r) => setTimeout(() => r("pending"), 300))]);
}
result.names = names.length;
result.imported = imported;
result.requested = requested;
console.log(JSON.stringify(result));
Deno.exit(0);
`.replaceAll("NS_", JSON.stringify(NS));

interface Output {
  names: number;
  loaded?: number | number[];
  errors?: Record<string, string>;
  values?: unknown;
  skipped?: string;
  imported: string[];
  requested: string[];
}

async function withApp(fn: (app: Fixture) => Promise<void>): Promise<void> {
  const app = await generateApp({ packages: 20, namespaceOf: () => NS });
  try {
    await Deno.writeTextFile(`${app.root}/main.ts`, MAIN);
    await fn(app);
  } finally {
    await app.remove();
  }
}

/** The module of plugin k of package i. */
function moduleOf(app: Fixture, name: string): string {
  const [, i, k] = /^pkg(\d+)_plugin(\d+)$/.exec(name)!;
  return `${app.packages[Number(i)]!.dir}/plugins/k${k}.ts`;
}

async function run(
  app: Fixture,
  flags: readonly string[],
  args: readonly string[],
): Promise<Output> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-read=${app.root},${REPO}`,
      ...flags,
      "main.ts",
      ...args,
    ],
    cwd: app.root,
    stdin: "null",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  return JSON.parse(stdout);
}

Deno.test("PluginManager.loadAll() fails only the plugins of broken modules among 200, with the text of a single import", async () => {
  await withApp(async (app) => {
    const broken: Record<string, string> = {
      pkg3_plugin4: `throw new Error("pkg3_plugin4 cannot start");\n`,
      pkg6_plugin1: `export const oops = ;\n`,
      pkg9_plugin2: `import "./missing.ts";\nexport const x = 1;\n`,
      pkg17_plugin9: `export class Renamed {}\n`,
    };
    for (const [name, text] of Object.entries(broken)) {
      await Deno.writeTextFile(moduleOf(app, name), text);
    }
    await Deno.remove(moduleOf(app, "pkg12_plugin5"));
    const denied = moduleOf(app, "pkg15_plugin0");
    const failing = [...Object.keys(broken), "pkg12_plugin5", "pkg15_plugin0"]
      .sort();
    // A host list for --allow-import, as applications with URL plugins give.
    const flags = [`--deny-read=${denied}`, "--allow-import=example.com:443"];

    const all = await run(app, flags, ["loadAll"]);
    assert.equal(all.names, 200);
    assert.equal(all.loaded, 200 - failing.length);
    assert.deepEqual(Object.keys(all.errors!).sort(), failing);
    assert.equal(all.imported.length, 200 - failing.length);

    const single = await run(app, flags, ["load", ...failing]);
    assert.deepEqual(all.errors, single.errors);
    assert.match(all.errors!.pkg3_plugin4!, /pkg3_plugin4 cannot start/);
    assert.match(all.errors!.pkg12_plugin5!, /Module not found/);
    assert.match(all.errors!.pkg15_plugin0!, /Requires read access/);
  });
});

Deno.test("PluginManager.load() imports the one module of its plugin, without a generated module", async () => {
  await withApp(async (app) => {
    const names = ["pkg4_plugin2", "pkg7_plugin0", "pkg10_plugin9"];
    const out = await run(app, [], ["--count", "load", ...names]);
    const modules = names.map((name) =>
      new URL(`file://${moduleOf(app, name)}`).href
    );
    assert.deepEqual(out.requested, modules);
    assert.deepEqual(out.imported, modules);
  });
});

Deno.test("100 concurrent loadAll() and load() calls on two managers import each module once", async () => {
  await withApp(async (app) => {
    const out = await run(app, [], ["--count", "concurrent"]);
    assert.deepEqual(out.loaded, [200, 200]);
    assert.equal(out.imported.length, 200);
    assert.equal(new Set(out.imported).size, 200);
    assert.deepEqual([...out.requested].sort(), [...out.imported].sort());
  });
});

Deno.test("PluginManager loads every other plugin while one module's top-level await never settles", async () => {
  await withApp(async (app) => {
    await Deno.writeTextFile(
      moduleOf(app, "pkg5_plugin5"),
      `await new Promise(() => {});\nexport const never = 1;\n`,
    );
    // A slow top-level await that settles: its plugin still loads, from a
    // fully initialised module.
    const slow = await Deno.readTextFile(moduleOf(app, "pkg8_plugin8"));
    await Deno.writeTextFile(
      moduleOf(app, "pkg8_plugin8"),
      `await new Promise((resolve) => setTimeout(resolve, 150));\n${slow}`,
    );
    const out = await run(app, [], ["loadEach", "pkg5_plugin5"]);
    assert.ok(Array.isArray(out.values), `stuck: ${JSON.stringify(out)}`);
    assert.equal(out.values.length, 199);
    assert.ok(out.values.includes("pkg8_plugin8"));
    assert.equal(out.skipped, "pending");
  });
});
