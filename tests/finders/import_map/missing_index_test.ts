// A forgotten `deno task plux:index`: a local package whose config says it
// offers plugins, or a workspace member whose modules declare plugins in a
// workspace that uses the library, but that has no plux.json is reported
// with the command that writes it; packages that say nothing of plugins are
// still skipped quietly.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ImportMapFinder } from "../../../src/finders/import_map/import_map_finder.ts";
import { expectsIndex, indexTaskOf } from "../../../src/index/expects_index.ts";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));

const TASK = "deno run --allow-read=. --allow-write=plux.json,deno.json " +
  "jsr:@plux/core@^0.1.0/cli index";

async function write(dir: string, path: string, data: unknown) {
  await Deno.mkdir(join(dir, path, ".."), { recursive: true });
  await Deno.writeTextFile(join(dir, path), JSON.stringify(data));
}

async function problemsOf(config: string): Promise<string[]> {
  const problems: string[] = [];
  await new ImportMapFinder({ config }).findPlugins({
    report: (error) => problems.push(error.message),
  });
  return problems;
}

Deno.test("expectsIndex() tells packages meant to offer plugins by their config", () => {
  assert.equal(
    expectsIndex({ tasks: { "plux:index": TASK } }),
    'has a "plux:index" task',
  );
  assert.equal(expectsIndex({ plux: { exclude: [] } }), 'has "plux" settings');
  assert.equal(
    expectsIndex({ imports: { core: "jsr:@plux/core@^0.1.0" } }),
    'maps "core" in its "imports"',
  );
  assert.equal(
    expectsIndex({ imports: { "@plux/core": "../plux/mod.ts" } }),
    'maps "@plux/core" in its "imports"',
  );
  // The application maps the library to use it; a workspace root without
  // exports is indexed member by member; other packages say nothing.
  assert.equal(
    expectsIndex({ imports: { "@plux/core": "jsr:@plux/core" } }, true),
    undefined,
  );
  assert.equal(
    expectsIndex({ workspace: ["./a"], tasks: { "plux:index": TASK } }),
    undefined,
  );
  assert.equal(
    expectsIndex({ imports: { x: "jsr:@plux/corex@1", y: "npm:chalk" } }),
    undefined,
  );
  assert.equal(expectsIndex({ name: "@a/b", exports: "./mod.ts" }), undefined);
  // A package whose exports serve the index says it ships one.
  for (
    const exports of [
      { ".": "./mod.ts", "./plux.json": "./plux.json" },
      { "./index": "plux.json" },
      "./plux.json",
    ]
  ) {
    assert.equal(
      expectsIndex({ name: "@a/b", exports }),
      'lists "./plux.json" in its "exports"',
    );
  }
});

Deno.test("indexTaskOf() names the task that runs the indexer: plux:index, else one running plux index", () => {
  assert.equal(
    indexTaskOf({ tasks: { "plux:index": "x", i: TASK } }),
    "plux:index",
  );
  assert.equal(
    indexTaskOf({
      tasks: {
        start: "deno run main.ts",
        index: "deno run --allow-read=../.. --allow-write=. ../../cli.ts index",
      },
    }),
    "index",
  );
  assert.equal(
    indexTaskOf({
      tasks: {
        idx: { command: "deno run -A jsr:@plux/core/cli index --check" },
      },
    }),
    "idx",
  );
  assert.equal(
    indexTaskOf({ tasks: { a: "deno run mycli index", b: "plux indexer" } }),
    undefined,
  );
  assert.equal(indexTaskOf({}), undefined);
});

Deno.test("ImportMapFinder reports a workspace member or local package that should have a plux.json and has none, with the command", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await write(dir, "deno.json", {
      workspace: ["./tasked", "./mapped", "./settings", "./plain", "./rooted"],
      imports: { "lib/": "./libs/lib/", "single": "./libs/single/src/mod.ts" },
    });
    await write(dir, "tasked/deno.json", { tasks: { "plux:index": TASK } });
    await write(dir, "mapped/deno.json", {
      imports: { "@plux/core": "jsr:@plux/core@^0.1.0" },
    });
    await write(dir, "settings/deno.json", { plux: { exclude: ["x/"] } });
    await write(dir, "plain/deno.json", {
      name: "@a/plain",
      exports: "./m.ts",
    });
    await write(dir, "rooted/deno.jsonc", { plux: {} });
    await write(dir, "libs/lib/deno.json", {
      imports: { "@plux/core": "npm:@plux/core@0.1" },
    });
    await write(dir, "libs/single/deno.json", {
      tasks: { "plux:index": TASK },
    });
    const problems = await problemsOf(join(dir, "deno.json"));
    const init = "run `deno run --allow-read=. --allow-write=. " +
      "jsr:@plux/core/cli init` in";
    const expected = [
      `workspace member ${dir}/tasked/ has no plux.json, but its deno.json ` +
      `has a "plux:index" task, so it is meant to offer plugins: run ` +
      `\`deno task plux:index\` in ${dir}/tasked`,
      `workspace member ${dir}/mapped/ has no plux.json, but its deno.json ` +
      `maps "@plux/core" in its "imports", so it is meant to offer plugins: ` +
      `${init} ${dir}/mapped to add the plux:index task, then ` +
      "`deno task plux:index` there",
      `workspace member ${dir}/settings/ has no plux.json, but its deno.json ` +
      `has "plux" settings, so it is meant to offer plugins: ${init} ` +
      `${dir}/settings to add the plux:index task, then \`deno task plux:index\` there`,
      `workspace member ${dir}/rooted/ has no plux.json, but its deno.jsonc ` +
      `has "plux" settings, so it is meant to offer plugins: ${init} ` +
      `${dir}/rooted to add the plux:index task, then \`deno task plux:index\` there`,
      `package "lib/" (${dir}/libs/lib/) has no plux.json, but its deno.json ` +
      `maps "@plux/core" in its "imports", so it is meant to offer plugins: ` +
      `${init} ${dir}/libs/lib to add the plux:index task, then ` +
      "`deno task plux:index` there",
      `package "single" (${dir}/libs/single/) has no plux.json, but its ` +
      `deno.json has a "plux:index" task, so it is meant to offer plugins: ` +
      `run \`deno task plux:index\` in ${dir}/libs/single`,
    ];
    assert.deepEqual(problems, expected);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ImportMapFinder says `deno task plux:index` in the workspace root when only the root has the task, and leaves the root itself alone", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await write(dir, "deno.json", {
      workspace: ["./member"],
      tasks: { "plux:index": TASK },
      imports: { "@plux/core": "jsr:@plux/core@^0.1.0" },
    });
    await write(dir, "member/deno.json", { plux: {} });
    assert.deepEqual(await problemsOf(join(dir, "deno.json")), [
      `workspace member ${dir}/member/ has no plux.json, but its deno.json ` +
      `has "plux" settings, so it is meant to offer plugins: run ` +
      `\`deno task plux:index\` in ${dir}`,
    ]);
    // Once indexed, nothing is reported.
    await write(dir, "member/plux.json", { version: 1, plugins: {} });
    assert.deepEqual(await problemsOf(join(dir, "deno.json")), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ImportMapFinder reports a package whose exports list ./plux.json without the file, or with a link to nothing, and a member of a workspace using the library whose modules declare plugins", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const pkg = (name: string) => ({
      name: `@a/${name}`,
      version: "1.0.0",
      exports: { ".": "./mod.ts", "./plux.json": "./plux.json" },
    });
    // The demo's layout: the root maps the library for every member and
    // indexes them with a task that is not called plux:index.
    await write(dir, "deno.json", {
      workspace: ["./checks", "./api", "./declared", "./tested", "./edge"],
      imports: {
        "@plux/core": "jsr:@plux/core@^0.1.0",
        "x/": "./pk/x/",
        "y/": "./pk/y/",
      },
      tasks: { index: "deno run -A jsr:@plux/core/cli index" },
    });
    await write(dir, "checks/deno.json", pkg("checks"));
    // Uses the library, offers no plugins.
    await write(dir, "api/deno.json", { name: "@a/api", exports: "./mod.ts" });
    await Deno.writeTextFile(
      join(dir, "api/mod.ts"),
      'import type { Plugin } from "@plux/core";\nexport type P = Plugin;\n' +
        "// new PluginSpec(...) in a comment is no plugin\n",
    );
    // Declares a plugin two imports below its export.
    await write(dir, "declared/deno.json", {
      name: "@a/declared",
      exports: { ".": "./mod.ts" },
    });
    await Deno.writeTextFile(
      join(dir, "declared/mod.ts"),
      'export * from "./src/index.ts";\n',
    );
    await write(dir, "declared/src/x.json", {});
    await Deno.writeTextFile(
      join(dir, "declared/src/index.ts"),
      'import data from "./x.json" with { type: "json" };\n' +
        'export { greeter } from "./greeter.ts";\n',
    );
    await Deno.writeTextFile(
      join(dir, "declared/src/greeter.ts"),
      'import { PluginSpec } from "@plux/core";\n' +
        'export const greeter = new PluginSpec<G>("a.b", "g", make);\n',
    );
    // Plugins only in a test it does not export, or outside its folder.
    await write(dir, "tested/deno.json", { exports: "./mod.ts" });
    await Deno.writeTextFile(join(dir, "tested/mod.ts"), "export {};\n");
    await Deno.writeTextFile(
      join(dir, "tested/mod_test.ts"),
      'const s = new PluginSpec("a.b", "t", make);\n',
    );
    await write(dir, "edge/deno.json", { exports: "./mod.ts" });
    await Deno.writeTextFile(
      join(dir, "edge/mod.ts"),
      'export * from "../declared/src/greeter.ts";\n',
    );
    // Path-mapped packages: no file, and a link to a file that is gone.
    await write(dir, "pk/x/deno.json", pkg("x"));
    await write(dir, "pk/y/deno.json", pkg("y"));
    await Deno.symlink(
      join(dir, "gone/plux.json"),
      join(dir, "pk/y/plux.json"),
    );
    const problems = await problemsOf(join(dir, "deno.json"));
    const init = "run `deno run --allow-read=. --allow-write=. " +
      "jsr:@plux/core/cli init` in";
    assert.deepEqual(problems, [
      `workspace member ${dir}/checks/ has no plux.json, but its deno.json ` +
      `lists "./plux.json" in its "exports", so it is meant to offer ` +
      `plugins: run \`deno task index\` in ${dir}`,
      `workspace member ${dir}/declared/ has no plux.json, but ` +
      `./src/greeter.ts declares plugins and ${dir}/deno.json maps ` +
      `"@plux/core" for every member, so it is meant to offer plugins: run ` +
      `\`deno task index\` in ${dir}`,
      `package "x/" (${dir}/pk/x/) has no plux.json, but its deno.json lists ` +
      `"./plux.json" in its "exports", so it is meant to offer plugins: ` +
      `${init} ${dir}/pk/x to add the plux:index task, then ` +
      "`deno task plux:index` there",
      `package "y/" (${dir}/pk/y/): ${dir}/pk/y/plux.json is a symbolic link ` +
      `to ${dir}/gone/plux.json, which does not exist: restore that file, or ` +
      `delete the link and ${init} ${dir}/pk/y to add the plux:index task, ` +
      "then `deno task plux:index` there",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ImportMapFinder leaves a member whose modules declare plugins alone when the workspace root neither maps the library nor indexes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await write(dir, "deno.json", { workspace: ["./m"] });
    await write(dir, "m/deno.json", { exports: "./mod.ts" });
    await Deno.writeTextFile(
      join(dir, "m/mod.ts"),
      'export const s = new PluginSpec("a.b", "t", make);\n',
    );
    assert.deepEqual(await problemsOf(join(dir, "deno.json")), []);
    // Once the root indexes its members, the member is reported.
    await write(dir, "deno.json", {
      workspace: ["./m"],
      tasks: { "plux:index": TASK },
    });
    assert.match(
      (await problemsOf(join(dir, "deno.json"))).join("\n"),
      /\.\/mod\.ts declares plugins and .* indexes its members \(task "plux:index"\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the demo with one member's plux.json deleted: the application and plux list name the member and the task that writes it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_demo_" });
  try {
    await new Deno.Command("cp", {
      args: ["-r", `${join(REPO, "examples/supervisor")}/.`, dir],
    }).output();
    const config = join(dir, "deno.json");
    const data = JSON.parse(await Deno.readTextFile(config));
    data.imports["@plux/core"] = join(REPO, "mod.ts");
    await Deno.writeTextFile(config, JSON.stringify(data, null, 2));
    await Deno.remove(join(dir, "packages/checks/plux.json"));
    const expected = `workspace member ${dir}/packages/checks/ has no ` +
      `plux.json, but its deno.json lists "./plux.json" in its "exports", so ` +
      `it is meant to offer plugins: run \`deno task index\` in ${dir}`;
    const run = async (args: string[]) => {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", ...args],
        cwd: dir,
        env: { NO_COLOR: "1" },
        stdin: "null",
      }).output();
      const decode = (b: Uint8Array) => new TextDecoder().decode(b);
      return { stdout: decode(output.stdout), stderr: decode(output.stderr) };
    };
    const app = await run(["--allow-read=.", "main.ts"]);
    assert.ok(app.stdout.includes(expected), app.stdout + app.stderr);
    const list = await run([
      `--allow-read=.,${REPO}`,
      join(REPO, "cli.ts"),
      "list",
    ]);
    assert.ok(
      list.stderr.split("\n").includes(`warning: ${expected}`),
      list.stderr,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
