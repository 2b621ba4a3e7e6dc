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

Deno.test("plux list and plux resolve report a member meant to offer plugins whose plux.json was never written, and plux index at the root writes it", async () => {
  const dir = await copyFixture("workspace");
  try {
    // Members that say they offer plugins: one with plugins, one without.
    for (const member of ["alpha", "empty"]) {
      const file = join(dir, "packages", member, "deno.json");
      const config = JSON.parse(await Deno.readTextFile(file));
      config.tasks = { "plux:index": "deno run -A jsr:@plux/core/cli index" };
      await Deno.writeTextFile(file, JSON.stringify(config, null, 2));
    }
    const warning = (member: string) =>
      `workspace member ${dir}/packages/${member}/ has no plux.json, but its ` +
      `deno.json has a "plux:index" task, so it is meant to offer plugins: ` +
      `run \`deno task plux:index\` in ${dir}/packages/${member}`;
    // beta has no task, but its module declares plugins and the root maps
    // the library for every member: the root is where to set indexing up.
    const beta = `workspace member ${dir}/packages/beta/ has no plux.json, ` +
      `but ./src/beta.ts declares plugins and ${dir}/deno.json maps ` +
      '"@plux/core" for every member, so it is meant to offer plugins: run ' +
      "`deno run --allow-read=. --allow-write=. jsr:@plux/core/cli init` in " +
      `${dir} to add the plux:index task, then \`deno task plux:index\` there`;
    const list = await runCli(dir, ["list"]);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(
      list.stderr,
      `warning: ${warning("alpha")}\nwarning: ${beta}\nwarning: ${
        warning("empty")
      }\n`,
    );
    assert.equal(list.stdout, `no plugins found through ${dir}/deno.json\n`);
    const resolve = await runCli(dir, ["resolve", "fixture.workspace"]);
    assert.equal(resolve.code, 1);
    assert.match(
      resolve.stderr,
      new RegExp(`^error: ${RegExp.escape(warning("alpha"))}$`, "m"),
    );
    // plux index at the root indexes both, the one without plugins too.
    const index = await runCli(dir, ["index"]);
    assert.equal(index.code, 0, index.stderr);
    assert.match(
      index.stdout,
      /\(packages\/empty\): 0 plugins in 0 namespaces; wrote plux\.json/,
    );
    const again = await runCli(dir, ["list"]);
    assert.equal(again.stderr, "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
