// The library used as a source tree without its deno.json (vendored, or
// served from a URL): its own npm dependencies must not resolve through the
// application's import map.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL as toFileUrl } from "node:url";
import { runDeno } from "./support/deno_run.ts";
import { serveFolder } from "./support/http_origin.ts";
import { PLUX_VERSION } from "../mod.ts";

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

Deno.test("src imports npm packages by full npm: specifiers, at the versions deno.json maps for the tests, and nothing outside mod.ts, cli.ts and src/", () => {
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
      const line = text.slice(text.lastIndexOf("\n", match.index) + 1);
      if (/^\s*(\*|\/\/)/.test(line)) continue; // in a comment
      // A relative import stays inside the copied tree (never ../../deno.json).
      if (
        /^\.{1,2}\//.test(specifier) &&
        !files.includes(fileURLToPath(new URL(specifier, toFileUrl(file))))
      ) {
        wrong.push(`${file}: ${specifier} is outside mod.ts, cli.ts and src/`);
      }
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

/** Copies the library as a vendored source tree: mod.ts, cli.ts and src/ only. */
async function copyLibrary(lib: string): Promise<void> {
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
}

Deno.test("a copy of the library without its deno.json discovers plugins through a deno.jsonc with comments and reads plugin directories", async () => {
  const temp = await Deno.makeTempDir({ prefix: "plux_tree_" });
  try {
    const lib = join(temp, "vendor", "plux");
    await copyLibrary(lib);
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

/** An application whose import map maps `@plux/core` to `library` and a package of plugins. */
async function appUsing(app: string, library: string): Promise<void> {
  await Deno.mkdir(join(app, "greeters"), { recursive: true });
  await Deno.writeTextFile(
    join(app, "greeters", "deno.json"),
    JSON.stringify({
      name: "@t/greeters",
      version: "1.0.0",
      exports: { ".": "./mod.ts" },
    }),
  );
  await Deno.writeTextFile(
    join(app, "greeters", "mod.ts"),
    'import { plugin } from "@plux/core";\n' +
      'export const hello = plugin({ namespace: "t.tree", name: "hello" }, () => "hello");\n',
  );
  await Deno.writeTextFile(
    join(app, "deno.jsonc"),
    `{
  // The application's own import map maps neither jsonc-parser nor semver.
  "lock": false,
  "imports": { "@plux/core": ${JSON.stringify(library)} },
  "workspace": ["./greeters"],
}
`,
  );
}

Deno.test("the command line of a copy of the library without its deno.json runs: --version, index, list, init", async () => {
  const temp = await Deno.makeTempDir({ prefix: "plux_tree_cli_" });
  try {
    // Vendored inside the application, as `deno vendor` users do: Deno
    // finds the application's deno.jsonc from the CLI's folder upwards.
    const app = join(temp, "app");
    const lib = join(app, "vendor", "plux");
    await copyLibrary(lib);
    await appUsing(app, "./vendor/plux/mod.ts");
    const cli = join(lib, "cli.ts");
    const plux = (cwd: string, ...args: string[]) =>
      runDeno(["run", "-A", cli, ...args], { cwd });

    const version = await plux(app, "--version");
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout, `plux (@plux/core) ${PLUX_VERSION}\n`);

    const index = await plux(app, "index");
    assert.equal(index.code, 0, index.stderr);
    assert.match(
      await Deno.readTextFile(join(app, "greeters", "plux.json")),
      /"name": "hello"/,
    );

    const list = await plux(app, "list", "t.tree");
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^t\.tree\n {2}hello {2}@t\/greeters@1\.0\.0/);

    const fresh = join(temp, "fresh");
    await Deno.mkdir(fresh);
    await Deno.writeTextFile(
      join(fresh, "deno.json"),
      JSON.stringify({
        name: "@t/fresh",
        version: "0.1.0",
        exports: "./mod.ts",
      }),
    );
    await Deno.writeTextFile(join(fresh, "mod.ts"), "export {};\n");
    const init = await plux(fresh, "init");
    assert.equal(init.code, 0, init.stderr);
    const config = await Deno.readTextFile(join(fresh, "deno.json"));
    assert.match(
      config,
      new RegExp(`"@plux/core": "jsr:@plux/core@\\^${PLUX_VERSION}"`),
    );
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
});

Deno.test("a copy of the library served from a URL lists plugins, from an application and as the command line", async () => {
  const temp = await Deno.makeTempDir({ prefix: "plux_tree_url_" });
  const lib = join(temp, "served");
  await copyLibrary(lib);
  await using origin = serveFolder(lib);
  try {
    const app = join(temp, "app");
    await appUsing(app, `${origin.url}mod.ts`);
    await Deno.writeTextFile(
      join(app, "greeters", "plux.json"),
      JSON.stringify({
        version: 1,
        package: { name: "@t/greeters", version: "1.0.0" },
        plugins: {
          "t.tree": [{ name: "hello", export: "hello", path: "./mod.ts" }],
        },
      }),
    );
    await Deno.writeTextFile(
      join(app, "main.ts"),
      `import { PluginManager } from "@plux/core";
console.log(JSON.stringify(await new PluginManager("t.tree").listNames()));
`,
    );
    const flags = [`--allow-import=${origin.host}`, `--allow-read=${temp}`];
    const main = await runDeno(["run", ...flags, "main.ts"], { cwd: app });
    assert.equal(main.code, 0, main.stderr);
    assert.deepEqual(JSON.parse(main.stdout), ["hello"]);

    const list = await runDeno(
      ["run", ...flags, `${origin.url}cli.ts`, "list", "t.tree"],
      { cwd: app },
    );
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^t\.tree\n {2}hello {2}@t\/greeters@1\.0\.0/);
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
});
