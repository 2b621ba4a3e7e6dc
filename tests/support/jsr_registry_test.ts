import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { probeImports } from "./deno_run.ts";
import { readJsrPackage, startJsrRegistry, unfurl } from "./jsr_registry.ts";
import { pluxCoreNpmPackages, startNpmRegistry } from "./npm_registry.ts";

const REGISTRY = new URL("../fixtures/registry/", import.meta.url);
const JSR_PKG = new URL("jsr_pkg/", REGISTRY);
const NPM_PKG = new URL("npm_pkg/", REGISTRY);
const REPO = new URL("../../", import.meta.url);

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

Deno.test("unfurl() rewrites bare specifiers with the import map", async (t) => {
  const imports = {
    "@plux/core": "jsr:@plux/core@^0.1",
    "jsonc-parser": "npm:jsonc-parser@^3.3.1",
    "lib/": "./src/lib/",
    "helper": "./src/helper.ts",
  };
  const cases: [string, string, string][] = [
    [
      'import { Plugin } from "@plux/core";',
      "/mod.ts",
      'import { Plugin } from "jsr:@plux/core@^0.1";',
    ],
    [
      "export * from '@plux/core';",
      "/mod.ts",
      "export * from 'jsr:@plux/core@^0.1';",
    ],
    [
      'import "jsonc-parser/lib/x.js";',
      "/mod.ts",
      'import "npm:jsonc-parser@^3.3.1/lib/x.js";',
    ],
    [
      'await import("@plux/core")',
      "/mod.ts",
      'await import("jsr:@plux/core@^0.1")',
    ],
    [
      'import type { A } from "lib/a.ts";',
      "/src/b/c.ts",
      'import type { A } from "../lib/a.ts";',
    ],
    ['import h from "helper";', "/mod.ts", 'import h from "./src/helper.ts";'],
    ['import a from "./a.ts";', "/mod.ts", 'import a from "./a.ts";'],
    ['import a from "npm:x@1";', "/mod.ts", 'import a from "npm:x@1";'],
    ['import a from "unmapped";', "/mod.ts", 'import a from "unmapped";'],
    [
      'import a from "@plux/core-extra";',
      "/mod.ts",
      'import a from "@plux/core-extra";',
    ],
  ];
  for (const [source, path, expected] of cases) {
    await t.step(`${source} in ${path}`, () => {
      const out = unfurl(new TextEncoder().encode(source), path, imports);
      assert.equal(text(out), expected);
    });
  }
});

Deno.test("readJsrPackage() publishes the repository as @plux/core without excluded files", async () => {
  const pkg = await readJsrPackage(REPO);
  const config = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", REPO)),
  );
  assert.equal(pkg.name, "@plux/core");
  assert.equal(pkg.version, config.version);
  assert.deepEqual(pkg.exports, config.exports);
  assert.ok(pkg.files.has("/mod.ts"));
  assert.ok(pkg.files.has("/src/core/plugin.ts"));
  const paths = [...pkg.files.keys()];
  assert.deepEqual(
    paths.filter((p) => /^\/(tests|bench|examples|\.)/.test(p)),
    [],
  );
});

Deno.test("readJsrPackage() throws naming deno.json when name or version is missing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await Deno.writeTextFile(`${dir}/deno.json`, '{ "exports": "./mod.ts" }');
    await assert.rejects(
      () => readJsrPackage(dir),
      {
        message:
          `${dir}/deno.json: a JSR test package needs "name" and "version"; add them`,
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("startJsrRegistry() serves meta.json, <version>_meta.json with checksums, and unfurled files", async () => {
  await using registry = await startJsrRegistry([JSR_PKG]);
  const get = (path: string) => fetch(registry.url + path);

  const meta = await (await get("@fixture/pkg/meta.json")).json();
  assert.deepEqual(meta, {
    scope: "fixture",
    name: "pkg",
    latest: "1.0.0",
    versions: { "1.0.0": {} },
  });

  const versionMeta = await (await get("@fixture/pkg/1.0.0_meta.json")).json();
  assert.deepEqual(versionMeta.exports, {
    ".": "./mod.ts",
    "./plugins": "./src/plugins.ts",
    "./plux.json": "./plux.json",
  });
  assert.deepEqual(Object.keys(versionMeta.manifest).sort(), [
    "/deno.json",
    "/mod.ts",
    "/plux.json",
    "/src/internal.ts",
    "/src/plugins.ts",
  ]);
  for (const [path, entry] of Object.entries(versionMeta.manifest)) {
    const bytes = new Uint8Array(
      await (await get(`@fixture/pkg/1.0.0${path}`)).arrayBuffer(),
    );
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    assert.deepEqual(entry, {
      size: bytes.byteLength,
      checksum: `sha256-${sha256}`,
    }, path);
  }

  const plugins = await (await get("@fixture/pkg/1.0.0/src/plugins.ts")).text();
  assert.match(
    plugins,
    /^import \{ Plugin \} from "jsr:@plux\/core@\^0\.1";$/m,
  );
  const mod = await get("@fixture/pkg/1.0.0/mod.ts");
  assert.equal(
    mod.headers.get("content-type"),
    "application/typescript; charset=utf-8",
  );
  assert.match(await mod.text(), /from "npm:fixture-pkg@\^1";/);

  for (
    const path of [
      "@fixture/other/meta.json",
      "@fixture/pkg/2.0.0_meta.json",
      "@fixture/pkg/1.0.0/nope.ts",
    ]
  ) {
    const response = await get(path);
    await response.body?.cancel();
    assert.equal(response.status, 404, path);
  }
});

Deno.test("startJsrRegistry() lets a subprocess import jsr: JSON and modules with no permission flags", async () => {
  await using jsr = await startJsrRegistry([JSR_PKG, REPO]);
  await using npm = await startNpmRegistry([
    NPM_PKG,
    ...await pluxCoreNpmPackages(),
  ]);
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    // A deno.json in the cwd makes Deno keep a lockfile; --no-lock stops it.
    await Deno.writeTextFile(`${dir}/deno.json`, "{}\n");
    const { code, stderr, results } = await probeImports(dir, ["--no-lock"], [
      "json:jsr:@fixture/pkg@^1/plux.json",
      "jsr:@fixture/pkg@^1/plugins",
      "jsr:@fixture/pkg@^1",
      "jsr:@fixture/pkg@^1/src/internal.ts",
      "jsr:@fixture/pkg@^2",
      "jsr:@fixture/missing@^1",
    ], { env: { JSR_URL: jsr.url, NPM_CONFIG_REGISTRY: npm.url } });
    assert.equal(code, 0, stderr);
    const index = JSON.parse(
      await Deno.readTextFile(new URL("plux.json", JSR_PKG)),
    );
    assert.deepEqual(results, [
      { specifier: "jsr:@fixture/pkg@^1/plux.json", json: index },
      {
        specifier: "jsr:@fixture/pkg@^1/plugins",
        exports: { Greeter: "function" },
      },
      {
        specifier: "jsr:@fixture/pkg@^1",
        exports: { Greeter: "function", greeting: "hello from npm" },
      },
      {
        specifier: "jsr:@fixture/pkg@^1/src/internal.ts",
        error:
          "Unknown export './src/internal.ts' for '@fixture/pkg@1.0.0'.\n" +
          "  Package exports:\n * .\n * ./plugins\n * ./plux.json",
      },
      {
        specifier: "jsr:@fixture/pkg@^2",
        error:
          "Could not find version of '@fixture/pkg' that matches specified " +
          "version constraint '^2'",
      },
      {
        specifier: "jsr:@fixture/missing@^1",
        error: "JSR package not found: @fixture/missing",
      },
    ]);
    assert.deepEqual(jsr.requests.slice(0, 5), [
      "/@fixture/pkg/meta.json",
      "/@fixture/pkg/1.0.0_meta.json",
      "/@fixture/pkg/1.0.0/plux.json",
      "/@fixture/pkg/1.0.0/src/plugins.ts",
      "/@plux/core/meta.json",
    ]);
    assert.ok(jsr.requests.includes("/@plux/core/0.1.0/mod.ts"));
    assert.ok(npm.requests.includes("/fixture-pkg/-/fixture-pkg-1.0.0.tgz"));
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "deno.json",
      "probe.js",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
