// A plugin module whose top-level await never settles, in an application
// run as a user runs it: the other packages are still discovered and loaded.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runDeno } from "../support/deno_run.ts";

const LIBRARY = fileURLToPath(new URL("../../mod.ts", import.meta.url));
const NS = "e2e.hang";

const APP = `
import { PluginManager } from "@plux/core";
const reported = [];
const manager = new PluginManager("${NS}", {
  loadTimeout: 3000,
  listeners: [{
    onResolveException: (_ns, info, error) => reported.push(\`\${info?.name}: \${error.name}\`),
  }],
});
const mode = Deno.args[0];
const names = mode === "specs"
  ? (await manager.listPluginSpecs()).map((spec) => spec.name)
  : (await manager.loadAll()).map((plugin) => plugin());
console.log(JSON.stringify({ names, reported }));
// The hung module stays pending; Deno would report it when the loop ends.
Deno.exit(0);
`;

/** A package folder with one plugin module and its plux.json. */
async function writePackage(
  root: string,
  dir: string,
  name: string,
  body: string,
) {
  await Deno.mkdir(join(root, dir));
  await Deno.writeTextFile(
    join(root, dir, "mod.ts"),
    `import { plugin } from "@plux/core";\n${body}\n` +
      `export const p = plugin({ namespace: "${NS}", name: "${name}" }, () => "${name}");\n`,
  );
  await Deno.writeTextFile(
    join(root, dir, "plux.json"),
    JSON.stringify({
      version: 1,
      package: { name: dir },
      plugins: { [NS]: [{ name, export: "p", path: "./mod.ts" }] },
    }),
  );
}

Deno.test("PluginManager with loadTimeout loads the other packages when one plugin module's top-level await never settles", async () => {
  const root = await Deno.makeTempDir({ prefix: "plux_hang_" });
  try {
    await writePackage(root, "first", "a-first", "");
    await writePackage(root, "hung", "b-hung", "await new Promise(() => {});");
    await writePackage(root, "last", "c-last", "");
    await Deno.writeTextFile(
      join(root, "deno.json"),
      JSON.stringify({
        lock: false,
        imports: {
          "@plux/core": LIBRARY,
          "first/": "./first/",
          "hung/": "./hung/",
          "last/": "./last/",
        },
      }),
    );
    await Deno.writeTextFile(join(root, "app.ts"), APP);
    for (const mode of ["load", "specs"]) {
      const result = await runDeno(
        ["run", "--allow-read", "app.ts", mode],
        { cwd: root },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), {
        names: ["a-first", "c-last"],
        reported: ["b-hung: TimeoutError"],
      });
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

const BLAME_APP = `
import { PluginManager } from "@plux/core";
const manager = new PluginManager("${NS}", {
  loadTimeout: 3000,
  listeners: [{
    onResolveAfter: (spec) =>
      spec.name === "b-listened" ? new Promise(() => {}) : undefined,
  }],
});
const loaded = await manager.loadAll();
console.log(JSON.stringify(loaded.map((plugin) => plugin.constructor.pluginName ?? plugin())));
Deno.exit(0);
`;

Deno.test("PluginManager with loadTimeout blames a hung load() on its package, and a hung listener on the listener, in one line each", async () => {
  const root = await Deno.makeTempDir({ prefix: "plux_hang_" });
  try {
    await writePackage(root, "first", "a-first", "");
    await writePackage(root, "listened", "b-listened", "");
    await Deno.mkdir(join(root, "stuck"));
    await Deno.writeTextFile(
      join(root, "stuck", "mod.ts"),
      `import { Plugin } from "@plux/core";\n` +
        `export class Stuck extends Plugin {\n` +
        `  static namespace = "${NS}";\n  static pluginName = "c-stuck";\n` +
        `  override load() { return new Promise(() => {}); }\n}\n`,
    );
    await Deno.writeTextFile(
      join(root, "stuck", "plux.json"),
      JSON.stringify({
        version: 1,
        package: { name: "@acme/stuck", version: "2.0.0" },
        plugins: {
          [NS]: [{ name: "c-stuck", export: "Stuck", path: "./mod.ts" }],
        },
      }),
    );
    await Deno.writeTextFile(
      join(root, "deno.json"),
      JSON.stringify({
        lock: false,
        imports: {
          "@plux/core": LIBRARY,
          "first/": "./first/",
          "listened/": "./listened/",
          "stuck/": "./stuck/",
        },
      }),
    );
    await Deno.writeTextFile(join(root, "app.ts"), BLAME_APP);
    const result = await runDeno(["run", "--allow-read", "app.ts"], {
      cwd: root,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), ["a-first"]);
    // Deno may print its own "Download ..." lines first.
    const lines = result.stderr.split("\n")
      .filter((line) => line.startsWith("plux:"));
    assert.equal(lines.length, 2, result.stderr);
    assert.match(
      lines.find((line) => line.includes("b-listened"))!,
      /^plux: plugin e2e\.hang:b-listened: .*the onResolveAfter listeners did not finish within 3000 ms; an onResolveAfter listener of the application waits for something that does not come, not the plugin: fix the listener so that it settles, or raise the manager's loadTimeout option if it only needs longer$/,
    );
    assert.match(
      lines.find((line) => line.includes("c-stuck"))!,
      /^plux: plugin e2e\.hang:c-stuck failed to load: its load\(\) did not finish within 3000 ms; the plugin's code, from @acme\/stuck@2\.0\.0 \(path, key "stuck\/"\), waits for something that does not come: fix, update or remove that package, or raise the manager's loadTimeout option if it only needs longer$/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
