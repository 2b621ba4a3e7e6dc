import assert from "node:assert/strict";
import { join } from "node:path";
import { listModules } from "../../src/build/module_list.ts";
import { readPackageConfig } from "../../src/build/package_config.ts";
import { matchesPathGlob } from "../../src/finders/_path_glob.ts";

Deno.test("listModules() scans exports and sources, skipping tests, fixtures, scripts, main.ts, hidden and nested packages", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const files = [
      "mod.ts",
      "src/a.ts",
      "src/a_test.ts",
      "src/b.test.ts",
      "src/c.d.ts",
      "src/d.mjs",
      "src/e.json",
      "tests/t.ts",
      "fixtures/f.ts",
      ".hidden/h.ts",
      "node_modules/x/i.js",
      "nested/deno.json",
      "nested/n.ts",
      "bench/b.ts",
      "scripts/build.ts",
      "tools/deploy.ts",
      "examples/server.ts",
      "main.ts",
      "src/main.js",
      "gen/out.ts",
    ];
    for (const file of files) {
      await Deno.mkdir(join(dir, file, ".."), { recursive: true });
      await Deno.writeTextFile(join(dir, file), "");
    }
    await Deno.writeTextFile(
      join(dir, "deno.json"),
      JSON.stringify({
        exports: {
          ".": "./mod.ts",
          "./a": "./src/a.ts",
          "./data": "./src/e.json",
        },
        exclude: ["gen/"],
        plux: { exclude: ["tools/**"] },
      }),
    );
    const config = await readPackageConfig(join(dir, "deno.json"));
    assert.deepEqual(await listModules(config), [
      { path: "./mod.ts", subpaths: ["."] },
      { path: "./src/a.ts", subpaths: ["./a"] },
      { path: "./src/d.mjs", subpaths: [] },
    ]);
    const only = { ...config, include: ["./tests/**/*.ts", "main.ts"] };
    assert.deepEqual((await listModules(only)).map((m) => m.path), [
      "./main.ts",
      "./mod.ts",
      "./src/a.ts",
      "./tests/t.ts",
    ]);
    // An exported main.ts is part of the package's API: it is scanned.
    const exported = {
      ...config,
      exports: { ...config.exports as object, "./main": "./main.ts" },
    };
    assert.deepEqual((await listModules(exported))[0], {
      path: "./main.ts",
      subpaths: ["./main"],
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("matchesPathGlob() keeps * inside a segment and lets ** cross them", () => {
  assert.equal(matchesPathGlob("a.ts", "**/*.ts"), true);
  assert.equal(matchesPathGlob("src/x/a.ts", "src/**/*.ts"), true);
  assert.equal(matchesPathGlob("src/x/a.ts", "src/*.ts"), false);
  assert.equal(matchesPathGlob("src/a.mjs", "src/*.{ts,mjs}"), true);
  assert.equal(matchesPathGlob("src/a+b.ts", "src/a+b.ts"), true);
  assert.equal(matchesPathGlob("srcXa.ts", "src?a.ts"), true);
  assert.equal(matchesPathGlob("src/a.ts", "src?a.ts"), false);
});
