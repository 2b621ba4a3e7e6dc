import assert from "node:assert/strict";
import config from "../../deno.json" with { type: "json" };
import { main } from "../../cli.ts";
import { CLI } from "./_fixture.ts";

async function run(args: string[], cwd?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    cwd,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

Deno.test("main() prints the version from deno.json", async () => {
  const result = await run(["--version"]);
  assert.equal(result.code, 0);
  assert.equal(result.out, `plux (@plux/core) ${config.version}`);
});

Deno.test("main() prints help for the overview and every command", async (t) => {
  const overview = await run(["--help"]);
  assert.equal(overview.code, 0);
  assert.match(overview.out, /Usage: plux <command>/);
  for (const command of ["init", "index", "discover", "list", "resolve"]) {
    await t.step(command, async () => {
      const result = await run([command, "--help"]);
      assert.equal(result.code, 0);
      assert.match(result.out, new RegExp(`^Usage: plux ${command}`));
    });
  }
});

Deno.test("main() prints a command's help for plux help <command>", async (t) => {
  for (
    const command of [
      "init",
      "index",
      "discover",
      "list",
      "resolve",
      "registry",
    ]
  ) {
    await t.step(command, async () => {
      const result = await run(["help", command]);
      assert.equal(result.code, 0);
      assert.equal(result.out, (await run([command, "--help"])).out);
      assert.match(result.out, new RegExp(`^Usage: plux ${command}`));
    });
  }
  const overview = await run(["help"]);
  assert.equal(overview.code, 0);
  assert.match(overview.out, /^plux: index, list/);
});

Deno.test("main() exits 2 with the usage on a wrong command line", async (t) => {
  const cases: [string[], RegExp][] = [
    [[], /error: no command given/],
    [["frobnicate"], /error: unknown command "frobnicate"/],
    [["--bogus"], /error: unknown option --bogus/],
    [["index", "--bogus"], /^error: unknown option --bogus\n/],
    [["list", "-x"], /^error: unknown option -x\n/],
    [["index", "--config"], /^error: --config needs a value\n/],
    [["index", "--config", "--help"], /^error: --config needs a value\n/],
    [["index", "--check=yes"], /^error: --check takes no value\n/],
    [["help", "frobnicate"], /error: unknown command "frobnicate"/],
    [["constructor"], /error: unknown command "constructor"/],
    [["index", "extra"], /error: unexpected argument "extra"/],
    [["resolve"], /error: resolve needs a namespace/],
    [["list", "a", "b"], /error: unexpected argument "b"/],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" ") || "(nothing)", async () => {
      const result = await run(args);
      assert.equal(result.code, 2);
      assert.match(result.err, message);
      assert.match(result.err, /Usage: plux/);
    });
  }
});

Deno.test("main() reports a missing config in one line, exit 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const result = await run(["index", "--config", "nope.json"], dir);
    assert.equal(result.code, 1);
    assert.equal(
      result.err,
      `error: --config nope.json: ${dir}/nope.json does not exist; pass a ` +
        "deno.json or deno.jsonc, or the folder that holds one",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main() takes a folder for --config: the config inside it, or a message saying the folder holds none", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await Deno.mkdir(`${dir}/plugins/greeters`, { recursive: true });
    await Deno.mkdir(`${dir}/plugins/empty`);
    await Deno.writeTextFile(`${dir}/plugins/greeters/deno.jsonc`, "{}");
    for (const command of ["list", "index"]) {
      const found = await run([command, "--config", "plugins/greeters"], dir);
      assert.equal(found.code, 0, found.err);
      assert.doesNotMatch(found.err, /does not exist/);
    }
    const listed = await run(["list", "--config", "plugins/greeters"], dir);
    assert.equal(
      listed.out,
      `no plugins found through ${dir}/plugins/greeters/deno.jsonc`,
    );
    const empty = await run(["list", "--config", "plugins/empty"], dir);
    assert.equal(empty.code, 1);
    assert.equal(
      empty.err,
      `error: --config plugins/empty: the folder ${dir}/plugins/empty holds ` +
        "no deno.json or deno.jsonc; pass a config file, or the folder that holds one",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli.ts exits 2 on an unknown command when run as a program", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", CLI, "nope"],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 2);
  assert.match(
    new TextDecoder().decode(output.stderr),
    /^error: unknown command "nope"\n/,
  );
});
