// Paths and URLs meet through pathToFileURL/fileURLToPath: folder names with
// `#`, `%`, `?`, spaces and letters beyond ASCII work end to end, in the
// application's folder, the working directory, workspace members and
// import-map targets.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { ImportMapFinder } from "../../../src/finders/import_map/import_map_finder.ts";
import { runDeno } from "../../support/deno_run.ts";

const LIBRARY = fileURLToPath(new URL("../../../mod.ts", import.meta.url));
const CLI = fileURLToPath(new URL("../../../cli.ts", import.meta.url));
const NS = "t.names";

/** Writes a package folder with one plugin module and its plux.json. */
async function writePackage(dir: string, plugin: string, name?: string) {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "mod.ts"),
    `import { plugin } from "@plux/core";\n` +
      `export const p = plugin({ namespace: "${NS}", name: ${
        JSON.stringify(plugin)
      } }, () => ${JSON.stringify(plugin)});\n`,
  );
  await Deno.writeTextFile(
    join(dir, "plux.json"),
    JSON.stringify({
      version: 1,
      plugins: { [NS]: [{ name: plugin, export: "p", path: "./mod.ts" }] },
    }),
  );
  if (name !== undefined) {
    await Deno.writeTextFile(
      join(dir, "deno.json"),
      JSON.stringify({ name, version: "1.0.0", exports: "./mod.ts" }),
    );
  }
}

const APP = `
import { PluginManager } from "@plux/core";
const problems = [];
const manager = new PluginManager("${NS}", {
  listeners: [{ onResolveException: (_n, _i, e) => problems.push(e.message) }],
});
const names = [];
for (const plugin of await manager.loadAll()) names.push(plugin());
console.log(JSON.stringify({ names, problems }));
`;

Deno.test("an application in a folder named with # % ? space and é finds its workspace members and mapped packages, whatever their names", async () => {
  const temp = await Deno.makeTempDir({ prefix: "plux_" });
  // The parent has a deno.json too: a string-built URL of the working
  // directory ("#" cuts it) made discovery read this one instead.
  await Deno.writeTextFile(join(temp, "deno.json"), "{}");
  const root = join(temp, "app #1 %41 ?x é");
  try {
    await writePackage(join(root, "members", "m #1"), "glob-hash", "@t/m1");
    await writePackage(join(root, "members", "m %41"), "glob-percent", "@t/m2");
    await writePackage(join(root, "plain ?q"), "plain-question", "@t/m3");
    await writePackage(join(root, "plain é ü"), "plain-letters", "@t/m4");
    await writePackage(join(root, "lib #%?é"), "mapped-folder");
    await writePackage(join(root, "mod #%?é"), "mapped-module");
    await Deno.writeTextFile(
      join(root, "deno.json"),
      JSON.stringify({
        lock: false,
        workspace: ["./members/*", "./plain ?q", "./plain é ü"],
        imports: {
          "@plux/core": LIBRARY,
          "lib/": "./lib%20%23%25%3F%C3%A9/",
          "mod": "./mod%20%23%25%3F%C3%A9/mod.ts",
        },
      }),
    );
    await Deno.writeTextFile(join(root, "app.ts"), APP);
    const expected = [
      "glob-hash",
      "glob-percent",
      "mapped-folder",
      "mapped-module",
      "plain-letters",
      "plain-question",
    ];
    // Run as a user runs it, from the app's folder and from elsewhere.
    for (
      const [cwd, main] of [[root, "app.ts"], [temp, join(root, "app.ts")]]
    ) {
      const result = await runDeno(
        ["run", `--allow-read=${temp}`, main!],
        { cwd },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), {
        names: expected,
        problems: [],
      });
    }
    // The finder given a relative path, from a working directory named so.
    const script = `
      import { ImportMapFinder } from ${JSON.stringify(LIBRARY)};
      const found = await new ImportMapFinder({ config: "deno.json" }).findPlugins();
      console.log(JSON.stringify(found.map((e) => e.name).sort()));
    `;
    await Deno.writeTextFile(join(root, "relative.ts"), script);
    const relative = await runDeno(
      ["run", `--allow-read=${temp}`, "relative.ts"],
      { cwd: root },
    );
    assert.equal(relative.code, 0, relative.stderr);
    assert.deepEqual(JSON.parse(relative.stdout), expected);
    // And `plux list` run there.
    const cli = await runDeno(
      [
        "run",
        `--allow-read=${temp}`,
        "--config",
        join(root, "deno.json"),
        CLI,
        "list",
        NS,
      ],
      { cwd: root },
    );
    assert.equal(cli.code, 0, cli.stderr);
    for (const name of expected) {
      assert.match(cli.stdout, new RegExp(`\\b${name}\\b`));
    }
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
});

Deno.test("a workspace member written with # or % is skipped as Deno skips it, and reported with the glob that works", async () => {
  const temp = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await writePackage(join(temp, "p#1"), "hash", "@t/p1");
    await writePackage(join(temp, "q%41"), "percent", "@t/q");
    await Deno.writeTextFile(
      join(temp, "deno.json"),
      JSON.stringify({ workspace: ["./p#1", "./q%41"] }),
    );
    const problems: string[] = [];
    const found = await new ImportMapFinder({ config: join(temp, "deno.json") })
      .findPlugins({ report: (e) => problems.push(e.message) });
    assert.deepEqual(found, []);
    assert.deepEqual(problems, [
      `workspace member "./p#1" of the workspace in ${temp}/ is skipped: Deno reads "#" and "%" in a workspace member as URL syntax, so it does not use the folder ${temp}/p#1/; rename the folder, or list it with a glob such as "./p?1"`,
      `workspace member "./q%41" of the workspace in ${temp}/ is skipped: Deno reads "#" and "%" in a workspace member as URL syntax, so it does not use the folder ${temp}/q%41/; rename the folder, or list it with a glob such as "./q?41"`,
    ]);
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
});

Deno.test("ImportMapFinder finds the package in a folder of any name, through a glob member, a plain member and an import mapping", async () => {
  const temp = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        // Any name a folder can have here, weighted towards URL syntax.
        fc.oneof(
          fc.stringMatching(/^[#%?&=+;:@$,é ü名a-z0-9.~'()!*[\]{}-]{1,12}$/),
          fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }),
        ).filter((name) =>
          !name.includes("/") && !name.includes("\0") && name !== "." &&
          name !== ".." && name.trim() === name && !name.startsWith(".")
        ),
        fc.constantFrom("glob", "plain", "mapping"),
        async (name, how) => {
          const app = join(temp, `run${++run}`);
          // Glob characters would make the member a pattern.
          if (how === "plain" && /[*?{[]|[#%]/.test(name)) return;
          await writePackage(join(app, "pkgs", name), "p", "@t/p");
          await Deno.writeTextFile(
            join(app, "deno.json"),
            JSON.stringify(
              how === "mapping"
                ? {
                  imports: {
                    "x/": `./pkgs/${encodeURIComponent(name)}/`,
                  },
                }
                : {
                  workspace: [how === "glob" ? "./pkgs/*" : `./pkgs/${name}`],
                },
            ),
          );
          const problems: string[] = [];
          const found = await new ImportMapFinder({
            config: join(app, "deno.json"),
          }).findPlugins({ report: (e) => problems.push(e.message) });
          assert.deepEqual(problems, [], name);
          assert.equal(found.length, 1, `${how} ${JSON.stringify(name)}`);
          const value = found[0]!.value!;
          const module = fileURLToPath(value.slice(0, value.lastIndexOf("#")));
          assert.equal(module, join(app, "pkgs", name, "mod.ts"));
        },
      ),
      { numRuns: 60 },
    );
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
});
