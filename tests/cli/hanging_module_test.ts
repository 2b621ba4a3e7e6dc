// A plugin module whose top-level await never settles does not stop the
// indexer or plux resolve: it is reported, and the other packages go on.
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO, runCli } from "./_fixture.ts";

const NS = "t.hang";

/** A workspace with members good/ and hung/ (whose module never settles). */
async function workspace(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "plux_hang_cli_" });
  for (
    const [member, body] of [["good", ""], [
      "hung",
      "await new Promise(() => {});\n",
    ]]
  ) {
    await Deno.mkdir(join(dir, member!));
    await Deno.writeTextFile(
      join(dir, member!, "deno.json"),
      JSON.stringify({
        name: `@t/${member}`,
        version: "1.0.0",
        exports: "./mod.ts",
      }),
    );
    await Deno.writeTextFile(
      join(dir, member!, "mod.ts"),
      `import { plugin } from "@plux/core";\n${body}` +
        `export const p = plugin({ namespace: "${NS}", name: "${member}" }, () => "${member}");\n`,
    );
  }
  await Deno.writeTextFile(
    join(dir, "deno.json"),
    JSON.stringify({
      lock: false,
      workspace: ["./good", "./hung"],
      imports: { "@plux/core": join(REPO, "mod.ts") },
    }),
  );
  return dir;
}

Deno.test("plux index --timeout reports a module whose top-level await never settles and indexes the other members", async () => {
  const dir = await workspace();
  try {
    const result = await runCli(dir, ["index", "--timeout", "3"]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stderr,
      /\.\/mod\.ts failed to import: it did not finish importing within 3 s: a top-level await in it, or in a module it imports, does not settle \(raise the limit with --timeout SECONDS if it is only slow\)/,
    );
    const good = JSON.parse(
      await Deno.readTextFile(join(dir, "good", "plux.json")),
    );
    assert.deepEqual(Object.keys(good.plugins), [NS]);
    await assert.rejects(
      Deno.stat(join(dir, "hung", "plux.json")),
      Deno.errors.NotFound,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux resolve --timeout reports the plugin whose module never settles, and the others as ok", async () => {
  const dir = await workspace();
  try {
    // Index each member on its own (the hung one by hand).
    assert.equal((await runCli(join(dir, "good"), ["index"])).code, 0);
    await Deno.writeTextFile(
      join(dir, "hung", "plux.json"),
      JSON.stringify({
        version: 1,
        plugins: {
          [NS]: [{ name: "hung", export: "p", subpath: ".", path: "./mod.ts" }],
        },
      }),
    );
    const result = await runCli(dir, ["resolve", NS, "--timeout", "3"]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /^ {2}good: ok, /m);
    assert.match(result.stdout, /^ {2}hung: FAILED, /m);
    assert.match(
      result.stderr,
      /t\.hang:hung: .*the import of its module did not finish within 3000 ms/,
    );
    const usage = await runCli(dir, ["resolve", NS, "--timeout", "soon"]);
    assert.equal(usage.code, 2);
    assert.match(
      usage.stderr,
      /--timeout takes a number of seconds greater than 0, got "soon"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
