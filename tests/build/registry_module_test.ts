import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { registryModule } from "../../src/build/registry_module.ts";
import type { PluginEntry } from "../../mod.ts";
import { PluginManager, RegistryFinder } from "../../mod.ts";

const MOD = new URL("../../mod.ts", import.meta.url).href;

function entry(fields: Partial<PluginEntry>): PluginEntry {
  return {
    namespace: "test.ns",
    name: "a",
    resolve: () => Promise.reject(new Error("not in this test")),
    ...fields,
  };
}

Deno.test("registryModule() writes file modules relative to the registry and keeps other specifiers", () => {
  const out = "/app/gen/plugins.gen.ts";
  const { text, plugins, skipped } = registryModule(
    [
      entry({
        name: "local",
        value: "file:///app/packages/x/src/local.ts#Local",
        source: {
          kind: "workspace",
          package: "@x/x",
          version: "1.0.0",
          index: "file:///app/packages/x/plux.json",
        },
        metadata: { "long-name": [1, { b: true, a: null }], description: "d" },
      }),
      entry({ name: "jsr", value: "jsr:@acme/tools@^1/redis#Redis" }),
    ],
    out,
    "plux registry --out plugins.gen.ts",
  );
  assert.equal(plugins, 2);
  assert.deepEqual(skipped, []);
  assert.match(
    text,
    /import: \(\) => import\("\.\.\/packages\/x\/src\/local\.ts"\)/,
  );
  assert.match(text, /value: "\.\.\/packages\/x\/src\/local\.ts#Local"/);
  assert.match(text, /import: \(\) => import\("jsr:@acme\/tools@\^1\/redis"\)/);
  assert.match(text, /export: "Redis"/);
  assert.doesNotMatch(text, /file:|plux\.json/, "no absolute URL, no index");
  assert.match(text, /"long-name": \[\n\s+1,\n\s+\{\n\s+a: null,\n\s+b: true,/);
  assert.match(text, /^\/\/ deno-fmt-ignore-file\n/);
  assert.match(text, /plux registry --out plugins\.gen\.ts/);
});

Deno.test("registryModule() output is the same for the same entries", () => {
  const entries = [
    entry({ name: "b", value: "npm:@acme/b#b" }),
    entry({ name: "a", value: "npm:@acme/a#a" }),
  ];
  const first = registryModule(entries, "/app/r.ts", "cmd").text;
  assert.equal(registryModule(entries, "/app/r.ts", "cmd").text, first);
  assert.ok(first.indexOf('"b"') < first.indexOf('"a"'), "finder order kept");
});

Deno.test("registryModule() leaves out a plugin whose module the application cannot import", () => {
  const { text, plugins, skipped } = registryModule(
    [
      entry({ name: "hidden", value: "./src/hidden.ts#Hidden" }),
      entry({ name: "none" }),
    ],
    "/app/r.ts",
    "cmd",
  );
  assert.equal(plugins, 0);
  assert.equal(skipped.length, 2);
  assert.match(
    skipped[0]!,
    /test\.ns:hidden .*not exported.*export the module/,
  );
  assert.doesNotMatch(text, /hidden/);
});

Deno.test("registryModule() writes a module that lists plugins without importing them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await Deno.writeTextFile(
      join(dir, "cache.ts"),
      `import { Plugin } from "${MOD}";\n` +
        `(globalThis as Record<string, unknown>).cacheImported = true;\n` +
        `export class Cache extends Plugin {\n` +
        `  static namespace = "test.ns";\n  static pluginName = "cache";\n` +
        `  override load() { return "up"; }\n}\n`,
    );
    const out = join(dir, "plugins.gen.ts");
    const { text } = registryModule(
      [
        entry({
          name: "cache",
          value: `${pathToFileURL(join(dir, "cache.ts")).href}#Cache`,
        }),
      ],
      out,
      "cmd",
    );
    await Deno.writeTextFile(out, text);
    const registry = (await import(pathToFileURL(out).href)).default;
    const global = globalThis as Record<string, unknown>;
    const manager = new PluginManager("test.ns", {
      finder: new RegistryFinder(registry),
    });
    assert.deepEqual(await manager.listNames(), ["cache"]);
    assert.equal(global.cacheImported, undefined);
    await manager.load("cache");
    assert.equal(global.cacheImported, true);
    assert.equal((await manager.getContainer("cache"))?.loadValue, "up");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("registryModule() writes requires and after when a plugin declares them, so a RegistryFinder knows the order", () => {
  const { text } = registryModule(
    [
      entry({
        name: "api",
        value: "npm:@acme/api#api",
        requires: ["db"],
        after: ["log", "metrics"],
      }),
      entry({ name: "db", value: "npm:@acme/db#db", requires: [], after: [] }),
    ],
    "/app/r.ts",
    "cmd",
  );
  assert.match(
    text,
    /name: "api",\n(.*\n)*?\s+requires: \[\n\s+"db",\n\s+\],\n\s+after: \[\n\s+"log",\n\s+"metrics",\n\s+\],/,
  );
  const db = text.slice(text.indexOf('name: "db"'));
  assert.doesNotMatch(db, /requires|after/);
});
