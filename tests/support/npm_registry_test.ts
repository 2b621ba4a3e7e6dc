import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { probeImports } from "./deno_run.ts";
import { readNpmPackage, startNpmRegistry } from "./npm_registry.ts";

const REGISTRY = new URL("../fixtures/registry/", import.meta.url);
const NPM_PKG = new URL("npm_pkg/", REGISTRY);
const NPM_SCOPED = new URL("npm_scoped/", REGISTRY);

/** The file names of a tar archive, read from its 512-byte headers. */
function tarNames(tar: Uint8Array): string[] {
  const names: string[] = [];
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0;) {
    const field = (from: number, length: number) =>
      new TextDecoder().decode(tar.subarray(at + from, at + from + length))
        .replace(/\0.*$/s, "");
    names.push(field(0, 100));
    at += 512 + Math.ceil(parseInt(field(124, 12), 8) / 512) * 512;
  }
  return names;
}

Deno.test("readNpmPackage() packs every file of the folder under package/", async () => {
  const pkg = await readNpmPackage(NPM_PKG);
  assert.equal(pkg.name, "fixture-pkg");
  assert.equal(pkg.version, "1.0.0");
  assert.deepEqual(tarNames(gunzipSync(pkg.tarball)), [
    "package/index.js",
    "package/internal.js",
    "package/package.json",
    "package/plux.json",
  ]);
});

Deno.test("readNpmPackage() throws naming package.json when name or version is missing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await Deno.writeTextFile(`${dir}/package.json`, '{ "name": "x" }');
    await assert.rejects(
      () => readNpmPackage(dir),
      {
        message:
          `${dir}/package.json: an npm test package needs "name" and "version"; add them`,
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("startNpmRegistry() serves packuments whose dist matches the tarballs", async (t) => {
  await using registry = await startNpmRegistry([NPM_PKG, NPM_SCOPED]);
  const cases: [string, string, string][] = [
    ["fixture-pkg", "1.0.0", "fixture-pkg/-/fixture-pkg-1.0.0.tgz"],
    ["@fixture%2fscoped", "2.1.0", "@fixture/scoped/-/scoped-2.1.0.tgz"],
    ["@fixture/scoped", "2.1.0", "@fixture/scoped/-/scoped-2.1.0.tgz"],
  ];
  for (const [path, version, tarballPath] of cases) {
    await t.step(`GET /${path}`, async () => {
      const packument = await (await fetch(registry.url + path)).json();
      assert.equal(packument.name, decodeURIComponent(path));
      assert.deepEqual(packument["dist-tags"], { latest: version });
      const { dist, exports } = packument.versions[version];
      assert.equal(exports["./plux.json"], "./plux.json");
      assert.equal(dist.tarball, registry.url + tarballPath);
      const tarball = new Uint8Array(
        await (await fetch(dist.tarball)).arrayBuffer(),
      );
      assert.equal(
        dist.integrity,
        `sha512-${createHash("sha512").update(tarball).digest("base64")}`,
      );
      assert.equal(
        dist.shasum,
        createHash("sha1").update(tarball).digest("hex"),
      );
      assert.ok(tarNames(gunzipSync(tarball)).includes("package/package.json"));
    });
  }
  for (const path of ["missing-pkg", "fixture-pkg/-/fixture-pkg-9.9.9.tgz"]) {
    await t.step(`GET /${path} is 404`, async () => {
      const response = await fetch(registry.url + path);
      await response.body?.cancel();
      assert.equal(response.status, 404);
    });
  }
});

Deno.test("startNpmRegistry() lets a subprocess import npm: JSON and modules with no permission flags", async () => {
  await using registry = await startNpmRegistry([NPM_PKG, NPM_SCOPED]);
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const { code, stderr, results } = await probeImports(dir, [], [
      "json:npm:fixture-pkg@1/plux.json",
      "npm:fixture-pkg@1",
      "npm:@fixture/scoped@^2",
      "json:npm:@fixture/scoped@^2/plux.json",
      "npm:fixture-pkg@1/internal.js",
      "npm:fixture-pkg@^3",
      "npm:missing-pkg@1",
    ], { env: { NPM_CONFIG_REGISTRY: registry.url } });
    assert.equal(code, 0, stderr);
    const [plux, greeting, scoped, scopedPlux, internal, ...rest] = results;
    assert.deepEqual(plux, {
      specifier: "npm:fixture-pkg@1/plux.json",
      json: JSON.parse(await Deno.readTextFile(new URL("plux.json", NPM_PKG))),
    });
    assert.deepEqual(greeting?.exports, { greeting: "hello from npm" });
    assert.deepEqual(scoped?.exports, {
      scoped: "hello from npm (via @fixture/scoped)",
    });
    assert.deepEqual(scopedPlux?.json, { version: 1, plugins: {} });
    // Deno names the package.json inside its npm cache (DENO_DIR/npm/<port>/...).
    assert.match(
      internal?.error ?? "",
      /^\[ERR_PACKAGE_PATH_NOT_EXPORTED\] Package subpath '\.\/internal\.js' is not defined by "exports" in '.*\/fixture-pkg\/1\.0\.0\/package\.json' imported from 'file:\/\/\/.*'$/,
    );
    assert.deepEqual(rest, [
      {
        specifier: "npm:fixture-pkg@^3",
        error: "Could not find npm package 'fixture-pkg' matching '^3'.",
      },
      {
        specifier: "npm:missing-pkg@1",
        error: "npm package 'missing-pkg' does not exist.",
      },
    ]);
    assert.deepEqual(registry.requests.slice(0, 4), [
      "/fixture-pkg",
      "/fixture-pkg/-/fixture-pkg-1.0.0.tgz",
      "/@fixture%2fscoped",
      "/@fixture/scoped/-/scoped-2.1.0.tgz",
    ]);
    // No node_modules and no lockfile: the packages live in DENO_DIR.
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [
      "probe.js",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
