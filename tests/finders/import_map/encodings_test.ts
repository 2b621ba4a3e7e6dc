// A plux.json read from disk and one imported as JSON (URL, jsr:, npm:)
// are treated alike where the library can see the difference: a UTF-8 byte
// order mark is accepted by both, and a genuine U+FFFD (the bytes EF BF BD)
// is text like any other in both. Bytes that are not UTF-8 are reported from
// disk; an imported index is decoded by Deno, which puts U+FFFD in their
// place without telling, so it is taken as Deno decoded it (see
// docs/security.md).
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveFolder } from "../../support/http_origin.ts";
import { runDeno } from "../../support/deno_run.ts";
import { parseJsonc } from "../../../src/finders/_jsonc.ts";
import { parseIndex } from "../../../src/index/format.ts";

const LIBRARY = fileURLToPath(new URL("../../../mod.ts", import.meta.url));
const NS = "t.encodings";
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

function bytes(...parts: (string | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((p) =>
    typeof p === "string" ? new TextEncoder().encode(p) : p
  );
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

function index(description: string | Uint8Array): Uint8Array {
  return bytes(
    `{"version":1,"plugins":{"${NS}":[{"name":"p","export":"p",` +
      `"path":"./mod.ts","metadata":{"description":"`,
    description,
    `"}}]}}`,
  );
}

const APP = `
import { ImportMapFinder } from ${JSON.stringify(LIBRARY)};
const problems = [];
const found = await new ImportMapFinder({ importModule: (s, o) => import(s, o) })
  .findPlugins({ report: (e) => problems.push(e.message) });
console.log(JSON.stringify({
  found: found.map((e) => [e.name, e.metadata?.description]),
  problems,
}));
`;

Deno.test("a plux.json with a byte order mark, or with bytes that are not UTF-8, gives the same answer read from disk and imported from a URL", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_enc_" });
  try {
    const cases: [string, Uint8Array][] = [
      ["bom", bytes(BOM, index("plain"))],
      ["fffd", index(new Uint8Array([0x61, 0xef, 0xbf, 0xbd, 0x62]))],
      ["bad", index(new Uint8Array([0x61, 0xff, 0xfe, 0x62]))],
    ];
    for (const [name, content] of cases) {
      await Deno.mkdir(join(dir, "pkgs", name), { recursive: true });
      await Deno.writeFile(join(dir, "pkgs", name, "plux.json"), content);
      await Deno.writeTextFile(
        join(dir, "pkgs", name, "mod.ts"),
        "export const p = 1;\n",
      );
    }
    await using origin = serveFolder(join(dir, "pkgs"));
    await Deno.writeTextFile(join(dir, "app.ts"), APP);
    const answers: Record<string, unknown> = {};
    for (const [name] of cases) {
      for (const where of ["disk", "url"]) {
        const target = where === "disk"
          ? `./pkgs/${name}/`
          : `${origin.url}${name}/`;
        await Deno.writeTextFile(
          join(dir, "deno.json"),
          JSON.stringify({ lock: false, imports: { "x/": target } }),
        );
        const result = await runDeno(
          [
            "run",
            `--allow-read=${dir}`,
            `--allow-import=${origin.host}`,
            "app.ts",
          ],
          { cwd: dir },
        );
        assert.equal(result.code, 0, result.stderr);
        answers[`${name} ${where}`] = JSON.parse(result.stdout);
      }
    }
    const ok = { found: [["p", "plain"]], problems: [] };
    assert.deepEqual(answers["bom disk"], ok);
    assert.deepEqual(answers["bom url"], ok);
    const replacement = { found: [["p", "a\ufffdb"]], problems: [] };
    assert.deepEqual(answers["fffd disk"], replacement);
    assert.deepEqual(answers["fffd url"], replacement);
    const bad = answers["bad disk"] as { found: unknown[]; problems: string[] };
    assert.deepEqual(bad.found, []);
    assert.equal(bad.problems.length, 1);
    assert.match(
      bad.problems[0]!,
      /plux\.json is not valid UTF-8 text: save it as UTF-8, or regenerate it/,
    );
    // What Deno's JSON import made of the bytes: the library never sees them.
    assert.deepEqual(answers["bad url"], {
      found: [["p", "a\ufffd\ufffdb"]],
      problems: [],
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseIndex() and parseJsonc() drop a byte order mark and refuse bytes that are not UTF-8", async () => {
  const good = new TextEncoder().encode(`{"version":1,"plugins":{}}`);
  assert.deepEqual(
    Object.keys(parseIndex(bytes(BOM, good), "plux.json").index.plugins),
    [],
  );
  assert.deepEqual(
    parseIndex("\ufeff" + new TextDecoder().decode(good), "plux.json").problems,
    [],
  );
  assert.throws(
    () =>
      parseIndex(
        bytes(good.slice(0, 5), new Uint8Array([0xc3]), good.slice(5)),
        "/p/plux.json",
      ),
    /^SyntaxError: \/p\/plux\.json is not valid UTF-8 text: save it as UTF-8, or regenerate it/,
  );
  assert.deepEqual(await parseJsonc(bytes(BOM, '{ "a": 1, }'), "deno.json"), {
    a: 1,
  });
  await assert.rejects(
    parseJsonc(
      bytes('{"a":"', new Uint8Array([0xe2, 0x28]), '"}'),
      "/p/deno.json",
    ),
    /^SyntaxError: \/p\/deno\.json is not valid UTF-8 text; save it as UTF-8$/,
  );
});

Deno.test("a plugin directory package takes a byte order mark and reports bytes that are not UTF-8, in deno.json and plux.json", async () => {
  const { readDirectoryEntry } = await import(
    "../../../src/finders/directory/_package.ts"
  );
  const root = await Deno.makeTempDir({ prefix: "plux_enc_dir_" });
  try {
    const write = async (
      name: string,
      config: Uint8Array,
      plux: Uint8Array,
    ) => {
      await Deno.mkdir(join(root, name));
      await Deno.writeFile(join(root, name, "deno.json"), config);
      await Deno.writeFile(join(root, name, "plux.json"), plux);
      await Deno.writeTextFile(
        join(root, name, "mod.ts"),
        "export const p = 1;\n",
      );
      return await readDirectoryEntry(root, join(root, name));
    };
    const config = `{"name":"@t/p","version":"1.0.0"}`;
    const good = await write(
      "bom",
      bytes(BOM, config),
      bytes(BOM, index("plain")),
    );
    assert.equal(good?.problem, undefined);
    assert.equal(good?.package?.name, "@t/p");
    const badConfig = await write(
      "bad-config",
      bytes(`{"name":"@t/`, new Uint8Array([0xff]), `","version":"1.0.0"}`),
      index("plain"),
    );
    assert.match(
      badConfig?.problem?.reason ?? "",
      /deno\.json is not valid UTF-8 text; save it as UTF-8/,
    );
    const badIndex = await write(
      "bad-index",
      bytes(config),
      index(new Uint8Array([0xc0, 0x80])),
    );
    assert.match(
      badIndex?.problem?.reason ?? "",
      /plux\.json is not valid UTF-8 text; save it as UTF-8, or reinstall the package/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
