import assert from "node:assert/strict";
import {
  addIndexExport,
  indexExportConflict,
  needsIndexExport,
} from "../../src/build/exports_entry.ts";
import type { PackageConfig } from "../../src/build/package_config.ts";

function config(text: string, extra: Partial<PackageConfig>): PackageConfig {
  return {
    file: "deno.json",
    dir: ".",
    text,
    exclude: [],
    denoExclude: [],
    ...extra,
  };
}

Deno.test("addIndexExport() keeps a comment at the end of the last entry's line", () => {
  const text = '{\n  "exports": {\n    ".": "./mod.ts" // main\n  }\n}\n';
  assert.equal(
    addIndexExport(config(text, { exports: { ".": "./mod.ts" } })),
    '{\n  "exports": {\n    ".": "./mod.ts", // main\n    "./plux.json": "./plux.json"\n  }\n}\n',
  );
});

Deno.test("addIndexExport() turns a string exports into an object, with the file's indentation", () => {
  const text = '{\n\t"name": "@a/b",\n\t"exports": "./mod.ts"\n}\n';
  assert.equal(
    addIndexExport(config(text, { name: "@a/b", exports: "./mod.ts" })),
    '{\n\t"name": "@a/b",\n\t"exports": {\n\t\t".": "./mod.ts",\n\t\t"./plux.json": "./plux.json"\n\t}\n}\n',
  );
});

Deno.test("addIndexExport() keeps a one-line exports object on one line", async (t) => {
  const cases: [string, string, string][] = [
    [
      "exports on one line",
      '{ "name": "@a/b", "exports": { ".": "./mod.ts" } }\n',
      '{ "name": "@a/b", "exports": { ".": "./mod.ts", "./plux.json": "./plux.json" } }\n',
    ],
    [
      "with a trailing comma",
      '{\n  "exports": { ".": "./mod.ts", },\n  "version": "1.0.0"\n}\n',
      '{\n  "exports": { ".": "./mod.ts", "./plux.json": "./plux.json", },\n  "version": "1.0.0"\n}\n',
    ],
  ];
  for (const [name, text, expected] of cases) {
    await t.step(name, () => {
      assert.equal(
        addIndexExport(config(text, { exports: { ".": "./mod.ts" } })),
        expected,
      );
    });
  }
});

Deno.test("indexExportConflict() names another file served as ./plux.json, and needsIndexExport() does not ask to add one", () => {
  const text = '{\n  "exports": {\n    "./plux.json": "./other.json"\n  }\n}\n';
  const other = config(text, { exports: { "./plux.json": "./other.json" } });
  assert.equal(indexExportConflict(other), "./other.json");
  assert.equal(needsIndexExport(other), false);
  const same = config(text, { exports: { "./plux.json": "plux.json" } });
  assert.equal(indexExportConflict(same), undefined);
  assert.equal(needsIndexExport(same), false);
  assert.equal(
    indexExportConflict(config(text, { exports: "./mod.ts" })),
    undefined,
  );
});

Deno.test("needsIndexExport() is false for a config that is not a package", () => {
  assert.equal(needsIndexExport(config("{}", {})), false);
  assert.equal(needsIndexExport(config("{}", { name: "@a/b" })), true);
});
