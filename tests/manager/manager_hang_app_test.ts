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
