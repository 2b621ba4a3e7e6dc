// An application whose deno.json imports plugin packages of every source kind
// at once (workspace member, local path, http://127.0.0.1 URL, jsr: and npm:
// from local registries, and a jsr: and an npm: package without plux.json),
// run as a subprocess with the permissions a user would give.
import assert from "node:assert/strict";
import { NAMESPACE, REPO, startRemoteApp } from "./_remote_app.ts";

const KINDS = {
  "from-workspace": "workspace",
  "from-path": "path",
  "from-url": "url",
  "from-jsr": "jsr",
  "from-npm": "npm",
} as const;
const NAMES = Object.keys(KINDS);
const URL_PACKAGES = ["url-no-index/", "url-plugins/"];

/** The import-map key a problem names: `package "<key>" (...)`. */
function packageOf(problem: string): string | undefined {
  return /^package "([^"]+)"/.exec(problem)?.[1];
}

Deno.test("ImportMapFinder.findPlugins() lists workspace, path, URL, jsr: and npm: plugins with their provenance", async () => {
  await using app = await startRemoteApp();
  const { http, jsr, npm, allowImport } = app.servers;
  const { output, imported } = await app.run(
    [`--allow-read=${app.dir},${REPO}`, allowImport],
    ["list", NAMESPACE],
  );
  assert.deepEqual(
    output.problems,
    [],
    "packages without plux.json are skipped quietly",
  );
  assert.deepEqual(imported, [], "listing imports no plugin module");
  const local = (path: string) => new URL(path, `file://${app.dir}/`).href;
  assert.deepEqual(output[NAMESPACE], [
    {
      name: "from-jsr",
      source: {
        kind: "jsr",
        package: "@fixture/remote-plugins",
        version: "1.2.0",
        key: "@fixture/remote-plugins",
        index: "jsr:@fixture/remote-plugins@^1/plux.json",
      },
    },
    {
      name: "from-npm",
      source: {
        kind: "npm",
        package: "fixture-remote-plugins",
        version: "1.5.0",
        key: "remote-npm",
        index: "npm:fixture-remote-plugins@^1/plux.json",
      },
    },
    {
      name: "from-path",
      source: {
        kind: "path",
        package: "local-lib",
        version: "0.0.1",
        key: "local/",
        index: local("libs/local/plux.json"),
      },
    },
    {
      name: "from-url",
      source: {
        kind: "url",
        package: "url-plugins",
        version: "2.0.0",
        key: "url-plugins/",
        index: `${http.url}plux.json`,
      },
    },
    {
      name: "from-workspace",
      source: {
        kind: "workspace",
        package: "@remote/members",
        version: "0.3.0",
        key: "@remote/members",
        index: local("packages/members/plux.json"),
      },
    },
  ]);
  // The packages without an index were asked, not left out.
  assert.ok(jsr.requests.includes("/@fixture/no-index/1.0.0_meta.json"));
  assert.ok(npm.requests.includes("/fixture-no-index"));
  assert.ok(http.requests.includes("/no_index/plux.json"));
});

Deno.test("PluginManager.load() loads a plugin of each source kind and imports only its module", async (t) => {
  await using app = await startRemoteApp();
  const flags = [`--allow-read=${app.dir},${REPO}`, app.servers.allowImport];
  for (const [name, kind] of Object.entries(KINDS)) {
    await t.step(`${name} (${kind})`, async () => {
      const { output, imported } = await app.run(flags, [
        "load",
        NAMESPACE,
        name,
      ]);
      assert.deepEqual(output, { [name]: `${kind} test`, problems: [] });
      assert.deepEqual(imported, [`imported:${kind}`]);
    });
  }
});

Deno.test("PluginManager reports the missing --allow-import of a URL package and still loads the other plugins", async () => {
  await using app = await startRemoteApp();
  const { http, jsr } = app.servers;
  // The JSR registry's host alone: the HTTP origin is not allowed.
  const { output } = await app.run(
    [`--allow-read=${app.dir},${REPO}`, `--allow-import=${jsr.host}`],
    ["load", NAMESPACE, ...NAMES],
  );
  for (const [name, kind] of Object.entries(KINDS)) {
    if (kind !== "url") assert.equal(output[name], `${kind} test`);
  }
  assert.match(
    (output["from-url"] as { error: string }).error,
    /no plugin named "from-url"/,
  );
  // Both URL packages fail alike: unread, an index cannot be told missing.
  assert.deepEqual(output.problems.map(packageOf), URL_PACKAGES);
  for (const problem of output.problems) {
    assert.ok(problem.includes(`--allow-import=${http.host}`), problem);
  }
});

Deno.test("PluginManager names the JSR registry's host when --allow-import lists only the URL origin", async () => {
  await using app = await startRemoteApp();
  const { http, jsr } = app.servers;
  const { output } = await app.run(
    [`--allow-read=${app.dir},${REPO}`, `--allow-import=${http.host}`],
    ["load", NAMESPACE, ...NAMES],
  );
  assert.equal(output["from-workspace"], "workspace test");
  assert.equal(output["from-path"], "path test");
  assert.equal(output["from-npm"], "npm test");
  assert.match(
    (output["from-jsr"] as { error: string }).error,
    /no plugin named "from-jsr"/,
  );
  // Both jsr: packages fail alike: without the manifest, the finder cannot
  // tell that one of them has no index.
  const problems = output.problems.join("\n");
  assert.match(problems, /package "@fixture\/remote-plugins"/);
  assert.match(problems, /package "@fixture\/no-index"/);
  for (const problem of output.problems) {
    assert.ok(problem.includes(`--allow-import=${jsr.host}`), problem);
  }
  // Measured: the URL plugin's own static import of jsr:@plux/core is not
  // held to the --allow-import list.
  assert.equal(output["from-url"], "url test");
});

Deno.test("plux list --json lists the remote application's plugins with the same permissions", async () => {
  await using app = await startRemoteApp();
  const { code, stdout, stderr } = await app.deno([
    "run",
    "--no-lock",
    `--allow-read=${app.dir},${REPO}`,
    app.servers.allowImport,
    `${REPO}cli.ts`,
    "list",
    NAMESPACE,
    "--json",
  ]);
  assert.equal(code, 0, stderr);
  const rows = JSON.parse(stdout) as {
    name: string;
    source: { kind: string };
  }[];
  // In discovery order: the workspace member, then imports sorted by key.
  assert.deepEqual(rows.map((row) => [row.name, row.source.kind]), [
    ["from-workspace", "workspace"],
    ["from-jsr", "jsr"],
    ["from-path", "path"],
    ["from-npm", "npm"],
    ["from-url", "url"],
  ]);
  assert.doesNotMatch(stderr, /warning/);
});

Deno.test("PluginManager from jsr:@plux/core imports workspace, path, jsr: and npm: plugins", async () => {
  // The setup users have: the application maps @plux/core to jsr, so the
  // manager's import() of a workspace or path plugin goes from a JSR module
  // to a file: module.
  await using app = await startRemoteApp("jsr");
  const { output, imported } = await app.run(
    [`--allow-read=${app.dir}`, app.servers.allowImport],
    ["load", NAMESPACE, ...NAMES],
  );
  for (const [name, kind] of Object.entries(KINDS)) {
    if (kind !== "url") assert.equal(output[name], `${kind} test`);
  }
  assert.deepEqual(imported, [
    "imported:workspace",
    "imported:path",
    "imported:jsr",
    "imported:npm",
  ]);
  // Deno does not let a JSR module import a URL module, not even by import():
  // the URL package's index is read (in the finder's worker, a blob: module)
  // and its plugin listed, but importing the plugin fails, and the report
  // says why and what to do.
  assert.equal(output.problems.length, 1, output.problems.join("\n"));
  assert.match(
    output.problems[0]!,
    /^plugin demo\.remote:from-url of url-plugins@2\.0\.0: importing \S+ failed: .*JSR packages cannot import non-JSR remote modules.*@plux\/core is imported from JSR here.*importModule: \(s, o\) => import\(s, o\)/,
  );
});

Deno.test("ImportMapFinder with the application's importModule loads URL plugins when @plux/core comes from jsr", async () => {
  await using app = await startRemoteApp("jsr");
  const { output, imported } = await app.run(
    [`--allow-read=${app.dir}`, app.servers.allowImport],
    ["--own-import", "load", NAMESPACE, ...NAMES],
  );
  for (const [name, kind] of Object.entries(KINDS)) {
    assert.equal(output[name], `${kind} test`, `${name} (${kind})`);
  }
  assert.deepEqual(imported.sort(), [
    "imported:jsr",
    "imported:npm",
    "imported:path",
    "imported:url",
    "imported:workspace",
  ]);
  assert.deepEqual(output.problems, []);
});

Deno.test("PluginManager.loadAll() loads the plugins of every source kind, file: and jsr: modules imported in one batch", async (t) => {
  // With @plux/core from jsr, the batch is a blob: module made by a JSR
  // module; URL plugins are imported one by one by the application's import.
  const setups = [
    { core: "local", flags: ["loadAll"], kinds: Object.values(KINDS) },
    {
      core: "jsr",
      flags: ["loadAll"],
      kinds: Object.values(KINDS).filter((kind) => kind !== "url"),
    },
    {
      core: "jsr",
      flags: ["--own-import", "loadAll"],
      kinds: Object.values(KINDS),
    },
  ] as const;
  for (const { core, flags, kinds } of setups) {
    await t.step(`@plux/core ${core}, ${flags.join(" ")}`, async () => {
      await using app = await startRemoteApp(core);
      const read = core === "local" ? `${app.dir},${REPO}` : app.dir;
      const { output, imported } = await app.run(
        [`--allow-read=${read}`, app.servers.allowImport],
        [...flags, NAMESPACE],
      );
      assert.equal(output.loaded, kinds.length, JSON.stringify(output));
      assert.deepEqual(
        imported.sort(),
        kinds.map((kind) => `imported:${kind}`).sort(),
      );
    });
  }
});
