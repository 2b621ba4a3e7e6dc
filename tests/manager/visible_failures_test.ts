// The acceptance test of visible failures: an application with no listener
// (tests/fixtures/discovery/visible_app/app/main.ts), run as a user runs it,
// with --allow-read=. only, against a workspace with a member whose plux.json
// was never written, a package outside the application's folder, a plugin
// module that reads an environment variable at import, and a malformed
// plux.json. Each problem is one `plux:` line on stderr naming its fix; the
// good plugin still loads; stdout holds only what the application prints.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { runDeno } from "../support/deno_run.ts";

const ROOT = fileURLToPath(
  new URL("../fixtures/discovery/visible_app/", import.meta.url),
);
const APP = `${ROOT}app`;

Deno.test("an application without listeners writes one plux: line per problem to stderr, each with its fix, and still loads the good plugins", async () => {
  const { code, stdout, stderr } = await runDeno(
    ["run", "--allow-read=.", "main.ts"],
    { cwd: APP },
  );
  assert.equal(code, 0, stderr);
  const out = stdout.trimEnd().split("\n");
  assert.deepEqual(out.slice(0, 2), [
    "greeters: english, german",
    "loaded: hello world",
  ]);
  assert.match(out[2]!, /^outsider: no plugin named "outsider"/);
  assert.equal(out.length, 3, stdout);
  assert.doesNotMatch(stdout, /^plux: /m);

  // Deno's own "Download ..." lines (a fresh DENO_DIR) are not ours.
  const lines = stderr.trimEnd().split("\n")
    .filter((line) => line !== "" && !line.startsWith("Download "));
  assert.ok(lines.every((line) => line.startsWith("plux: ")), stderr);
  const expected: [RegExp, string][] = [
    [
      /workspace member .*members\/unindexed\/ has no plux\.json, but its deno\.json has a "plux:index" task/,
      `run \`deno task plux:index\` in ${APP}/members/unindexed`,
    ],
    [
      /bad_index\/plux\.json is not valid JSON .*line 4 column/,
      "`deno task plux:index`",
    ],
    [
      /package "outside\/" .*cannot read .*outside\/plux\.json/,
      `run the application with --allow-read=${ROOT}outside (or a folder that contains it)`,
    ],
    [
      /plugin visible\.greeters:german of @visible\/needs-env@1\.0\.0: importing .*needs_env\/mod\.ts failed/,
      "run the application with --allow-env=VISIBLE_GREETING",
    ],
  ];
  for (const [problem, fix] of expected) {
    const matching = lines.filter((line) => problem.test(line));
    assert.equal(matching.length, 1, `${problem} in:\n${stderr}`);
    assert.ok(matching[0]!.includes(fix), `${fix} in:\n${matching[0]}`);
  }
  assert.equal(lines.length, expected.length, stderr);
});

Deno.test("the unknown-name error says that discovery met problems, and gives the first in full", async () => {
  const { stdout } = await runDeno(["run", "--allow-read=.", "main.ts"], {
    cwd: APP,
  });
  const line = stdout.split("\n").find((l) => l.startsWith("outsider:"))!;
  assert.match(
    line,
    /its plugins are english, german\. Check the name, or run `plux list visible\.greeters` to see what is discovered\. Discovery met 3 problems, which may be why; the first: workspace member .*bad_index.* is not valid JSON/,
  );
});
