import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { copyFixture, readOrUndefined, REPO, runCli } from "./_fixture.ts";

const PLUX = `{
  "version": 1,
  "package": {
    "name": "@fixture/plain",
    "version": "1.0.0"
  },
  "plugins": {
    "fixture.commands": [
      {
        "name": "greet",
        "export": "greet",
        "subpath": ".",
        "path": "./mod.ts"
      }
    ],
    "fixture.services": [
      {
        "name": "memory",
        "export": "memory",
        "subpath": ".",
        "path": "./mod.ts"
      },
      {
        "name": "redis",
        "export": "RedisService",
        "subpath": "./redis",
        "path": "./src/redis.ts",
        "metadata": {
          "description": "Redis cache"
        }
      }
    ]
  }
}
`;

Deno.test("plux index writes plux.json and the exports entry, and a second run changes nothing", async () => {
  const dir = await copyFixture("plain");
  try {
    const first = await runCli(dir, ["index"]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /@fixture\/plain@1\.0\.0 \(\.\): 3 plugins in 2 namespaces; wrote plux\.json, deno\.json/,
    );
    // Re-exports are one entry each, at the most specific exported module;
    // tests/ and *_test.ts files (which throw) were not imported.
    assert.equal(await Deno.readTextFile(join(dir, "plux.json")), PLUX);
    const config = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
    assert.equal(config.exports["./plux.json"], "./plux.json");
    const files = async () => [
      await Deno.readTextFile(join(dir, "plux.json")),
      await Deno.readTextFile(join(dir, "deno.json")),
    ];
    const before = await files();
    const second = await runCli(dir, ["index"]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /plux\.json is up to date/);
    assert.deepEqual(await files(), before);
    const check = await runCli(dir, ["index", "--check"]);
    assert.equal(check.code, 0, check.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index --check writes nothing and exits 1 naming what is stale", async (t) => {
  const dir = await copyFixture("plain");
  try {
    await t.step("without plux.json and exports entry", async () => {
      const result = await runCli(dir, ["index", "--check"]);
      assert.equal(result.code, 1);
      assert.match(result.stdout, /plux\.json is missing/);
      assert.match(result.stdout, /deno\.json does not list "\.\/plux\.json"/);
      assert.match(result.stderr, /the index is stale/);
      assert.equal(await readOrUndefined(join(dir, "plux.json")), undefined);
    });
    await t.step("after the code gained a plugin", async () => {
      assert.equal((await runCli(dir, ["index"])).code, 0);
      await Deno.writeTextFile(
        join(dir, "src/extra.ts"),
        `import { plugin } from "@plux/core";\n` +
          `export const extra = plugin({ namespace: "fixture.commands" }, function extra() {});\n`,
      );
      const result = await runCli(dir, ["index", "--check"]);
      assert.equal(result.code, 1);
      assert.match(
        result.stdout,
        /plux\.json: plugin fixture\.commands:extra is missing \(export extra of \.\/src\/extra\.ts\)/,
      );
      assert.equal(await Deno.readTextFile(join(dir, "plux.json")), PLUX);
    });
    await t.step("after a plugin moved", async () => {
      await Deno.remove(join(dir, "src/extra.ts"));
      const text = await Deno.readTextFile(join(dir, "plux.json"));
      await Deno.writeTextFile(
        join(dir, "plux.json"),
        text.replace('"subpath": "./redis"', '"subpath": "./old"'),
      );
      const result = await runCli(dir, ["index", "--check"]);
      assert.equal(result.code, 1);
      assert.match(
        result.stdout,
        /plugin fixture\.services:redis has subpath "\.\/old", the code gives "\.\/redis"/,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index edits deno.jsonc in place, keeping comments, and warns about .gitignore", async () => {
  const dir = await copyFixture("jsonc");
  try {
    const before = await Deno.readTextFile(join(dir, "deno.jsonc"));
    const result = await runCli(dir, ["index"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      await Deno.readTextFile(join(dir, "deno.jsonc")),
      before.replace(
        `    ".": "./mod.ts", // the main module\n`,
        `    ".": "./mod.ts", // the main module\n    "./plux.json": "./plux.json",\n`,
      ),
    );
    assert.match(
      result.stderr,
      /warning: @fixture\/jsonc@2\.0\.0 \(\.\): plux\.json is ignored by \.gitignore \(pattern "plux\.json"\), so `deno publish` would leave it out/,
    );
    const index = JSON.parse(await Deno.readTextFile(join(dir, "plux.json")));
    assert.deepEqual(index.plugins["fixture.jsonc"], [
      { name: "hello", export: "hello", subpath: ".", path: "./mod.ts" },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index at a workspace root indexes every member with plugins", async () => {
  const dir = await copyFixture("workspace");
  try {
    const result = await runCli(dir, ["index"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /packages\/empty: no plugins, skipped/);
    assert.match(
      result.stdout,
      /@fixture\/alpha@0\.1\.0 \(packages\/alpha\): 1 plugin in 1 namespace; wrote plux\.json, deno\.json/,
    );
    assert.match(
      result.stdout,
      /@fixture\/beta@0\.2\.0 \(packages\/beta\): 1 plugin/,
    );
    const beta = JSON.parse(
      await Deno.readTextFile(join(dir, "packages/beta/plux.json")),
    );
    assert.deepEqual(beta.plugins["fixture.workspace"], [
      { name: "beta", export: "default", subpath: ".", path: "./mod.ts" },
    ]);
    // A string `exports` became an object.
    const config = JSON.parse(
      await Deno.readTextFile(join(dir, "packages/beta/deno.json")),
    );
    assert.deepEqual(config.exports, {
      ".": "./mod.ts",
      "./plux.json": "./plux.json",
    });
    assert.equal(
      await readOrUndefined(join(dir, "packages/empty/plux.json")),
      undefined,
    );
    assert.equal(await readOrUndefined(join(dir, "plux.json")), undefined);
    const check = await runCli(dir, ["index", "--check"]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index at a workspace root indexes a member whose exports list ./plux.json though it has no plugins yet, so discovery stops reporting it", async () => {
  const dir = await copyFixture("workspace");
  try {
    const file = join(dir, "packages/empty/deno.json");
    const config = JSON.parse(await Deno.readTextFile(file));
    config.exports = { ".": "./mod.ts", "./plux.json": "./plux.json" };
    await Deno.writeTextFile(file, JSON.stringify(config, null, 2));
    const before = await runCli(dir, ["list"]);
    assert.match(
      before.stderr,
      /packages\/empty\/ has no plux\.json, but its deno\.json lists "\.\/plux\.json"/,
    );
    const result = await runCli(dir, ["index"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /@fixture\/empty@0\.0\.1 \(packages\/empty\): 0 plugins in 0 namespaces; wrote plux\.json\n/,
    );
    const after = await runCli(dir, ["list"]);
    assert.doesNotMatch(after.stderr, /packages\/empty/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index says what a package without name and exports lacks to be imported by others", async () => {
  const dir = await copyFixture("plain");
  try {
    const file = join(dir, "deno.json");
    const config = JSON.parse(await Deno.readTextFile(file));
    delete config.name;
    delete config.version;
    delete config.exports;
    await Deno.writeTextFile(file, JSON.stringify(config, null, 2));
    const text = await Deno.readTextFile(file);
    const result = await runCli(dir, ["index"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stderr.trimEnd().split("\n").at(-1),
      `warning: ${basename(dir)}: deno.json has no "name" and no "exports", ` +
        "so plux.json is read from disk only (by the application it belongs " +
        'to); for a package that others import, add "name", "version" and ' +
        '"exports" (plux init says how): plux index then lists ' +
        '"./plux.json" in "exports"',
    );
    assert.notEqual(await readOrUndefined(join(dir, "plux.json")), undefined);
    assert.equal(await Deno.readTextFile(file), text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index warns about a plugin whose module is not exported", async () => {
  const dir = await copyFixture("hidden");
  try {
    const result = await runCli(dir, ["index"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /plugin fixture\.hidden:internal is exported only by \.\/src\/internal\.ts, which is not in "exports".*add "\.\/internal": "\.\/src\/internal\.ts" to "exports"/,
    );
    const index = JSON.parse(await Deno.readTextFile(join(dir, "plux.json")));
    assert.deepEqual(index.plugins["fixture.hidden"], [
      { name: "internal", export: "Internal", path: "./src/internal.ts" },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index fails on two plugins with the same name, naming both", async () => {
  const dir = await copyFixture("duplicate");
  try {
    const config = await Deno.readTextFile(join(dir, "deno.json"));
    const result = await runCli(dir, ["index"]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /error: @fixture\/duplicate@1\.0\.0 \(\.\): two different plugins are named fixture\.dup:same: \.\/src\/a\.ts \(export one\) and \.\/src\/b\.ts \(export two\)/,
    );
    assert.equal(await readOrUndefined(join(dir, "plux.json")), undefined);
    assert.equal(await Deno.readTextFile(join(dir, "deno.json")), config);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index reports a module that throws, and passes once it is excluded", async () => {
  const dir = await copyFixture("throws");
  try {
    const result = await runCli(dir, ["index"]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /error: @fixture\/throws@1\.0\.0 \(\.\): \.\/src\/broken\.ts failed to import: broken on purpose; fix it, or add it to "plux": \{ "exclude": \[\.\.\.\] \}/,
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /); // no stack without --verbose
    assert.equal(await readOrUndefined(join(dir, "plux.json")), undefined);
    const verbose = await runCli(dir, ["index", "--verbose"]);
    assert.equal(verbose.code, 1);
    assert.match(verbose.stderr, /broken\.ts:1/);

    const file = join(dir, "deno.json");
    const config = JSON.parse(await Deno.readTextFile(file));
    config.plux = { exclude: ["src/broken.ts"] };
    await Deno.writeTextFile(file, JSON.stringify(config, null, 2) + "\n");
    const excluded = await runCli(dir, ["index"]);
    assert.equal(excluded.code, 0, excluded.stderr);
    assert.match(excluded.stdout, /1 plugin in 1 namespace; wrote plux\.json/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index runs with read of the package and write of plux.json and deno.json only", async () => {
  const dir = await copyFixture("plain");
  try {
    const result = await runCli(dir, ["index"], [
      `--allow-read=${dir},${REPO}`,
      `--allow-write=${join(dir, "plux.json")},${join(dir, "deno.json")}`,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await Deno.readTextFile(join(dir, "plux.json")), PLUX);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux discover prints what index would write, without writing", async () => {
  const dir = await copyFixture("plain");
  try {
    const config = await Deno.readTextFile(join(dir, "deno.json"));
    const human = await runCli(dir, ["discover"]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(
      human.stdout,
      /fixture\.services\n {4}memory: memory of \. \(\.\/mod\.ts\)\n {4}redis: RedisService of \.\/redis \(\.\/src\/redis\.ts\)/,
    );
    const json = await runCli(dir, ["discover", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { ".": JSON.parse(PLUX) });
    assert.equal(await readOrUndefined(join(dir, "plux.json")), undefined);
    assert.equal(await Deno.readTextFile(join(dir, "deno.json")), config);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux discover --json prints only JSON on stdout when a workspace member is skipped", async () => {
  const dir = await copyFixture("workspace");
  try {
    const result = await runCli(dir, ["discover", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const data = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(data), ["packages/alpha", "packages/beta"]);
    assert.match(result.stderr, /^packages\/empty: no plugins, skipped$/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index names the --allow-read flag when a module's import is outside the allowed folders", async () => {
  const dir = await copyFixture("plain");
  try {
    // The fixture's @plux/core is this repository's mod.ts, outside `dir`.
    const result = await runCli(dir, ["index"], [
      `--allow-read=${dir}`,
      `--allow-write=${join(dir, "plux.json")},${join(dir, "deno.json")}`,
    ]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^error: @fixture\/plain@1\.0\.0 \(\.\): \.\/mod\.ts failed to import: Requires read access to "[^"]*mod\.ts".*; run .* with --allow-read=\S*/m,
    );
    // The library's folder, which the package's modules import, and the
    // command that needs it: plux index, not "the application".
    assert.ok(
      result.stderr.includes(
        `; run \`plux index\` with --allow-read=${REPO.slice(0, -1)} (`,
      ),
      result.stderr,
    );
    assert.doesNotMatch(result.stderr, /the application|"plux": \{ "exclude"/);
    assert.equal(await readOrUndefined(join(dir, "plux.json")), undefined);
    // --check fails the same way, and does not call a failed import stale.
    const check = await runCli(dir, ["index", "--check"], [
      `--allow-read=${dir}`,
    ]);
    assert.equal(check.code, 1);
    assert.match(check.stderr, /failed to import: .*--allow-read=/);
    assert.doesNotMatch(check.stderr, /stale/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test('plux index says that a module "exports" names does not exist, and to fix the path', async () => {
  const dir = await copyFixture("plain");
  try {
    const file = join(dir, "deno.json");
    const config = JSON.parse(await Deno.readTextFile(file));
    config.exports["./redis"] = "./src/missing.ts";
    await Deno.writeTextFile(file, JSON.stringify(config, null, 2));
    const result = await runCli(dir, ["index"]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^error: @fixture\/plain@1\.0\.0 \(\.\): \.\/src\/missing\.ts does not exist, but "exports" maps "\.\/redis" to it: fix the path in "exports" of the package's config, or create the module$/m,
    );
    assert.doesNotMatch(result.stderr, /"plux": \{ "exclude"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index leaves an exports entry serving another file as ./plux.json alone and fails", async () => {
  const dir = await copyFixture("plain");
  try {
    const file = join(dir, "deno.json");
    const config = JSON.parse(await Deno.readTextFile(file));
    config.exports["./plux.json"] = "./other.json";
    const text = JSON.stringify(config, null, 2) + "\n";
    await Deno.writeTextFile(file, text);
    for (const args of [["index"], ["index", "--check"]]) {
      const result = await runCli(dir, args);
      assert.equal(result.code, 1, args.join(" "));
      assert.match(
        result.stderr,
        /^error: @fixture\/plain@1\.0\.0 \(\.\): deno\.json maps "\.\/plux\.json" to "\.\/other\.json" in "exports".*change it to "\.\/plux\.json": "\.\/plux\.json"/m,
      );
    }
    assert.equal(await Deno.readTextFile(file), text);
    assert.equal(await readOrUndefined(join(dir, "plux.json")), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index names a package without a name by its folder", async () => {
  const dir = await copyFixture("plain");
  try {
    const file = join(dir, "deno.json");
    const { name: _, version: __, ...config } = JSON.parse(
      await Deno.readTextFile(file),
    );
    await Deno.writeTextFile(file, JSON.stringify(config, null, 2) + "\n");
    const result = await runCli(dir, ["index"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      `${
        basename(dir)
      }: 3 plugins in 2 namespaces; wrote plux.json, deno.json\n`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index warns about plugins it leaves out: declared in main.ts, scripts/ or examples/, or declared and not exported", async () => {
  const dir = await copyFixture("plain");
  try {
    const spec = (name: string) =>
      `import { Plugin, PluginSpec } from "@plux/core";\n` +
      `export const p = new PluginSpec("fixture.services", "${name}", () => new (class extends Plugin {})());\n`;
    await Deno.writeTextFile(join(dir, "main.ts"), spec("from-main"));
    await Deno.mkdir(join(dir, "scripts/deep"), { recursive: true });
    await Deno.writeTextFile(join(dir, "scripts/deep/tool.ts"), spec("tool"));
    await Deno.mkdir(join(dir, "examples"));
    await Deno.writeTextFile(
      join(dir, "examples/demo.ts"),
      'import { plugin } from "@plux/core";\n' +
        'export const d = plugin({ namespace: "fixture.x" }, function d() {});\n',
    );
    // A test under scripts/ and an example without plugins say nothing.
    await Deno.writeTextFile(join(dir, "scripts/deep/tool_test.ts"), spec("t"));
    await Deno.writeTextFile(join(dir, "examples/plain.ts"), "export {};\n");
    await Deno.writeTextFile(
      join(dir, "src/private.ts"),
      'import { Plugin } from "@plux/core";\n' +
        "class Private extends Plugin {\n" +
        '  static namespace = "fixture.services";\n' +
        '  static pluginName = "private";\n' +
        "}\n" +
        "export const made = new Private();\n",
    );
    const result = await runCli(dir, ["index"]);
    assert.equal(result.code, 0, result.stderr);
    const warnings = result.stderr.split("\n").filter((l) => l !== "");
    const left = (path: string) =>
      `warning: @fixture/plain@1.0.0 (.): ${path} declares a plugin but is ` +
      "not indexed: main.ts files and the scripts/ and examples/ folders " +
      "are left out by default, because importing them may run them; move " +
      `the plugin to a module of its own, or list ${path} in "exports" if ` +
      "importing it is safe";
    assert.deepEqual(warnings, [
      "warning: @fixture/plain@1.0.0 (.): ./src/private.ts declares a plugin " +
      "but exports none, so the index cannot list it: export it (`export " +
      "class ...`, `export const ... = new PluginSpec(...)` or `export const " +
      "... = plugin(...)`)",
      left("./examples/demo.ts"),
      left("./main.ts"),
      left("./scripts/deep/tool.ts"),
    ]);
    // Excluded on purpose: no warning.
    const file = join(dir, "deno.json");
    const config = JSON.parse(await Deno.readTextFile(file));
    config.plux = {
      exclude: ["scripts/", "examples/", "main.ts", "src/private.ts"],
    };
    await Deno.writeTextFile(file, JSON.stringify(config, null, 2));
    const excluded = await runCli(dir, ["index"]);
    assert.equal(excluded.stderr, "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux index warns about plugins declared in TypeScript's forms (type arguments, modifiers, annotations) and not exported or left out", async () => {
  const dir = await copyFixture("plain");
  try {
    const header =
      'import { Plugin, PluginSpec, plugin } from "@plux/core";\n' +
      "interface Greeter { greet(): string }\n";
    const hidden: Record<string, string> = {
      "src/spec.ts": "const s = new PluginSpec<Plugin>(\n" +
        '  "fixture.services", "spec", () => new (class extends Plugin {})());\n' +
        "export const size = 1;\n",
      "src/class.ts": "class Hidden extends Plugin {\n" +
        '  static override namespace = "fixture.services";\n' +
        '  public static override readonly pluginName: string = "hidden";\n' +
        "}\nexport const made = new Hidden();\n",
      "src/typed.ts": "class Typed extends Plugin {\n" +
        '  static namespace: string = "fixture.services";\n' +
        '  static readonly pluginName = "typed";\n' +
        "}\nexport const typed = new Typed();\n",
      "main.ts": "const f = plugin<[string], string>(\n" +
        '  { name: "f", namespace: "fixture.x" },\n' +
        "  function f(s: string): string { return s; },\n);\nf;\n",
    };
    for (const [path, text] of Object.entries(hidden)) {
      await Deno.writeTextFile(join(dir, path), header + text);
    }
    const result = await runCli(dir, ["index"]);
    assert.equal(result.code, 0, result.stderr);
    const warned = result.stderr.split("\n").filter((l) => l !== "")
      .map((line) =>
        /^warning: [^:]+: (\S+) declares a plugin but (\w+)/.exec(
          line,
        )?.slice(1).join(" ") ?? line
      );
    assert.deepEqual(warned, [
      "./src/class.ts exports",
      "./src/spec.ts exports",
      "./src/typed.ts exports",
      "./main.ts is",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "plux index with --allow-read of the package only never makes Deno prompt in a terminal while looking for .gitignore rules above it",
  ignore: !canUseScript(),
  async fn() {
    const dir = await copyFixture("plain");
    try {
      // `script` gives Deno a terminal, where reading an ungranted folder
      // prompts and waits; the kill after 60 s only ends a hung run.
      const command = `'${Deno.execPath()}' run --allow-read=${dir},${REPO} ` +
        `--allow-write=${dir} --config ${dir}/deno.json ${REPO}cli.ts index`;
      const result = await new Deno.Command("script", {
        args: ["-qec", command, "/dev/null"],
        cwd: dir,
        env: { NO_COLOR: "1" },
        stdin: "null",
        signal: AbortSignal.timeout(60_000),
      }).output();
      const stdout = new TextDecoder().decode(result.stdout);
      assert.doesNotMatch(stdout, /requests read access/, stdout);
      assert.equal(result.code, 0, stdout);
      assert.match(stdout, /wrote plux\.json/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

function canUseScript(): boolean {
  try {
    return new Deno.Command("script", { args: ["--version"] }).outputSync()
      .success;
  } catch {
    return false;
  }
}
