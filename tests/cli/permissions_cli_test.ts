// The command line's own missing permissions, as a user meets them: each is
// one line naming the package or file and the exact flag (never Deno's raw
// "Requires ... access" text), nothing is half written, and a flag the
// indexer needs is given where the user runs it: the task in deno.json.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  copyFixture,
  readOrUndefined,
  REPO,
  runCli,
  runDenoIn,
} from "./_fixture.ts";

const LIB = `--allow-read=${REPO}`;

/** The lines a run printed on stderr. */
function lines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line !== "");
}

async function withFixture(
  name: string,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await copyFixture(name);
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("plux index without write access writes nothing and names both files and the flag in one line", async () => {
  await withFixture("plain", async (dir) => {
    const config = await Deno.readTextFile(join(dir, "deno.json"));
    const expected = (denied: string) =>
      `error: @fixture/plain@1.0.0 (.): cannot write ${denied} (its ` +
      `"exports" must list "./plux.json"), so nothing was written: run ` +
      "`plux index` with --allow-write=plux.json,deno.json";
    const none = await runCli(dir, ["index"], [`--allow-read=.,${REPO}`]);
    assert.equal(none.code, 1);
    assert.deepEqual(lines(none.stderr), [
      expected(`${dir}/plux.json and ${dir}/deno.json`),
    ]);
    // Write access to plux.json only: still nothing, or the index would
    // not be served by "exports".
    const half = await runCli(dir, ["index"], [
      `--allow-read=.,${REPO}`,
      "--allow-write=plux.json",
    ]);
    assert.equal(half.code, 1);
    assert.deepEqual(lines(half.stderr), [expected(`${dir}/deno.json`)]);
    assert.equal(await readOrUndefined(join(dir, "plux.json")), undefined);
    assert.equal(await Deno.readTextFile(join(dir, "deno.json")), config);
    // The flag as given is the fix.
    const fixed = await runCli(dir, ["index"], [
      `--allow-read=.,${REPO}`,
      "--allow-write=plux.json,deno.json",
    ]);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.notEqual(await readOrUndefined(join(dir, "plux.json")), undefined);
  });
});

Deno.test("deno task plux:index without a flag it needs is told to add it to the task in deno.json", async () => {
  await withFixture("plain", async (dir) => {
    const file = join(dir, "deno.json");
    const config = JSON.parse(await Deno.readTextFile(file));
    // The local library instead of jsr:, and no --allow-write.
    config.tasks = {
      "plux:index":
        `deno run --allow-read=.,${REPO} --config deno.json ${REPO}cli.ts index`,
    };
    await Deno.writeTextFile(file, JSON.stringify(config, null, 2));
    // A module that reads an env var at import.
    await Deno.writeTextFile(
      join(dir, "src/env.ts"),
      'export const mode = Deno.env.get("PLUX_MODE");\n',
    );
    const task = await runDenoIn(dir, ["task", "plux:index"]);
    assert.equal(task.code, 1);
    const errors = lines(task.stderr).filter((l) => l.startsWith("error:"));
    assert.deepEqual(errors, [
      "error: @fixture/plain@1.0.0 (.): ./src/env.ts failed to import: " +
      'Requires env access to "PLUX_MODE", run again with the --allow-env ' +
      `flag; add --allow-env=PLUX_MODE to the "plux:index" task in ${file}`,
    ]);
    // Without the module: the write access, in the task too.
    await Deno.remove(join(dir, "src/env.ts"));
    const write = await runDenoIn(dir, ["task", "plux:index"]);
    assert.equal(write.code, 1);
    assert.match(
      write.stderr,
      new RegExp(
        'so nothing was written: add --allow-write=plux\\.json,deno\\.json to the "plux:index" task in ' +
          `${RegExp.escape(file)}\n`,
      ),
    );
    // A task that grants it already is not what ran: the command line did.
    config.tasks["plux:index"] = config.tasks["plux:index"].replace(
      " --config",
      " --allow-write=plux.json,deno.json --config",
    );
    await Deno.writeTextFile(file, JSON.stringify(config, null, 2));
    const direct = await runCli(dir, ["index"], [`--allow-read=.,${REPO}`]);
    assert.equal(direct.code, 1);
    assert.match(
      direct.stderr,
      new RegExp(
        "so nothing was written: run `plux index` with " +
          '--allow-write=plux\\.json,deno\\.json \\(as the "plux:index" task in ' +
          `${RegExp.escape(file)} does\\)\n`,
      ),
    );
    const task2 = await runDenoIn(dir, ["task", "plux:index"]);
    assert.equal(task2.code, 0, task2.stderr);
  });
});

Deno.test("plux init, list, resolve and index without read access, and init without write access, name the folder or file and the flag", async () => {
  await withFixture("plain", async (dir) => {
    const config = await Deno.readTextFile(join(dir, "deno.json"));
    const cases: [string[], string][] = [
      [["list"], "list"],
      [["resolve", "fixture.services"], "resolve"],
      [["init"], "init"],
      [["index"], "index"],
      [["discover"], "discover"],
    ];
    for (const [args, command] of cases) {
      const result = await runCli(dir, args, [LIB]);
      assert.equal(result.code, 1, command);
      const where = command === "init"
        ? `the package folder ${dir}`
        : `${dir}, where it looks for deno.json`;
      const task = command === "index"
        ? ' (in the "plux:index" task of deno.json if you run `deno task ' +
          "plux:index`)"
        : "";
      assert.deepEqual(lines(result.stderr), [
        `error: plux ${command} may not read ${where}: run \`plux ${command}\` ` +
        `with --allow-read=.${task}`,
      ]);
    }
    const init = await runCli(dir, ["init"], [`--allow-read=.,${REPO}`]);
    assert.equal(init.code, 1);
    assert.deepEqual(lines(init.stderr), [
      `error: plux init may not write ${dir}/deno.json of @fixture/plain ` +
      `(${dir}), so nothing was written: run \`plux init\` with ` +
      "--allow-write=deno.json",
    ]);
    assert.equal(await Deno.readTextFile(join(dir, "deno.json")), config);
  });
});

Deno.test("plux list --config of an application outside what may be read names its folder, quoted when it has a space", async () => {
  await withFixture("plain", async (dir) => {
    const app = join(dir, "my app");
    await Deno.mkdir(app);
    await Deno.writeTextFile(join(app, "deno.json"), "{}");
    const sub = join(dir, "sub");
    await Deno.mkdir(sub);
    const result = await runDenoIn(sub, [
      "run",
      `--allow-read=${sub},${REPO}`,
      "--config",
      join(dir, "deno.json"),
      `${REPO}cli.ts`,
      "list",
      "--config",
      "../my app",
    ]);
    assert.equal(result.code, 1);
    assert.deepEqual(lines(result.stderr), [
      `error: plux list may not read ${app} (--config ../my app): run ` +
      `\`plux list\` with --allow-read='${app}'`,
    ]);
  });
});

Deno.test("plux list and plux resolve name themselves in the flags a package or plugin module needs, not the application", async () => {
  await withFixture("plain", async (dir) => {
    // A package mapped from outside the application's folder.
    const outside = await Deno.makeTempDir({ prefix: "plux_outside_" });
    try {
      await Deno.writeTextFile(
        join(outside, "plux.json"),
        JSON.stringify({
          version: 1,
          plugins: {
            "fixture.env": [{ name: "e", export: "e", path: "./e.ts" }],
          },
        }),
      );
      await Deno.writeTextFile(
        join(outside, "e.ts"),
        'import { plugin } from "@plux/core";\n' +
          'Deno.env.get("PLUX_SECRET");\n' +
          'export const e = plugin({ namespace: "fixture.env", name: "e" }, () => 1);\n',
      );
      const file = join(dir, "deno.json");
      const config = JSON.parse(await Deno.readTextFile(file));
      config.imports["outside/"] = `${outside}/`;
      await Deno.writeTextFile(file, JSON.stringify(config, null, 2));
      const list = await runCli(dir, ["list"], [`--allow-read=.,${REPO}`]);
      assert.equal(list.code, 0, list.stderr);
      assert.match(
        list.stderr,
        new RegExp(
          `^warning: package "outside/" \\(${outside}/\\): cannot read .*; run \`plux list\` with --allow-read=${outside} \\(or a folder that contains it\\)$`,
          "m",
        ),
      );
      const resolve = await runCli(dir, ["resolve", "fixture.env"], [
        `--allow-read=.,${REPO},${outside}`,
      ]);
      assert.equal(resolve.code, 1);
      assert.match(
        resolve.stderr,
        /Requires env access to "PLUX_SECRET".*; run `plux resolve` with --allow-env=PLUX_SECRET$/m,
      );
      assert.doesNotMatch(list.stderr + resolve.stderr, /the application/);
    } finally {
      await Deno.remove(outside, { recursive: true });
    }
  });
});

Deno.test("a permission Deno denies the command line itself is one line with the flag, not Deno's text", async () => {
  await withFixture("plain", async (dir) => {
    const result = await runCli(dir, ["registry", "--out", "plugins.gen.ts"], [
      `--allow-read=.,${REPO}`,
    ]);
    assert.equal(result.code, 1);
    assert.deepEqual(lines(result.stderr), [
      `error: plux registry may not write ${dir}/plugins.gen.ts: run ` +
      "`plux registry` with --allow-write=plugins.gen.ts",
    ]);
  });
});
