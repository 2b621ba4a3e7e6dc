import assert from "node:assert/strict";
import { probeImports } from "./deno_run.ts";
import { serveFolder } from "./http_origin.ts";

const FIXTURE = new URL("../fixtures/registry/http_pkg/", import.meta.url);

Deno.test("serveFolder() answers with Deno's content types and 404s", async (t) => {
  await using origin = serveFolder(FIXTURE);
  const cases: [string, number, string][] = [
    ["mod.ts", 200, "application/typescript; charset=utf-8"],
    ["helper.js", 200, "application/javascript; charset=utf-8"],
    ["plux.json", 200, "application/json; charset=utf-8"],
    ["missing.ts", 404, "text/plain; charset=utf-8"],
    ["", 404, "text/plain; charset=utf-8"],
    ["..%2fjsr_pkg%2fdeno.json", 404, "text/plain; charset=utf-8"],
  ];
  for (const [path, status, type] of cases) {
    await t.step(`GET /${path} is ${status}`, async () => {
      const response = await fetch(origin.url + path);
      assert.equal(response.status, status);
      assert.equal(response.headers.get("content-type"), type);
      const body = await response.text();
      if (status === 200) {
        assert.equal(body, await Deno.readTextFile(new URL(path, FIXTURE)));
      }
    });
  }
});

Deno.test("serveFolder() lets a subprocess import a module and a JSON file with --allow-import", async () => {
  await using origin = serveFolder(FIXTURE);
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const { results, code, stderr } = await probeImports(
      dir,
      [`--allow-import=${origin.host}`],
      [
        `${origin.url}mod.ts`,
        `json:${origin.url}plux.json`,
        `${origin.url}missing.ts`,
      ],
    );
    assert.equal(code, 0, stderr);
    assert.deepEqual(results, [
      {
        specifier: `${origin.url}mod.ts`,
        exports: { greeting: "hello from http!" },
      },
      {
        specifier: `${origin.url}plux.json`,
        json: { version: 1, plugins: {} },
      },
      {
        specifier: `${origin.url}missing.ts`,
        error: `Module not found "${origin.url}missing.ts".`,
      },
    ]);
    assert.deepEqual(origin.requests, [
      "/mod.ts",
      "/helper.js",
      "/plux.json",
      "/missing.ts",
    ]);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [
      "probe.js",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serveFolder() imports are refused without --allow-import", async () => {
  await using origin = serveFolder(FIXTURE);
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const { results } = await probeImports(dir, [], [
      `json:${origin.url}plux.json`,
    ]);
    assert.deepEqual(results, [{
      specifier: `${origin.url}plux.json`,
      error: `Requires import access to "${origin.host}", ` +
        "run again with the --allow-import flag",
    }]);
    assert.deepEqual(origin.requests, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
