import assert from "node:assert/strict";
import fc from "fast-check";
import { parse } from "jsonc-parser";
import {
  addConfigEntry,
  addIndexExport,
  replaceConfigValue,
} from "../../src/build/exports_entry.ts";
import type { PackageConfig } from "../../src/build/package_config.ts";

const TASK = "deno run -A jsr:@plux/core/cli index";

Deno.test("addConfigEntry() adds to an existing object, keeping its layout and comments", async (t) => {
  const cases: [string, string, string[], string][] = [
    [
      "one-line file",
      '{"name":"@a/b","tasks":{"dev":"deno run main.ts"}}',
      ["tasks"],
      '{"name":"@a/b","tasks":{"dev":"deno run main.ts", "plux:index": "' +
      TASK + '"}}',
    ],
    [
      "multi-line object with a comment after the last entry",
      '{\n  // tasks\n  "tasks": {\n    "dev": "x" // dev\n  }\n}\n',
      ["tasks"],
      '{\n  // tasks\n  "tasks": {\n    "dev": "x", // dev\n    "plux:index": "' +
      TASK + '"\n  }\n}\n',
    ],
    [
      "empty one-line object",
      '{ "tasks": {} }\n',
      ["tasks"],
      `{ "tasks": { "plux:index": "${TASK}" } }\n`,
    ],
    [
      "empty multi-line object",
      '{\n  "tasks": {\n  }\n}\n',
      ["tasks"],
      `{\n  "tasks": {\n    "plux:index": "${TASK}"\n  }\n}\n`,
    ],
    [
      "CRLF line ends",
      '{\r\n  "tasks": {\r\n    "dev": "x"\r\n  }\r\n}\r\n',
      ["tasks"],
      `{\r\n  "tasks": {\r\n    "dev": "x",\r\n    "plux:index": "${TASK}"\r\n  }\r\n}\r\n`,
    ],
  ];
  for (const [name, text, path, expected] of cases) {
    await t.step(name, () => {
      assert.equal(addConfigEntry(text, path, "plux:index", TASK), expected);
    });
  }
});

Deno.test("addConfigEntry() adds a missing object to its parent, on one line in a one-line file", () => {
  assert.equal(
    addConfigEntry('{"name":"@a/b"}', ["tasks"], "plux:index", TASK),
    `{"name":"@a/b", "tasks": { "plux:index": "${TASK}" }}`,
  );
  assert.equal(
    addConfigEntry(
      '{\n\t"name": "@a/b"\n}\n',
      ["imports"],
      "@plux/core",
      "jsr:@plux/core@^0.1.0",
    ),
    '{\n\t"name": "@a/b",\n\t"imports": {\n\t\t"@plux/core": "jsr:@plux/core@^0.1.0"\n\t}\n}\n',
  );
  assert.equal(
    addConfigEntry("{}", ["tasks"], "t", "x"),
    '{ "tasks": { "t": "x" } }',
  );
  assert.throws(
    () => addConfigEntry('{ "tasks": "nope" }', ["tasks"], "t", "x"),
    /"tasks" is not an object; fix the config/,
  );
});

Deno.test("replaceConfigValue() and addIndexExport() keep a one-line config on one line", () => {
  const config = (
    text: string,
    extra: Partial<PackageConfig>,
  ): PackageConfig => ({
    file: "deno.json",
    dir: ".",
    text,
    exclude: [],
    denoExclude: [],
    ...extra,
  });
  const line = '{ "name": "@a/b", "version": "1.0.0", "exports": "./mod.ts" }';
  assert.equal(
    addIndexExport(config(line, { name: "@a/b", exports: "./mod.ts" })),
    '{ "name": "@a/b", "version": "1.0.0", "exports": { ".": "./mod.ts", "./plux.json": "./plux.json" } }',
  );
  assert.equal(
    addIndexExport(config('{"name":"@a/b"}', { name: "@a/b" })),
    '{"name":"@a/b", "exports": { "./plux.json": "./plux.json" }}',
  );
  assert.equal(
    replaceConfigValue('{ "a": { "b": 1 } }', ["a", "b"], [1, 2]),
    '{ "a": { "b": [1,2] } }',
  );
});

/** A JSON object of a few levels with keys that are safe to add to. */
const objects = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== "__proto__"),
  fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.dictionary(
      fc.string({ minLength: 1, maxLength: 6 }).filter((k) =>
        k !== "__proto__"
      ),
      fc.string({ maxLength: 8 }),
      { maxKeys: 3 },
    ),
  ),
  { maxKeys: 5 },
);

Deno.test("addConfigEntry() gives the config plus the entry, keeps a leading comment, and keeps a one-line config on one line", () => {
  fc.assert(
    fc.property(
      objects,
      fc.constantFrom<string | number | undefined>(undefined, 2, "\t"),
      fc.string({ minLength: 1, maxLength: 6 }),
      fc.string(),
      (data, space, key, value) => {
        // Add under an object member when there is one, else at the top.
        const parent = Object.entries(data).find(([, v]) =>
          typeof v === "object" && !Object.hasOwn(v as object, key)
        )?.[0];
        const path = parent === undefined ? ["plux-test"] : [parent];
        if (parent === undefined && Object.hasOwn(data, "plux-test")) return;
        const text = `// keep me\n${JSON.stringify(data, null, space)}`;
        const out = addConfigEntry(text, path, key, value);
        const expected = structuredClone(data) as Record<string, unknown>;
        expected[path[0]!] = {
          ...(expected[path[0]!] as object ?? {}),
          [key]: value,
        };
        assert.deepEqual(parse(out), expected);
        assert.ok(out.startsWith("// keep me\n"));
        if (space === undefined) assert.equal(out.split("\n").length, 2);
      },
    ),
  );
});
