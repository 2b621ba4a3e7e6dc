import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { copyFixture, runCli } from "./_fixture.ts";

Deno.test("plux registry writes a registry of the workspace's plugins, and --check fails once it is stale", async () => {
  const dir = await copyFixture("workspace");
  try {
    const index = await runCli(dir, ["index"]);
    assert.equal(index.code, 0, index.stderr);
    // Reading indexes needs no write or import permission beyond the output.
    const perms = [`--allow-read=${dir}`, `--allow-write=${dir}`];
    const first = await runCli(dir, ["registry", "--out", "plugins.gen.ts"], [
      ...perms,
    ]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /plugins\.gen\.ts: 2 plugins from deno\.json; wrote/,
    );
    const file = join(dir, "plugins.gen.ts");
    const text = await Deno.readTextFile(file);
    assert.match(
      text,
      /import: \(\) => import\("\.\/packages\/alpha\/mod\.ts"\)/,
    );
    assert.match(text, /package: "@fixture\/alpha"/);

    const check = await runCli(dir, [
      "registry",
      "--out",
      "plugins.gen.ts",
      "--check",
    ], perms);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /up to date/);

    await Deno.writeTextFile(
      file,
      text.replace('name: "alpha"', 'name: "old"'),
    );
    const stale = await runCli(dir, [
      "registry",
      "--out",
      "plugins.gen.ts",
      "--check",
    ], perms);
    assert.equal(stale.code, 1);
    assert.match(
      stale.stderr,
      /plugins\.gen\.ts is stale.*registry --out plugins\.gen\.ts/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux registry without --out exits 2 with the command's usage", async () => {
  const dir = await copyFixture("workspace");
  try {
    const result = await runCli(dir, ["registry"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /error: --out FILE is required/);
    assert.match(result.stderr, /Usage: plux registry --out FILE/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux registry writes escaped URLs for folders named with # % ? and spaces, and an output name cannot put code into the header", async () => {
  const dir = await copyFixture("workspace");
  try {
    const odd = "al#p%a ?x é";
    await Deno.rename(
      join(dir, "packages", "alpha"),
      join(dir, "packages", odd),
    );
    const index = await runCli(dir, ["index"]);
    assert.equal(index.code, 0, index.stderr);
    const out = "gen'\nexport const injected = 1;\n.ts";
    const result = await runCli(dir, ["registry", "--out", out], [
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const file = join(dir, out);
    const text = await Deno.readTextFile(file);
    assert.doesNotMatch(text, /^export const injected/m);
    assert.match(
      text,
      /--out 'gen'\\''\\u000aexport const injected = 1;\\u000a\.ts'/,
    );
    const specifiers = [...text.matchAll(/import\("([^"]*)"\)/g)].map((m) =>
      m[1]!
    );
    assert.deepEqual(specifiers, [
      "./packages/al%23p%25a%20%3Fx%20%C3%A9/mod.ts",
      "./packages/beta/mod.ts",
    ]);
    for (const specifier of specifiers) {
      const path = fileURLToPath(new URL(specifier, pathToFileURL(file)));
      assert.ok((await Deno.stat(path)).isFile, path);
    }
    const module = await import(pathToFileURL(file).href);
    assert.deepEqual(Object.keys(module), ["default"]);
    assert.deepEqual(
      module.default.map((item: { name: string }) => item.name),
      ["alpha", "beta"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
