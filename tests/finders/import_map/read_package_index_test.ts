import assert from "node:assert/strict";
import { isMissingIndex } from "../../../src/finders/import_map/_remote_index.ts";

// Messages Deno 2.9.6 gives for a JSON import of plux.json through the test
// registries (see tests/support/*_registry.ts and import_map_finder_remote_test.ts).
const MISSING: [string, string][] = [
  [
    "URL package, HTTP 404",
    'Module not found "http://127.0.0.1:40404/x/plux.json".',
  ],
  [
    "jsr: package that does not export it",
    "Unknown export './plux.json' for '@fixture/no-index@1.0.0'.\n  Package exports:\n * .",
  ],
  [
    "npm: package whose exports leave it out",
    "[ERR_PACKAGE_PATH_NOT_EXPORTED] Package subpath './plux.json' is not defined by \"exports\" in '/tmp/d/npm/36875/fixture-no-index/1.0.0/package.json' imported from 'file:///tmp/a'",
  ],
  [
    "npm: package without exports",
    "[ERR_MODULE_NOT_FOUND] Cannot find module 'file:///tmp/d/npm/36875/fixture-legacy/1.0.0/plux.json' imported from 'file:///tmp/a'",
  ],
];

const REPORTED: [string, string][] = [
  ["unknown jsr: package", "JSR package not found: @fixture/nonexistent"],
  ["unknown npm: package", "npm package 'fixture-nonexistent' does not exist."],
  [
    "no matching version",
    "Could not find version of '@fixture/no-index' that matches specified version constraint '^7'",
  ],
  [
    "missing --allow-import",
    "JSR package manifest for '@fixture/pkg' failed to load. Requires import access to \"127.0.0.1:40404\", run again with the --allow-import flag",
  ],
  [
    "server error",
    "Import 'http://127.0.0.1:40404/plux.json' failed: 500 Internal Server Error",
  ],
  [
    "refused connection on a port holding 404",
    "Import 'http://127.0.0.1:40404/plux.json' failed.\n    0: error sending request for url (http://127.0.0.1:40404/plux.json): client error (Connect): tcp connect error: Connection refused (os error 111)",
  ],
];

Deno.test("isMissingIndex() skips packages whose index does not exist and reports every other failure", async (t) => {
  for (const [what, message] of MISSING) {
    await t.step(`skips: ${what}`, () => {
      assert.equal(isMissingIndex(new Error(message)), true);
    });
  }
  for (const [what, message] of REPORTED) {
    await t.step(`reports: ${what}`, () => {
      assert.equal(isMissingIndex(new Error(message)), false);
    });
  }
});
