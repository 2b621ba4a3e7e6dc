import assert from "node:assert/strict";
import { probeImports } from "./deno_run.ts";
import { startPackageServers } from "./package_servers.ts";

const REGISTRY = new URL("../fixtures/registry/", import.meta.url);

Deno.test("startPackageServers() serves http:, jsr: and npm: packages to one subprocess with only --allow-import", async () => {
  await using servers = await startPackageServers({
    http: new URL("http_pkg/", REGISTRY),
    jsr: [new URL("jsr_pkg/", REGISTRY)],
    npm: [new URL("npm_pkg/", REGISTRY)],
  });
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const { code, stderr, results } = await probeImports(
      dir,
      [servers.allowImport],
      [
        `json:${servers.http.url}plux.json`,
        `${servers.http.url}mod.ts`,
        "json:jsr:@fixture/pkg@^1/plux.json",
        "jsr:@fixture/pkg@^1",
        "json:npm:fixture-pkg@1/plux.json",
      ],
      { env: servers.env },
    );
    assert.equal(code, 0, stderr);
    assert.deepEqual(results.map((r) => r.error), [
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    assert.deepEqual(results[1]?.exports, { greeting: "hello from http!" });
    assert.deepEqual(results[3]?.exports, {
      Greeter: "function",
      greeting: "hello from npm",
    });
    assert.equal(
      (results[4]?.json as { package: { name: string } }).package.name,
      "fixture-pkg",
    );
    assert.ok(servers.jsr.requests.includes("/@plux/core/0.1.0/mod.ts"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("startPackageServers() jsr: imports fail when --allow-import names only the HTTP origin", async () => {
  await using servers = await startPackageServers({
    jsr: [new URL("jsr_pkg/", REGISTRY)],
    npm: [new URL("npm_pkg/", REGISTRY)],
  });
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const { results } = await probeImports(
      dir,
      [`--allow-import=${servers.http.host}`],
      [
        "json:jsr:@fixture/pkg@^1/plux.json",
        "json:npm:fixture-pkg@1/plux.json",
      ],
      { env: servers.env },
    );
    assert.equal(
      results[0]?.error,
      "JSR package manifest for '@fixture/pkg' failed to load. Requires import " +
        `access to "${servers.jsr.host}", run again with the --allow-import flag`,
    );
    assert.equal(results[1]?.error, undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
