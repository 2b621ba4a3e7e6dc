import assert from "node:assert/strict";
import {
  addIndexExport,
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

Deno.test("addIndexExport() corrects a wrong ./plux.json target instead of adding a key", () => {
  const text = '{\n  "exports": {\n    "./plux.json": "./old.json"\n  }\n}\n';
  const exports = { "./plux.json": "./old.json" };
  assert.equal(needsIndexExport(config(text, { exports })), true);
  assert.equal(
    addIndexExport(config(text, { exports })),
    '{\n  "exports": {\n    "./plux.json": "./plux.json"\n  }\n}\n',
  );
});

Deno.test("needsIndexExport() is false for a config that is not a package", () => {
  assert.equal(needsIndexExport(config("{}", {})), false);
  assert.equal(needsIndexExport(config("{}", { name: "@a/b" })), true);
});
