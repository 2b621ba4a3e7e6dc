// requires and after of plugins in plugin directories: the manager follows
// the declarations of the package version actually in use, also when the
// finder falls back to an older version than the one it listed.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  PluginDirectoryFinder,
  PluginDisabled,
  PluginManager,
} from "../../../mod.ts";
import { MOD_URL, withTempDir, writePackage } from "./_plugin_dirs.ts";

const NS = "d.ns";

function managerOf(dir: string, problems: string[] = []) {
  return new PluginManager(NS, {
    finder: new PluginDirectoryFinder([dir]),
    listeners: [{
      onResolveException(_ns, info, error) {
        problems.push(`${info?.name ?? "-"}: ${(error as Error).message}`);
      },
    }],
  });
}

Deno.test("PluginDirectoryFinder: load(name) falls back to an older version that declares fewer requires, and uses its declarations", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      plugins: { [NS]: ["api"] },
      declares: { api: {} },
    });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      plugins: { [NS]: ["api", "db"] },
      declares: { api: { requires: ["db"] } },
      broken: ["db"],
    });
    const problems: string[] = [];
    const manager = managerOf(dir, problems);
    assert.deepEqual((await manager.getContainer("api"))!.requires, ["db"]);
    await manager.load("api");
    const api = (await manager.getContainer("api"))!;
    assert.equal(api.loadValue, "@u/a@1.0.0");
    assert.deepEqual([api.requires, api.source?.version], [[], "1.0.0"]);
    assert.ok(
      problems.every((p) => !p.includes("stale")),
      problems.join("\n"),
    );
    // db is not in the version in use: reported as such, not as stale.
    assert.ok(
      problems.some((p) =>
        p.startsWith("db: ") && p.includes("is not in @u/a@1.0.0")
      ),
      problems.join("\n"),
    );
  });
});

Deno.test("PluginDirectoryFinder: load(name) falls back to an older version that requires more, and loads that requirement first with its value", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      plugins: { [NS]: ["api", "db"] },
      declares: { api: { requires: ["db"] } },
    });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      plugins: { [NS]: ["api", "db"] },
      declares: { api: {} },
      broken: ["db"],
    });
    const manager = managerOf(dir);
    assert.deepEqual((await manager.getContainer("api"))!.requires, []);
    await manager.load("api");
    const api = (await manager.getContainer("api"))!;
    assert.equal(api.loadValue, '@u/a@1.0.0 using {"db":"@u/a@1.0.0"}');
    assert.deepEqual(api.requires, ["db"]);
    assert.equal(await manager.isLoaded("db"), true);
  });
});

Deno.test("PluginDirectoryFinder: loadAll() works the order out again when a fallback changes declarations: a plugin blocked by the newer version loads from the older one", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      plugins: { [NS]: ["x", "y", "z"] },
      declares: { x: {}, z: { requires: ["y"] } },
    });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      plugins: { [NS]: ["x", "y", "z"] },
      // x cannot load in 2.0.0: it requires a plugin nobody offers.
      declares: { x: { requires: ["ghost"] }, z: {} },
      broken: ["y"],
    });
    const manager = managerOf(dir);
    const x = (await manager.getContainer("x"))!;
    assert.match(
      x.disabledReason ?? "",
      /requires d\.ns:ghost, which is missing/,
    );
    const loaded = await manager.loadAll();
    const containers = await manager.listContainers();
    assert.deepEqual(
      containers.map((c) => [c.name, c.loadValue, c.disabledReason]),
      [
        ["x", "@u/a@1.0.0", undefined],
        ["y", "@u/a@1.0.0", undefined],
        ["z", '@u/a@1.0.0 using {"y":"@u/a@1.0.0"}', undefined],
      ],
    );
    // In the order of the version in use: z after y.
    const names = loaded.map((p) =>
      containers.find((c) => c.plugin === p)!.name
    );
    assert.ok(names.indexOf("y") < names.indexOf("z"), names.join());
  });
});

Deno.test("PluginDirectoryFinder: a fallback to a version whose plugin requires a missing one disables it with that reason, reported once", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      plugins: { [NS]: ["api", "db"] },
      declares: { api: { requires: ["ghost"] } },
    });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      plugins: { [NS]: ["api", "db"] },
      declares: { api: {} },
      broken: ["db"],
    });
    const problems: string[] = [];
    const manager = managerOf(dir, problems);
    const error = await manager.load("api").then(
      () => assert.fail("it loaded"),
      (e) => e,
    );
    assert.ok(error instanceof PluginDisabled);
    assert.match(error.reason, /^requires d\.ns:ghost, which is missing: /);
    await manager.loadAll();
    assert.equal(
      problems.filter((p) => p.includes("ghost")).length,
      1,
      problems.join("\n"),
    );
  });
});

Deno.test("an application loading a plugin from a plugin directory whose newest version breaks uses the older version's declarations (subprocess)", async () => {
  await withTempDir(async (root) => {
    const plugins = join(root, "plugins");
    await writePackage(plugins, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      plugins: { [NS]: ["api"] },
      declares: { api: {} },
    });
    await writePackage(plugins, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      plugins: { [NS]: ["api", "db"] },
      declares: { api: { requires: ["db"] } },
      broken: ["db"],
    });
    const app = join(root, "app.ts");
    await Deno.writeTextFile(
      app,
      `import { PluginDirectoryFinder, PluginManager } from "${MOD_URL}";\n` +
        `const manager = new PluginManager("${NS}", {\n` +
        `  finder: new PluginDirectoryFinder(["plugins"]),\n` +
        `});\n` +
        `await manager.load("api");\n` +
        `console.log((await manager.getContainer("api"))?.loadValue);\n`,
    );
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-lock", `--allow-read=${root}`, app],
      cwd: root,
      env: { NO_COLOR: "1" },
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, stderr);
    assert.equal(stdout, "@u/a@1.0.0\n");
    assert.doesNotMatch(stderr, /stale/);
    // The fallback is reported, one line each, and names what broke.
    assert.match(
      stderr,
      /^plux: @u\/a@2\.0\.0 plugin d\.ns:db skipped \(import\): .*falling back to @u\/a@1\.0\.0$/m,
    );
  });
});
