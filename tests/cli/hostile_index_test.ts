// What an index of someone else's package holds reaches the terminal and
// generated code: control characters are escaped, deep metadata does not
// overflow the stack, and a "__proto__" key stays a key.
import assert from "node:assert/strict";
import { join } from "node:path";
import { toFileUrl } from "../../src/finders/_file_url.ts";
import { runCli } from "./_fixture.ts";

const NS = "t.hostile";
/** OSC (window title), CSI colour, BEL, C1 CSI, DEL and a bidi override. */
const NASTY = "\u001b]0;owned\u0007\u001b[31mred\u009b2J\u007f\u202eevil";

/** An application whose one path package holds `index`. */
async function appWith(index: unknown): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "plux_hostile_" });
  await Deno.mkdir(join(dir, "lib"));
  await Deno.writeTextFile(
    join(dir, "lib", "plux.json"),
    typeof index === "string" ? index : JSON.stringify(index),
  );
  await Deno.writeTextFile(join(dir, "lib", "mod.ts"), "export const p = 1;\n");
  await Deno.writeTextFile(
    join(dir, "deno.json"),
    JSON.stringify({ lock: false, imports: { "lib/": "./lib/" } }),
  );
  return dir;
}

function assertPrintable(text: string, what: string): void {
  const raw = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.exec(
    text.replaceAll("\n", ""),
  );
  assert.equal(
    raw,
    null,
    `${what} holds U+${raw?.[0].codePointAt(0)?.toString(16)}`,
  );
}

Deno.test("plux list escapes control characters and bidi overrides from plugin names, descriptions and problems", async () => {
  const dir = await appWith({
    version: 1,
    plugins: {
      [NS]: [
        {
          name: `name${NASTY}`,
          export: "p",
          path: "./mod.ts",
          metadata: { description: `about${NASTY}` },
        },
        // Rejected by the reader: its problem line names it too.
        { name: `bad${NASTY}`, export: "p", path: "../x.ts" },
      ],
    },
  });
  try {
    const list = await runCli(dir, ["list", NS]);
    assert.equal(list.code, 0, list.stderr);
    assertPrintable(list.stdout, "stdout");
    assertPrintable(list.stderr, "stderr");
    assert.match(
      list.stdout,
      /name\\u001b\]0;owned\\u0007\\u001b\[31mred\\u009b2J\\u007f\\u202eevil/,
    );
    assert.match(list.stdout, /about\\u001b\]0;owned/);
    assert.match(list.stderr, /plugin t\.hostile:bad\\u001b\]0;owned/);
    const json = await runCli(dir, ["list", NS, "--json"]);
    assert.equal(json.code, 0, json.stderr);
    assertPrintable(json.stdout, "--json stdout");
    assert.equal(JSON.parse(json.stdout)[0].name, `name${NASTY}`);
    // The library's own problem lines (no listener) are escaped too.
    const app = join(dir, "app.ts");
    await Deno.writeTextFile(
      app,
      `import { PluginManager } from ${
        JSON.stringify(new URL("../../mod.ts", import.meta.url).href)
      };\nawait new PluginManager("${NS}").listNames();\n`,
    );
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", `--allow-read=${dir}`, app],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(run.stderr);
    assert.equal(run.code, 0, stderr);
    assertPrintable(stderr, "the application's stderr");
    assert.match(stderr, /plux: .*bad\\u001b\]0;owned/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux list --json and plux registry report metadata nested 100 000 deep instead of overflowing the stack", async () => {
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  const dir = await appWith(
    `{"version":1,"plugins":{"${NS}":[` +
      `{"name":"deep","export":"p","path":"./mod.ts","metadata":{"x":${deep}}},` +
      `{"name":"fine","export":"p","path":"./mod.ts","metadata":{"x":[[1]]}}]}}`,
  );
  try {
    const json = await runCli(dir, ["list", NS, "--json"]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(
      JSON.parse(json.stdout).map((r: { name: string }) => r.name),
      [
        "fine",
      ],
    );
    assert.match(
      json.stderr,
      /plugin t\.hostile:deep has metadata nested deeper than 64 levels; regenerate it/,
    );
    const registry = await runCli(dir, ["registry", "--out", "registry.ts"]);
    assert.equal(registry.code, 0, registry.stderr);
    assert.doesNotMatch(registry.stderr, /Maximum call stack/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux registry writes a __proto__ metadata key as a key, never as the object's prototype", async () => {
  const dir = await appWith(
    `{"version":1,"plugins":{"${NS}":[{"name":"p","export":"p","path":"./mod.ts",` +
      `"metadata":{"__proto__":{"polluted":true},"description":"d"}}]}}`,
  );
  try {
    const result = await runCli(dir, ["registry", "--out", "registry.ts"]);
    assert.equal(result.code, 0, result.stderr);
    const { default: registry } = await import(
      toFileUrl(join(dir, "registry.ts")).href
    );
    const metadata = registry[0].metadata;
    assert.equal(Object.getPrototypeOf(metadata), Object.prototype);
    assert.ok(Object.hasOwn(metadata, "__proto__"));
    assert.deepEqual(metadata["__proto__"], { polluted: true });
    assert.equal(metadata.polluted, undefined);
    assert.equal(metadata.description, "d");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Every line break and bidi or format control a terminal could act on. */
const BREAKS_AND_MARKS =
  "\r\n\u000b\u000c\u0085\u2028\u2029\u200e\u200f\u061c\u202e\u2066\u00ad\ufeff\u{e0041}";

Deno.test("plux list prints one line per plugin: line breaks and bidi or format marks in names, namespaces, versions and descriptions are escaped", async () => {
  const namespace = "t.ns\nforged.namespace";
  const dir = await appWith({
    version: 1,
    package: { name: "@good/pkg", version: "1.0.0" },
    plugins: {
      [namespace]: [
        {
          name: "a",
          export: "p",
          path: "./mod.ts",
          metadata: {
            description:
              "ok\n  admin  @trusted/core@1.0.0 (jsr)  Official plugin",
          },
        },
        {
          name: `b${BREAKS_AND_MARKS}`,
          export: "p",
          path: "./mod.ts",
          after: [`c\n  forged`],
          metadata: { description: `d${BREAKS_AND_MARKS}` },
        },
      ],
    },
  });
  try {
    for (
      const args of [
        ["list"],
        ["list", namespace],
        ["list", namespace, "--order"],
        ["list", namespace, "--json"],
        ["list", namespace, "--order", "--json"],
      ]
    ) {
      const result = await runCli(dir, args);
      assert.equal(result.code, 0, result.stderr);
      for (const line of result.stdout.split("\n")) {
        const raw = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u0085]/u.exec(line);
        assert.equal(raw, null, `${args.join(" ")}: ${JSON.stringify(line)}`);
        assert.doesNotMatch(line, /^\s*(admin|forged)\b/, args.join(" "));
      }
      if (args.includes("--json")) JSON.parse(result.stdout);
    }
    const list = await runCli(dir, ["list"]);
    const lines = list.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 3, list.stdout);
    assert.equal(lines[0], "t.ns\\u000aforged.namespace");
    assert.match(
      lines[1]!,
      /^ {2}a +@good\/pkg@1\.0\.0 .* {2}ok\\u000a {2}admin/,
    );
    assert.match(lines[2]!, /^ {2}b\\u000d\\u000a\\u000b/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux list reports a package.version that is not a version and does not print it", async () => {
  const dir = await appWith({
    version: 1,
    package: {
      name: "@good/pkg",
      version: "1.0.0\n  forged  @evil/pkg@6.6.6 (jsr)",
    },
    plugins: { [NS]: [{ name: "a", export: "p", path: "./mod.ts" }] },
  });
  try {
    const list = await runCli(dir, ["list", NS]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(list.stdout.trimEnd().split("\n"), [
      NS,
      `  a  @good/pkg (path, key "lib/")`,
    ]);
    assert.match(
      list.stderr,
      /plux\.json: package version "1\.0\.0\\n {2}forged {2}@evil\/pkg@6\.6\.6 \(jsr\)" is not a version .*regenerate it/,
    );
    assert.equal(list.stderr.trimEnd().split("\n").length, 1, list.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
