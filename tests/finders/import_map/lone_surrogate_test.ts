// A jsr: package whose index names a subpath, a plugin or an export holding
// a lone surrogate ("\ud800", which JSON allows and no file name or URL can
// hold): the entry is refused with a problem naming the index and the entry,
// and everything else works, in the command line and in an application.
import assert from "node:assert/strict";
import { join } from "node:path";
import { runDeno } from "../../support/deno_run.ts";
import { startPackageServers } from "../../support/package_servers.ts";
import { REPO } from "./_remote_app.ts";

const NS = "t.odd";
const CLI = join(REPO, "cli.ts");

/** A JSR package with one good plugin and three entries with lone surrogates. */
async function oddPackage(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "plux_odd_pkg_" });
  await Deno.writeTextFile(
    join(dir, "deno.json"),
    JSON.stringify({
      name: "@fixture/odd",
      version: "1.0.0",
      exports: { ".": "./mod.ts", "./plux.json": "./plux.json" },
    }),
  );
  await Deno.writeTextFile(
    join(dir, "mod.ts"),
    `import { plugin } from "jsr:@plux/core@^0.1";\n` +
      `export const good = plugin({ namespace: "${NS}", name: "good" }, () => "good");\n`,
  );
  // JSON.stringify writes each lone surrogate as the escape \ud800.
  await Deno.writeTextFile(
    join(dir, "plux.json"),
    JSON.stringify({
      version: 1,
      package: { name: "@fixture/odd", version: "1.0.0" },
      plugins: {
        [NS]: [
          { name: "good", export: "good", subpath: "." },
          { name: "bad-subpath", export: "good", subpath: "./\ud800" },
          { name: "bad\udc00name", export: "good", subpath: "." },
          { name: "bad-export", export: "go\ud800od", subpath: "." },
        ],
      },
    }),
  );
  return dir;
}

Deno.test("a jsr: index with lone surrogates: plux list --json, plux registry and loadAll() with a value filter refuse those entries by name and keep the others", async () => {
  const pkg = await oddPackage();
  const app = await Deno.makeTempDir({ prefix: "plux_odd_app_" });
  const denoDir = await Deno.makeTempDir({ prefix: "plux_deno_dir_" });
  try {
    await using servers = await startPackageServers({ jsr: [pkg] });
    await Deno.writeTextFile(
      join(app, "deno.json"),
      JSON.stringify({
        lock: false,
        imports: {
          "@plux/core": new URL("mod.ts", `file://${REPO}`).href,
          "@fixture/odd": "jsr:@fixture/odd@^1",
        },
      }),
    );
    const run = (args: string[]) =>
      runDeno(["run", "--no-lock", `--allow-read=${app}`, ...args], {
        cwd: app,
        env: servers.env,
        denoDir,
      });
    const index = `jsr:@fixture/odd@^1/plux.json`;
    const assertRefused = (stderr: string) => {
      for (
        const entry of [
          String.raw`${NS}:bad-subpath has subpath "./\ud800"`,
          String.raw`${NS}:bad\udc00name has a name`,
          String.raw`${NS}:bad-export has export "go\ud800od"`,
        ]
      ) {
        const line = stderr.split("\n").find((l) => l.includes(entry));
        assert.ok(line, `no problem line names ${entry}:\n${stderr}`);
        assert.ok(line.includes(index), `the line names no index: ${line}`);
        assert.match(line, /not well-formed Unicode/);
      }
      assert.doesNotMatch(stderr, /URI malformed/);
    };

    const list = await run([CLI, "list", "--json"]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      JSON.parse(list.stdout).map((row: { name: string }) => row.name),
      ["good"],
    );
    assertRefused(list.stderr);

    const registry = await run([
      `--allow-write=${app}`,
      CLI,
      "registry",
      "--out",
      "plugins.gen.ts",
    ]);
    assert.equal(registry.code, 0, registry.stderr);
    assertRefused(registry.stderr);
    const generated = await Deno.readTextFile(join(app, "plugins.gen.ts"));
    assert.match(generated, /name: "good"/);
    assert.doesNotMatch(generated, /bad/);

    await Deno.writeTextFile(
      join(app, "app.ts"),
      `import { MatchingPluginFilter, PluginManager } from "@plux/core";
const filter = new MatchingPluginFilter();
filter.addExclusion({ value: "*nothing*" });
const manager = new PluginManager("${NS}", { filters: [filter] });
const loaded = await manager.loadAll();
console.log(JSON.stringify(loaded.map((p) => p.name ?? String(p))), JSON.stringify(await manager.listNames()));
`,
    );
    const loaded = await run([app + "/app.ts"]);
    assert.equal(loaded.code, 0, loaded.stderr);
    assert.match(loaded.stdout, /\["good"\]\n?$/);
    assertRefused(loaded.stderr);
  } finally {
    for (const dir of [pkg, app, denoDir]) {
      await Deno.remove(dir, { recursive: true });
    }
  }
});
