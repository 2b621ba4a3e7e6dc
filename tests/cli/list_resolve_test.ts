import assert from "node:assert/strict";
import { join } from "node:path";
import { copyFixture, runCli, runDenoIn } from "./_fixture.ts";

/** Runs the workspace fixture's application (app.ts) as a user would. */
function runApp(dir: string) {
  return runDenoIn(dir, ["run", "--allow-read", "app.ts"]);
}

Deno.test("PluginManager's default finder loads the plugins plux index wrote", async () => {
  const dir = await copyFixture("workspace");
  try {
    const index = await runCli(dir, ["index"]);
    assert.equal(index.code, 0, index.stderr);
    const app = await runApp(dir);
    assert.equal(app.code, 0, app.stderr);
    const result = JSON.parse(app.stdout);
    assert.deepEqual(result.names, ["alpha", "beta"]);
    assert.equal(result.loaded, 2);
    assert.equal(result.beta, "beta");
    assert.equal(result.source.kind, "workspace");
    assert.equal(result.source.package, "@fixture/alpha");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux list prints the tree of what the application's finder discovers", async () => {
  const dir = await copyFixture("workspace");
  try {
    assert.equal((await runCli(dir, ["index"])).code, 0);
    const tree = await runCli(dir, ["list"]);
    assert.equal(tree.code, 0, tree.stderr);
    assert.equal(
      tree.stdout,
      "fixture.workspace\n" +
        '  alpha  @fixture/alpha@0.1.0 (workspace, key "@fixture/alpha")\n' +
        '  beta   @fixture/beta@0.2.0 (workspace, key "@fixture/beta")\n',
    );
    const json = await runCli(dir, ["list", "fixture.workspace", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const rows = JSON.parse(json.stdout);
    assert.deepEqual(rows.map((r: { name: string }) => r.name), [
      "alpha",
      "beta",
    ]);
    assert.match(rows[1].value, /#default$/);
    assert.equal(rows[1].source.version, "0.2.0");
    const other = await runCli(dir, ["list", "other.namespace"]);
    assert.equal(other.code, 0);
    assert.match(other.stdout, /no plugins of other\.namespace found/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux resolve reports each plugin that fails to import and exits 1", async () => {
  const dir = await copyFixture("workspace");
  try {
    assert.equal((await runCli(dir, ["index"])).code, 0);
    const ok = await runCli(dir, ["resolve", "fixture.workspace"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /alpha: ok, @fixture\/alpha@0\.1\.0/);
    assert.match(ok.stdout, /beta: ok, @fixture\/beta@0\.2\.0/);

    await Deno.writeTextFile(
      join(dir, "packages/alpha/mod.ts"),
      'throw new Error("alpha broke");\n',
      { append: true },
    );
    const broken = await runCli(dir, ["resolve", "fixture.workspace"]);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /alpha: FAILED/);
    assert.match(broken.stdout, /beta: ok/);
    assert.match(
      broken.stderr,
      /^error: fixture\.workspace:alpha: .*importing \S+ failed: alpha broke/m,
    );
    assert.equal(broken.stderr.trim().split("\n").length, 1);

    const missing = await runCli(dir, ["resolve", "nothing.here"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no plugin of nothing\.here was found/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux list, resolve and registry exit 1 in one line naming the file, line and column of a malformed config", async () => {
  const dir = await copyFixture("workspace");
  try {
    await Deno.writeTextFile(
      join(dir, "app.json"),
      '{\n  "imports": {\n    "a" "./a/"\n  }\n}\n',
    );
    for (
      const args of [
        ["list"],
        ["resolve", "fixture.workspace"],
        ["registry", "--out", "plugins.gen.ts"],
      ]
    ) {
      const result = await runCli(dir, [...args, "--config", "app.json"]);
      assert.equal(result.code, 1, args[0]);
      assert.equal(result.stdout, "", args[0]);
      // One line: the file, line and column, then what is wrong there.
      assert.ok(
        result.stderr.startsWith(`error: ${join(dir, "app.json")}:3:9: `),
        result.stderr,
      );
      assert.equal(result.stderr.split("\n").length, 2, result.stderr);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
