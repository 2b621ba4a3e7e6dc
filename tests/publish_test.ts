/**
 * `deno publish --dry-run` for the package, as before a release: it must pass
 * with no slow types, and publish the library without tests, benchmarks or
 * the demo. `--allow-dirty` lets it run in a working copy with changes; it
 * needs no network beyond npm.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { runDeno } from "./support/deno_run.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));

/**
 * The dynamic imports the library makes on purpose: plugin modules, package
 * modules while indexing and indexes of remote packages are only known at
 * run time. `deno publish` warns about each and offers no way to silence it
 * (denoland/deno#22594).
 */
const INTENTIONAL_DYNAMIC_IMPORTS = [
  "src/build/collect_plugins.ts",
  "src/finders/index_entries.ts",
];

Deno.test("deno publish --dry-run passes with no slow types and publishes only the library", async () => {
  const { code, stdout, stderr } = await runDeno(
    ["publish", "--dry-run", "--allow-dirty"],
    { cwd: REPO },
  );
  const output = stdout + stderr;
  assert.equal(code, 0, output);
  assert.match(output, /Checking for slow types in the public API/);
  assert.match(output, /Success Dry run complete/);
  assert.doesNotMatch(output, /slow-type|error\[/);

  const warnings = [...output.matchAll(/^warning\[([\w-]+)\]/gm)];
  const places = [...output.matchAll(/^\s*--> (.+):\d+:\d+$/gm)]
    .map((m) => m[1]!.slice(REPO.length).replaceAll("\\", "/"));
  assert.deepEqual(
    warnings.map((m) => m[1]),
    places.map(() => "unanalyzable-dynamic-import"),
    "only warnings about intentional dynamic imports",
  );
  for (const place of places) {
    assert.ok(
      INTENTIONAL_DYNAMIC_IMPORTS.includes(place),
      `unexpected dynamic import warning in ${place}`,
    );
  }

  const published = [...output.matchAll(/^\s+(file:\/\/\S+) \(/gm)]
    .map((m) => fileURLToPath(m[1]!).slice(REPO.length));
  for (const file of ["mod.ts", "cli.ts", "deno.json", "README.md"]) {
    assert.ok(published.includes(file), `${file} is not published`);
  }
  for (const file of published) {
    assert.doesNotMatch(
      file,
      /^(tests|bench|examples|\.ci)\/|^deno\.lock$/,
      `${file} is published`,
    );
  }
});
