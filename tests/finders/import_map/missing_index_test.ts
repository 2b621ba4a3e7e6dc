// A forgotten `deno task plux:index`: a local package whose config says it
// offers plugins but that has no plux.json is reported with the command that
// writes it; packages that say nothing of plugins are still skipped quietly.
import assert from "node:assert/strict";
import { join } from "node:path";
import { ImportMapFinder } from "../../../src/finders/import_map/import_map_finder.ts";
import { expectsIndex } from "../../../src/index/expects_index.ts";

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

Deno.test("ImportMapFinder says `deno task plux:index` in the member when only the workspace root has the task, and leaves the root itself alone", async () => {
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
      `\`deno task plux:index\` in ${dir}/member`,
    ]);
    // Once indexed, nothing is reported.
    await write(dir, "member/plux.json", { version: 1, plugins: {} });
    assert.deepEqual(await problemsOf(join(dir, "deno.json")), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
