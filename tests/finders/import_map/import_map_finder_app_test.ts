// Fixture applications run as a user runs them: `deno run --allow-read=...
// app.ts`, with the application's deno.json found beside app.ts.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const FIXTURES = new URL("../../fixtures/discovery/", import.meta.url);
const REPO = fileURLToPath(new URL("../../../", import.meta.url));

interface AppOutput {
  problems: string[];
  [key: string]: unknown;
}

async function runApp(
  app: string,
  allowRead: string[],
  args: string[],
): Promise<{ output: AppOutput; imported: string[]; stderr: string }> {
  const dir = fileURLToPath(new URL(`${app}/`, FIXTURES));
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", `--allow-read=${allowRead.join(",")}`, "app.ts", ...args],
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdin: "null",
  }).output();
  const stdout = new TextDecoder().decode(result.stdout);
  const stderr = new TextDecoder().decode(result.stderr);
  assert.equal(result.code, 0, `${app} failed:\n${stdout}\n${stderr}`);
  const lines = stdout.trim().split("\n");
  return {
    output: JSON.parse(lines.at(-1)!),
    imported: lines.filter((l) => l.startsWith("imported:")),
    stderr,
  };
}

type Listed = { name: string; source: Record<string, string> }[];

Deno.test("ImportMapFinder.findPlugins() finds the app package, workspace members and local path imports", async () => {
  const { output, imported } = await runApp("workspace_app", [REPO], [
    "list",
    "demo.greeters",
    "demo.tools",
  ]);
  assert.deepEqual(imported, [], "listing imports no plugin module");
  const greeters = output["demo.greeters"] as Listed;
  const tools = output["demo.tools"] as Listed;
  assert.deepEqual(greeters.map((p) => p.name), [
    "app-hello",
    "english",
    "french",
  ]);
  assert.deepEqual(tools.map((p) => p.name), ["hammer", "saw", "wrench"]);
  const byName = new Map([...greeters, ...tools].map((p) => [p.name, p]));
  assert.equal(byName.get("app-hello")!.source.kind, "app");
  assert.equal(byName.get("app-hello")!.source.package, "@demo/app");
  assert.deepEqual(byName.get("french")!.source, {
    kind: "workspace",
    package: "@demo/greeters",
    version: "0.2.0",
    key: "@demo/greeters",
    index: new URL("workspace_app/packages/greeters/plux.json", FIXTURES).href,
  });
  assert.equal(byName.get("saw")!.source.kind, "path");
  assert.equal(byName.get("saw")!.source.key, "dir/");
  assert.equal(byName.get("wrench")!.source.key, "plain");
  assert.equal(byName.get("wrench")!.source.version, "0.0.1");
  // Workspace members come in declared order: tools is listed before
  // greeters, so its "english" wins and the conflict is reported.
  assert.equal(byName.get("english")!.source.package, "@demo/tools");
  assert.equal(output.problems.length, 1, output.problems.join("\n"));
  assert.match(
    output.problems[0]!,
    /demo\.greeters:english is offered twice: by @demo\/tools@3\.1\.0 .* and by @demo\/greeters@0\.2\.0/,
  );
  // Two workspace members: the fix is in "workspace" (or a rename), not
  // in an import map.
  assert.match(
    output.problems[0]!,
    new RegExp(
      'Rename one of them, or remove the member \\./packages/greeters from "workspace" in ' +
        `${
          RegExp.escape(
            fileURLToPath(new URL("workspace_app/deno.json", FIXTURES)),
          )
        }$`,
    ),
  );
});

Deno.test("PluginManager.load() imports only the module of the plugin it loads", async () => {
  const { output, imported } = await runApp("workspace_app", [REPO], [
    "load",
    "demo.greeters",
    "french",
  ]);
  assert.equal(output.french, "bonjour test");
  assert.deepEqual(imported, ["imported:greeters/french"]);
});

Deno.test("PluginManager.load() loads plugins of workspace, trailing-slash and plain-mapped packages", async () => {
  const { output } = await runApp("workspace_app", [REPO], [
    "load",
    "demo.tools",
    "hammer",
    "saw",
    "wrench",
  ]);
  assert.deepEqual(
    { hammer: output.hammer, saw: output.saw, wrench: output.wrench },
    { hammer: "bang", saw: "cut", wrench: "turn" },
  );
  assert.deepEqual(output.problems, []);
});

Deno.test("ImportMapFinder.findPlugins() reads deno.jsonc with comments and its importMap file", async () => {
  const { output } = await runApp("jsonc_app", [REPO], [
    "load",
    "demo.jsonc",
    "mapped",
    "single",
  ]);
  assert.deepEqual(output, {
    mapped: "from mapped/",
    single: "from single",
    problems: [],
  });
  const listed = await runApp("jsonc_app", [REPO], ["list", "demo.jsonc"]);
  const [mapped] = listed.output["demo.jsonc"] as (Listed[number] & {
    metadata: unknown;
  })[];
  assert.deepEqual(mapped!.metadata, {
    description: "a trailing-slash mapping",
  });
  assert.equal(mapped!.source.key, "mapped/");
});

Deno.test("ImportMapFinder.findPlugins() looks for no index in @plux/core itself, mapped by a path outside the application's folder", async () => {
  // The app may read its own folder only; "@plux/core" maps to this
  // repository's mod.ts, which is the library, not a plugin package: no
  // warning about a plux.json the application has no reason to read.
  const app = fileURLToPath(new URL("workspace_app/", FIXTURES));
  const { output } = await runApp("workspace_app", [app], [
    "load",
    "demo.tools",
    "hammer",
  ]);
  assert.equal(output.hammer, "bang");
  assert.deepEqual(output.problems, []);
});

Deno.test("ImportMapFinder names the package folder in --allow-read hints for index reads and module imports", async () => {
  // What a user who followed file-by-file hints would have granted: the
  // config and one package's plux.json, none of its modules.
  const app = fileURLToPath(new URL("workspace_app/", FIXTURES));
  const greeters = `${app}packages/greeters`;
  const { output } = await runApp(
    "workspace_app",
    [`${app}deno.json`, `${greeters}/plux.json`],
    ["load", "demo.greeters", "french"],
  );
  const french = (output.french as { error: string }).error;
  assert.match(french, /importing .*french\.ts failed/);
  assert.ok(
    french.endsWith(
      `run the application with --allow-read=${greeters} (or a folder that contains it)`,
    ),
    french,
  );
  const hints = output.problems.map((p) => /--allow-read=(\S+)/.exec(p)?.[1]);
  assert.deepEqual(
    hints.sort(),
    [
      app.slice(0, -1),
      `${app}libs/dir`,
      // A plain mapping: the highest folder its root search looks in (its
      // plux.json is in libs/plain, above the mapped module's folder).
      `${app}libs`,
      `${app}packages/plain_member`,
      `${app}packages/tools`,
      greeters,
    ].sort(),
    output.problems.join("\n"),
  );
});

const MEMBER_ROOT = fileURLToPath(new URL("member_app/", FIXTURES));

Deno.test("ImportMapFinder.findPlugins() in an application that is a workspace member uses the root's imports under its own and the root's (globbed) members", async () => {
  const { output } = await runApp("member_app/apps/main", [MEMBER_ROOT], [
    "list",
    "demo.member",
  ]);
  const listed = output["demo.member"] as Listed;
  const sources = Object.fromEntries(
    listed.map((p) => [p.name, `${p.source.kind} ${p.source.key ?? "-"}`]),
  );
  // "choice/" is mapped by both configs: the member's own mapping wins, so
  // root-choice is not found; packages/unlisted does not match "./packages/g*".
  assert.deepEqual(sources, {
    "main-own": "app -",
    gadget: "workspace @member/gadgets",
    "member-choice": "path choice/",
    "root-shared": "path shared/",
  });
  assert.equal(
    listed.find((p) => p.name === "main-own")!.source.package,
    "@member/main",
  );
  // "@plux/core", mapped outside the workspace root, is the library: no
  // problem about reading it.
  assert.deepEqual(output.problems, []);
});

Deno.test("ImportMapFinder.findPlugins() names the folder a workspace glob needs when it may not list it", async () => {
  const member = `${MEMBER_ROOT}apps/main`;
  const { output } = await runApp(
    "member_app/apps/main",
    [member, `${MEMBER_ROOT}deno.json`],
    ["list", "demo.member"],
  );
  assert.deepEqual(output["demo.member"], []);
  assert.equal(output.problems.length, 1, output.problems.join("\n"));
  assert.match(
    output.problems[0]!,
    new RegExp(
      `to expand the workspace members; run the application with --allow-read=${MEMBER_ROOT}packages \\(`,
    ),
  );
});

Deno.test("PluginManager.load() loads plugins of the root's imports, the member's imports and the root's members in a workspace-member application", async () => {
  const { output } = await runApp("member_app/apps/main", [REPO], [
    "load",
    "demo.member",
    "gadget",
    "member-choice",
    "root-shared",
    "main-own",
  ]);
  assert.deepEqual(output, {
    gadget: "gadget works",
    "member-choice": "member-choice works",
    "root-shared": "root-shared works",
    "main-own": "main own",
    problems: [],
  });
});

Deno.test({
  name:
    "ImportMapFinder never makes Deno prompt for read access in a terminal, it reports the flag instead",
  ignore: !canUseScript(),
  async fn() {
    // `script` gives Deno a terminal, where reading an ungranted file
    // prompts and waits; the kill after 60 s only ends a hung run.
    const dir = fileURLToPath(new URL("member_app/apps/main/", FIXTURES));
    // The members' folder may not be read: expanding the glob would prompt.
    const command = `'${Deno.execPath()}' run ` +
      `--allow-read=${MEMBER_ROOT}apps/main,${MEMBER_ROOT}deno.json ` +
      "app.ts list demo.member";
    const result = await new Deno.Command("script", {
      args: ["-qec", command, "/dev/null"],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdin: "null",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const stdout = new TextDecoder().decode(result.stdout);
    assert.doesNotMatch(stdout, /requests read access/, stdout);
    assert.equal(result.code, 0, stdout);
    const output = JSON.parse(stdout.trim().split("\n").at(-1)!) as AppOutput;
    assert.match(output.problems.join("\n"), /--allow-read=\S*packages /);
  },
});

function canUseScript(): boolean {
  try {
    return new Deno.Command("script", { args: ["--version"] }).outputSync()
      .success;
  } catch {
    return false;
  }
}

Deno.test("PluginManager reports each broken package to onResolveException and still loads the good ones", async () => {
  const { output } = await runApp("broken_app", [REPO], [
    "load",
    "demo.broken",
    "fine",
    "inside",
    "thrower",
    "string",
    "gone",
    "old-name",
  ]);
  assert.equal(output.fine, "still works");
  assert.equal(output.inside, "inside");
  const problems = output.problems.join("\n");
  const expect = (pattern: RegExp) => assert.match(problems, pattern);
  // Malformed JSON, an unreadable file and an index of another version.
  expect(/bad_json\/plux\.json is not valid JSON .*deno task plux:index/);
  expect(
    /unreadable\/plux\.json is not a file: it is a folder, which is never opened; replace it with the plux\.json that `deno task plux:index` writes there/,
  );
  expect(/bad_version\/plux\.json has index version 99/);
  // Entries escaping their package; the package's other entry still works.
  expect(/plugin demo\.broken:absolute has path "https:\/\/evil\.example/);
  expect(/plugin demo\.broken:file-url has path "file:\/\/\/etc\/passwd"/);
  expect(/plugin demo\.broken:dotdot has path "\.\/\.\.\/\.\.\/good/);
  expect(/plugin demo\.broken:bare has subpath "@broken\/good"/);
  // A module that throws, an export that is not a plugin, stale indexes.
  expect(
    /thrower of @broken\/throws@1\.0\.0: importing file:\/\/\S+\/broken_app\/packages\/throws\/mod\.ts failed: the throws module fails on import; the module throws when imported: fix it, or exclude the plugin with a filter/,
  );
  // Subpath-only entries of members: imported through the member's exports.
  // Each names the package the plugin comes from.
  expect(
    /plugin demo\.broken:string of \S+: export "notAPlugin" of file:\/\/\S+\/not_plugin\/mod\.ts is not a plugin/,
  );
  expect(
    /plugin demo\.broken:gone of \S+: the index \S+ says file:\/\/\S+\/stale\/mod\.ts exports "gone", but it does not; .*stale/,
  );
  expect(
    /plugin demo\.broken:old-name of \S+: export "renamed" of file:\/\/\S+\/stale\/mod\.ts declares demo\.broken:renamed/,
  );
  for (const name of ["thrower", "string", "gone", "old-name"]) {
    assert.match(
      (output[name] as { error: string }).error,
      new RegExp(`demo\\.broken:${name} could not be resolved`),
    );
  }
  assert.equal(output.problems.length, 11, problems);
});
