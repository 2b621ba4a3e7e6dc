/**
 * The demo as a newcomer runs it (`deno task demo`), the same application
 * bundled through its static registry and run from an empty folder, and the
 * registry's static module graph (what `deno compile` would include).
 *
 * Every subprocess of this file shares one fresh `DENO_DIR`, as on a fresh
 * machine: only npm packages (the library's and esbuild) are downloaded.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runDeno } from "../support/deno_run.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const APP = join(REPO, "examples/supervisor");
const GENERATED = [
  "plugins.gen.ts",
  "packages/checks/plux.json",
  "packages/databases/plux.json",
  "packages/queues/plux.json",
  "packages/accounts/plux.json",
  "packages/checks/deno.json",
  "packages/databases/deno.json",
  "packages/queues/deno.json",
  "packages/accounts/deno.json",
];
const PLUGIN_MODULES = [
  "packages/checks/mod.ts",
  "packages/databases/src/postgres.ts",
  "packages/databases/src/redis.ts",
  "packages/queues/mod.ts",
  "packages/accounts/mod.ts",
];

async function readGenerated(): Promise<string[]> {
  return await Promise.all(
    GENERATED.map((file) => Deno.readTextFile(join(APP, file))),
  );
}

/** The report without its first two lines, which name the finder. */
function report(stdout: string): string {
  return stdout.split("\n").slice(2).join("\n");
}

Deno.test("deno task demo regenerates the indexes and prints what was discovered, loaded, disabled and failed", async () => {
  const before = await readGenerated();
  const { code, stdout, stderr } = await runDeno(["task", "demo"], {
    cwd: REPO,
  });
  assert.equal(code, 0, stderr);
  // The CLI regenerated the committed files and found them up to date.
  assert.match(stderr + stdout, /cli\.ts index/);
  assert.match(
    stdout,
    /@demo\/queues@0\.3\.0 \(packages\/queues\): 3 plugins in 1 namespace; plux\.json is up to date/,
  );
  assert.match(
    stdout,
    /plugins\.gen\.ts: 9 plugins from deno\.json; up to date/,
  );
  assert.deepEqual(await readGenerated(), before, "generated files changed");

  assert.match(stdout, /finder: ImportMapFinder/);
  for (
    const line of [
      /supervisor\.services:postgres +from @demo\/databases@2\.1\.0 \(workspace\)/,
      /supervisor\.services:emails-worker +from @demo\/queues@0\.3\.0 \(workspace\)/,
      /supervisor\.checks:disk-space +from @demo\/checks@1\.0\.0 \(workspace\)/,
      /\[listener\] supervisor\.services:postgres loaded: postgres listening/,
      /\[listener\] supervisor\.services:webhooks-worker failed to load: queue "webhooks" needs a signing secret/,
      /loaded +postgres +postgres listening on 127\.0\.0\.1:5432/,
      /disabled +redis +because shouldLoad\(\) returned false/,
      /failed +webhooks-worker +to load: .*WEBHOOK_SIGNING_SECRET is not set/,
      /loaded +services-up +check says: 4 services answer \(accounts, emails-worker, invoices-worker, postgres\)/,
      // Dependencies, known from the indexes: accounts requires postgres and
      // gets its load value; notifications fails with the worker it requires.
      /supervisor\.services:accounts +from @demo\/accounts@1\.0\.0 \(workspace\), requires postgres; after redis/,
      /postgres loaded: [^\n]*\n(.*\n)*.*\[listener\] supervisor\.services:accounts loaded: accounts listening on 127\.0\.0\.1:8081, data in postgres:\/\/127\.0\.0\.1:5432\/supervisor/,
      /failed +notifications +to load: it requires supervisor\.services:webhooks-worker, which failed to load: queue "webhooks" needs a signing secret/,
      /9 plugins from 4 packages: 6 loaded, 1 disabled, 2 failed/,
    ]
  ) {
    assert.match(stdout, line);
  }
});

Deno.test("the demo bundled through its registry runs from an empty folder and loads the same plugins", async () => {
  const denoDir = await Deno.makeTempDir({ prefix: "plux_deno_dir_" });
  const out = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const fromSource = await runDeno(
      ["run", "--allow-read=.", "main.ts"],
      { cwd: APP, denoDir },
    );
    assert.equal(fromSource.code, 0, fromSource.stderr);
    const bundle = join(out, "supervisor.js");
    const bundled = await runDeno(
      ["bundle", "--output", bundle, "main_registry.ts"],
      { cwd: APP, denoDir },
    );
    assert.equal(bundled.code, 0, bundled.stderr);
    // No permission at all: the registry reads no file and the plugin
    // modules are in the bundle.
    const run = await runDeno(["run", "supervisor.js"], { cwd: out, denoDir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /finder: RegistryFinder/);
    assert.equal(report(run.stdout), report(fromSource.stdout));
    assert.match(run.stdout, /6 loaded, 1 disabled, 2 failed/);
  } finally {
    await Deno.remove(out, { recursive: true });
    await Deno.remove(denoDir, { recursive: true });
  }
});

Deno.test("deno info shows the plugin modules in the static graph of the registry, not of the dynamic application", async () => {
  const denoDir = await Deno.makeTempDir({ prefix: "plux_deno_dir_" });
  try {
    const graph = async (main: string) => {
      const info = await runDeno(["info", "--json", main], {
        cwd: APP,
        denoDir,
      });
      assert.equal(info.code, 0, info.stderr);
      const data = JSON.parse(info.stdout) as {
        modules: { specifier: string }[];
      };
      return data.modules.map((m) => m.specifier);
    };
    const registry = await graph("main_registry.ts");
    const dynamic = await graph("main.ts");
    for (const module of PLUGIN_MODULES) {
      const url = new URL(module, `file://${APP}/`).href;
      assert.ok(registry.includes(url), `${module} not in the registry graph`);
      assert.ok(!dynamic.includes(url), `${module} in main.ts's graph`);
    }
  } finally {
    await Deno.remove(denoDir, { recursive: true });
  }
});

Deno.test("the demo application and its plugin packages type-check", async () => {
  const { code, stderr } = await runDeno([
    "check",
    "main.ts",
    "main_registry.ts",
    ...PLUGIN_MODULES,
  ], { cwd: APP });
  assert.equal(code, 0, stderr);
});
