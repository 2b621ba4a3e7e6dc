import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { withTempDir, writePackage } from "./_plugin_dirs.ts";

const APP = new URL("./_user_plugins_app.ts", import.meta.url).pathname;

/**
 * Writes the application's deno.json beside the plugin directory: it maps
 * `@plux/core` to this repository's mod.ts (and the library's own npm
 * dependencies), as an application's import map would.
 */
async function appConfig(dir: string): Promise<string> {
  const library = JSON.parse(
    await Deno.readTextFile(new URL("../../../deno.json", import.meta.url)),
  );
  const config = join(dir, "..", `${dir.split("/").pop()}-app.json`);
  const imports = {
    ...library.imports,
    "@plux/core": new URL("../../../mod.ts", import.meta.url).href,
  };
  await Deno.writeTextFile(config, JSON.stringify({ imports }));
  return config;
}

async function runApp(dir: string, knownGood: string, write = true) {
  const config = await appConfig(dir);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-lock",
      `--config=${config}`,
      `--allow-read=${dir},${dirname(knownGood)}`,
      ...(write ? [`--allow-write=${dirname(knownGood)}`] : []),
      APP,
      dir,
      knownGood,
    ],
    env: { NO_COLOR: "1" },
  }).output();
  await Deno.remove(config);
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return {
    code: output.code,
    lines: decode(output.stdout).trim().split("\n"),
    stderr: decode(output.stderr),
  };
}

Deno.test("an application with --allow-read for its plugin directory loads user plugins and prints the skipped ones", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "plugins");
    const kg = join(root, "known-good.json");
    const tools = (name: string) => ({ "my-app.tools": [name] });
    // Its module imports "@plux/core" bare, mapped by the application.
    await writePackage(dir, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      plugins: tools("a"),
      bare: true,
    });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      plugins: tools("a"),
      requires: { "my-app": ">=3" },
    });
    await writePackage(dir, "b-1", {
      name: "@u/b",
      version: "1.0.0",
      plugins: tools("b"),
    });
    await writePackage(dir, "b-2", {
      name: "@u/b",
      version: "2.0.0",
      plugins: tools("b"),
      broken: ["b"],
    });
    const outside = await writePackage(root, "outside", {
      name: "@u/x",
      version: "1.0.0",
    });
    await Deno.symlink(outside, join(dir, "x"));

    const first = await runApp(dir, kg);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(first.lines.map((l) => l.replace(/(?<!^note): .*/, "")), [
      "loaded a",
      "loaded b",
      `note: ${join(dir, "x")} skipped (outside)`,
      "note: @u/a@2.0.0 skipped (requirement)",
      "note: @u/b@2.0.0 plugin my-app.tools:b skipped (import)",
      "note: fail-safe mode",
    ]);
    assert.equal(first.lines[0], "loaded a: @u/a@1.0.0");
    assert.equal(first.lines[1], "loaded b: @u/b@1.0.0");
    assert.match(
      first.lines[4]!,
      /broken module of @u\/b@2\.0\.0.*; falling back to @u\/b@1\.0\.0$/,
    );
    assert.match(
      first.lines[5]!,
      /2 failure\(s\), but no known-good set has been recorded yet in /,
    );
    assert.deepEqual(JSON.parse(await Deno.readTextFile(kg)).packages, [
      { name: "@u/a", version: "1.0.0" },
      { name: "@u/b", version: "1.0.0" },
    ]);

    // A new package: the directory still has problems, so the recorded set is used.
    await writePackage(dir, "c-1", {
      name: "@u/c",
      version: "1.0.0",
      plugins: tools("c"),
    });
    const second = await runApp(dir, kg);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(second.lines.slice(0, 2), [
      "loaded a: @u/a@1.0.0",
      "loaded b: @u/b@1.0.0",
    ]);
    assert.match(
      second.lines.join("\n"),
      /fail-safe mode: the plugin directories have 2 failure\(s\); using the known-good set recorded in .*known-good\.json instead/,
    );
    assert.match(
      second.lines.join("\n"),
      /@u\/c@1\.0\.0 skipped \(known-good\): left out: the package is not in the known-good set/,
    );
  });
});

Deno.test("an application without --allow-write for its known-good folder gets a problem naming the flags, and keeps its old set", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", {
      name: "@u/a",
      version: "1.0.0",
      plugins: { "my-app.tools": ["a"] },
    });
    const kg = join(dir, "..", `${dir.split("/").pop()}.json`);
    const result = await runApp(dir, kg, false);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.lines[0], "loaded a: @u/a@1.0.0");
    const folder = dirname(kg);
    assert.equal(
      result.lines.at(-1),
      `note: known-good set not recorded: cannot write the known-good set ${kg}: ` +
        `Requires write access to "${folder}", which was not granted; run the ` +
        `application with --allow-read=${folder} --allow-write=${folder} (the set ` +
        "is written to a temporary file there, then renamed over the file)",
    );
    await assert.rejects(Deno.stat(kg), Deno.errors.NotFound);
  });
});

Deno.test("an application without --allow-read for its plugin directory prints the flag to add", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "plugins");
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    const kg = join(root, "known-good.json");
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-lock",
        `--config=${await appConfig(dir)}`,
        `--allow-read=${kg}`,
        `--allow-write=${kg}`,
        APP,
        dir,
        kg,
      ],
      env: { NO_COLOR: "1" },
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    assert.equal(output.code, 0);
    assert.match(
      stdout,
      new RegExp(
        `^note: ${dir} skipped \\(invalid\\): the plugin directory cannot be read: .*; run the application with --allow-read=${dir} `,
        "m",
      ),
    );
  });
});
