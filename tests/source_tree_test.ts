// The library used as a source tree without its deno.json (vendored, or
// served from a URL): its own npm dependencies must not resolve through the
// application's import map.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runDeno } from "./support/deno_run.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...sourceFiles(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files;
}

Deno.test("src imports npm packages by full npm: specifiers, at the versions deno.json maps for the tests", () => {
  const config = JSON.parse(
    Deno.readTextFileSync(join(ROOT, "deno.json")),
  ) as { imports: Record<string, string> };
  const wrong: string[] = [];
  const files = [
    ...sourceFiles(join(ROOT, "src")),
    join(ROOT, "mod.ts"),
    join(ROOT, "cli.ts"),
  ];
  for (const file of files) {
    const text = Deno.readTextFileSync(file);
    const specifiers = text.matchAll(
      /^\s*(?:import|export)\b[^"'`]*?\bfrom\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/gm,
    );
    for (const match of specifiers) {
      const specifier = match[1] ?? match[2]!;
      if (specifier === "...") continue; // import("...") in help texts
      if (/^(\.{1,2}\/|node:|npm:|jsr:)/.test(specifier)) {
        const npm = /^npm:((?:@[^/@]+\/)?[^/@]+)(@[^/]+)?/.exec(specifier);
        if (
          npm !== null && config.imports[npm[1]!] !== `npm:${npm[1]}${npm[2]}`
        ) {
          wrong.push(
            `${file}: ${specifier} differs from deno.json's ${
              config.imports[npm[1]!]
            }`,
          );
        }
        continue;
      }
      wrong.push(`${file}: bare specifier ${specifier}`);
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("a copy of the library without its deno.json discovers plugins through a deno.jsonc with comments and reads plugin directories", async () => {
  const temp = await Deno.makeTempDir({ prefix: "plux_tree_" });
  try {
    // The library as a vendored source tree: mod.ts, cli.ts and src/ only.
    const lib = join(temp, "vendor", "plux");
    for (
      const file of [
        ...sourceFiles(join(ROOT, "src")),
        join(ROOT, "mod.ts"),
        join(ROOT, "cli.ts"),
      ]
    ) {
      const target = join(lib, file.slice(ROOT.length));
      await Deno.mkdir(join(target, ".."), { recursive: true });
      await Deno.copyFile(file, target);
    }
    const app = join(temp, "app");
    // A package reached through the import map, found by parsing deno.jsonc.
    await Deno.mkdir(join(app, "greeters"), { recursive: true });
    await Deno.writeTextFile(
      join(app, "greeters", "mod.ts"),
      'import { plugin } from "@plux/core";\n' +
        'export const hello = plugin({ namespace: "t.tree", name: "hello" }, () => "hello");\n',
    );
    await Deno.writeTextFile(
      join(app, "greeters", "plux.json"),
      JSON.stringify({
        version: 1,
        plugins: {
          "t.tree": [{ name: "hello", export: "hello", path: "./mod.ts" }],
        },
      }),
    );
    // A plugin directory package, which needs semver (version and requires).
    const dir = join(app, "plugins", "extra");
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(
      join(dir, "deno.json"),
      JSON.stringify({
        name: "@t/extra",
        version: "1.2.0",
        plux: { requires: { "@plux/core": ">=0.0.1" } },
      }),
    );
    await Deno.writeTextFile(
      join(dir, "mod.ts"),
      'import { plugin } from "@plux/core";\n' +
        'export const extra = plugin({ namespace: "t.tree", name: "extra" }, () => "extra");\n',
    );
    await Deno.writeTextFile(
      join(dir, "plux.json"),
      JSON.stringify({
        version: 1,
        package: { name: "@t/extra", version: "1.2.0" },
        plugins: {
          "t.tree": [{ name: "extra", export: "extra", path: "./mod.ts" }],
        },
      }),
    );
    await Deno.writeTextFile(
      join(app, "deno.jsonc"),
      `{
  // The application's own import map maps neither jsonc-parser nor semver.
  "lock": false,
  "imports": {
    "@plux/core": "../vendor/plux/mod.ts",
    "greeters/": "./greeters/", // a trailing comment
  },
}
`,
    );
    await Deno.writeTextFile(
      join(app, "main.ts"),
      `import { CombinedPluginFinder, ImportMapFinder, PluginDirectoryFinder, PluginManager } from "@plux/core";
const problems = [];
const manager = new PluginManager("t.tree", {
  finder: new CombinedPluginFinder([
    new ImportMapFinder(),
    new PluginDirectoryFinder([${JSON.stringify(join(app, "plugins"))}]),
  ]),
  listeners: [{ onResolveException: (_n, _i, e) => problems.push(e.message) }],
});
const names = (await manager.loadAll()).map((plugin) => plugin());
console.log(JSON.stringify({ names, problems }));
`,
    );
    const result = await runDeno(["run", `--allow-read=${temp}`, "main.ts"], {
      cwd: app,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      names: ["extra", "hello"],
      problems: [],
    });
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
});
