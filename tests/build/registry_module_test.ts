import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import {
  registryModule,
  registrySpecifier,
} from "../../src/build/registry_module.ts";
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

/** Any text: every code point, lone surrogates, line breaks, quotes. */
const anyText = fc.string({ unit: "binary", maxLength: 12 });
/** Characters a specifier the registry writes must never hold. */
const UNSAFE = /[\p{Cc}\p{White_Space}\p{Cf}\p{Zl}\p{Zp}\\]|\p{Cs}/u;

/** Imports a module's text, as Deno reads a file of it, without a file. */
async function importText(text: string): Promise<Record<string, unknown>> {
  const bytes = new TextEncoder().encode(text);
  const base64 = btoa(
    Array.from(bytes, (b) => String.fromCharCode(b)).join(""),
  );
  return await import(`data:application/javascript;base64,${base64}`);
}

Deno.test("registrySpecifier() writes any file path as an escaped URL relative to the registry that resolves to exactly that file", () => {
  const segment = fc.string({ unit: "binary", minLength: 1, maxLength: 8 })
    .filter((s) => !s.includes("/") && s !== "." && s !== "..");
  fc.assert(
    fc.property(
      fc.array(segment, { maxLength: 3 }),
      fc.array(segment, { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      (outDirs, moduleParts, asPath) => {
        const outFile = ["", "app", ...outDirs, "plugins.gen.ts"].join("/");
        const modulePath = ["", "app", ...moduleParts].join("/") + ".ts";
        const moduleUrl = pathToFileURL(modulePath).href;
        const specifier = registrySpecifier(
          outFile,
          asPath ? modulePath : moduleUrl,
        );
        assert.equal(typeof specifier, "string", JSON.stringify(specifier));
        assert.doesNotMatch(specifier as string, UNSAFE);
        assert.match(specifier as string, /^\.\.?\//);
        assert.equal(
          new URL(specifier as string, pathToFileURL(outFile)).href,
          moduleUrl,
        );
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("registrySpecifier() writes a specifier only when it is safe: never a control, format or whitespace character, never another module", () => {
  const module = fc.oneof(
    anyText,
    fc.tuple(
      fc.constantFrom(
        "jsr:",
        "npm:",
        "https://h/",
        "file:///a/",
        "data:",
        "node:",
        "/a/",
        "@s/p/",
        "",
      ),
      anyText,
    ).map(([scheme, rest]) => scheme + rest),
  );
  fc.assert(
    fc.property(module, (module) => {
      const specifier = registrySpecifier("/app/plugins.gen.ts", module);
      if (typeof specifier !== "string") return;
      assert.doesNotMatch(specifier, UNSAFE);
      let url: URL | undefined;
      try {
        url = new URL(specifier, "file:///app/plugins.gen.ts");
      } catch {
        url = undefined;
      }
      if (/^(?:\.\.?\/|[a-z]+:)/.test(specifier)) {
        // A URL or a relative URL: it means the module given, no other.
        const expected = module.startsWith("/")
          ? pathToFileURL(module).href
          : new URL(module).href;
        assert.equal(url?.href, expected);
        assert.match(url!.protocol, /^(file|jsr|npm|https?):$/);
      } else {
        assert.equal(specifier, module, "a bare specifier is kept");
        assert.doesNotMatch(specifier, /^[/.]|[:?#%]/);
      }
    }),
    { numRuns: 3000 },
  );
});

Deno.test("registryModule() writes a module that parses and lists exactly the given plugins, whatever their names, exports, metadata and the command", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({
          namespace: anyText,
          name: anyText,
          exportName: anyText.filter((s) => !s.includes("#")),
          metadata: fc.dictionary(anyText, anyText, { maxKeys: 3 }),
        }),
        { maxLength: 4 },
      ),
      anyText,
      async (plugins, command) => {
        const { text } = registryModule(
          plugins.map(({ namespace, name, exportName, metadata }) =>
            entry({
              namespace,
              name,
              value: `jsr:@acme/tools@1/mod.ts#${exportName}`,
              metadata,
            })
          ),
          "/app/plugins.gen.ts",
          `plux registry --out ${command}`,
        );
        const header = text.slice(0, text.indexOf("\nconst registry"));
        for (const line of header.split("\n")) {
          assert.match(line, /^(\/\/.*)?$/, "the header is comments only");
        }
        const registry = (await importText(text)).default as {
          namespace: string;
          name: string;
          export: string;
          metadata: Record<string, unknown>;
        }[];
        assert.deepEqual(
          registry.map((item) => [item.namespace, item.name, item.export]),
          plugins.map((p) => [p.namespace, p.name, p.exportName]),
        );
        for (const [i, item] of registry.entries()) {
          assert.equal(Object.getPrototypeOf(item.metadata), Object.prototype);
          assert.deepEqual(
            Object.entries(item.metadata).sort(),
            Object.entries(plugins[i]!.metadata).sort(),
          );
        }
      },
    ),
    { numRuns: 150 },
  );
});
