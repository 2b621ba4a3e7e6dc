import assert from "node:assert/strict";
import { buildIndex } from "../../src/build/build_index.ts";
import type { PluginExport } from "../../src/build/collect_plugins.ts";
import { validateIndex } from "../../src/index/format.ts";

function exported(
  name: string,
  path: string,
  subpaths: string[] = [],
): PluginExport {
  return {
    namespace: "t.build",
    name,
    value: { name },
    module: { path, subpaths },
    export: name,
    requires: [],
    after: [],
  };
}

Deno.test("buildIndex() refuses a module path or export key that a plux.json may not name, and writes the others", () => {
  const built = buildIndex({ name: "@t/p", version: "1.0.0" }, [
    exported("spaced", "./my plugin.ts"),
    exported("tabbed", "./a\tb.ts"),
    exported("hashed", "./a#b.ts"),
    exported("percent", "./100%.ts"),
    exported("badkey", "./ok.ts", ["./bad key"]),
    exported("fine", "./é/名前.ts", ["./fine"]),
  ]);
  assert.deepEqual(
    built.index.plugins["t.build"]!.map((e) => e.name),
    ["fine"],
  );
  assert.equal(built.errors.length, 5);
  for (const error of built.errors) {
    assert.match(
      error.message,
      /^plugin t\.build:\w+ is in ".*", which a plux\.json may not name \(no whitespace, control characters, %, #, \? or \\ in module paths and export keys\); rename it$/,
    );
  }
  // What it writes, the reader accepts.
  assert.deepEqual(validateIndex(built.index, "plux.json").problems, []);
});

Deno.test("buildIndex() leaves out a package name that is not one, with a warning", () => {
  const built = buildIndex({ name: "my app", version: "1.0.0" }, [
    exported("p", "./p.ts", ["."]),
  ]);
  assert.deepEqual(built.index.package, { name: undefined, version: "1.0.0" });
  assert.match(
    built.warnings.join("\n"),
    /the package name "my app" is not a package name .* fix "name" in the package's config/,
  );
});

Deno.test("buildIndex() refuses a plugin whose name, export or requirement holds a lone surrogate, which the reader would refuse", () => {
  const odd = (field: "name" | "export" | "requires"): PluginExport => {
    const item = exported(`odd-${field}`, "./odd.ts");
    return field === "name"
      ? { ...item, name: "odd\ud800" }
      : field === "export"
      ? { ...item, export: "x\udc00" }
      : { ...item, requires: ["\ud800"] };
  };
  const built = buildIndex({ name: "@t/p", version: "1.0.0" }, [
    odd("name"),
    odd("export"),
    odd("requires"),
    exported("fine", "./fine.ts"),
  ]);
  assert.deepEqual(
    built.index.plugins["t.build"]!.map((e) => e.name),
    ["fine"],
  );
  assert.equal(built.errors.length, 3);
  for (const error of built.errors) {
    assert.match(error.message, /not well-formed Unicode.*; rename it$/);
    assert.ok(error.message.isWellFormed(), error.message);
  }
  assert.equal(validateIndex(built.index, "plux.json").problems.length, 0);
});

Deno.test("buildIndex() leaves out a package version that is not one, with a warning, so the reader accepts what it writes", () => {
  for (const version of ["1.0", "1.0.0\nforged", "latest", " 1.0.0"]) {
    const built = buildIndex({ name: "@t/p", version }, [
      exported("p", "./p.ts", ["."]),
    ]);
    assert.deepEqual(built.index.package, { name: "@t/p", version: undefined });
    assert.match(
      built.warnings.join("\n"),
      /the package version ".*" is not a version .* fix "version" in the package's config/,
    );
    assert.deepEqual(validateIndex(built.index, "plux.json").problems, []);
  }
});
