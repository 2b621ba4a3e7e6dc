// An application importing a plugin package by URL from an http://127.0.0.1
// origin the test serves; run as a subprocess with realistic permissions.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { serveFolder } from "../../support/http_origin.ts";

const MOD = new URL("../../../mod.ts", import.meta.url).href;
const RUN_APP = new URL("../../fixtures/discovery/run_app.ts", import.meta.url)
  .href;
const REPO = fileURLToPath(new URL("../../../", import.meta.url));

async function listUrlApp(
  allowImport: boolean,
  folder: string | URL = new URL(
    "../../fixtures/discovery/url_pkg/",
    import.meta.url,
  ),
) {
  await using origin = serveFolder(folder);
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  // Ports are reused between tests, and `--reload=<origin>` does not make a
  // dynamic import fetch again (measured with Deno 2.9): a fresh module
  // cache, so an earlier test's file for the same URL is never read.
  const denoDir = await Deno.makeTempDir({ prefix: "plux_deno_dir_" });
  try {
    await Deno.writeTextFile(
      `${dir}/deno.json`,
      JSON.stringify({
        lock: false,
        imports: { "@plux/core": MOD, "url-tools/": origin.url },
      }),
    );
    await Deno.writeTextFile(`${dir}/app.ts`, `import "${RUN_APP}";\n`);
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        `--allow-read=${dir},${REPO}`,
        ...(allowImport ? [`--allow-import=${origin.host}`] : []),
        "app.ts",
        "list",
        "demo.url",
      ],
      cwd: dir,
      env: { NO_COLOR: "1", DENO_DIR: denoDir },
      stdin: "null",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    return { result: JSON.parse(stdout.trim().split("\n").at(-1)!), origin };
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(denoDir, { recursive: true });
  }
}

Deno.test("ImportMapFinder.findPlugins() reads the index of a URL package with --allow-import", async () => {
  const { result, origin } = await listUrlApp(true);
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result["demo.url"], [{
    name: "drill",
    source: {
      kind: "url",
      package: "url-tools",
      version: "4.0.0",
      key: "url-tools/",
      index: `${origin.url}plux.json`,
    },
  }]);
});

Deno.test("ImportMapFinder.findPlugins() names --allow-import=<host> when a URL package may not be imported", async () => {
  const { result, origin } = await listUrlApp(false);
  assert.deepEqual(result["demo.url"], []);
  assert.equal(result.problems.length, 1, result.problems.join("\n"));
  assert.match(result.problems[0], new RegExp(`--allow-import=${origin.host}`));
});

Deno.test("ImportMapFinder.findPlugins() reports a published plux.json that is not JSON as an invalid index for its maintainers", async () => {
  const pkg = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await Deno.writeTextFile(`${pkg}/plux.json`, '{ "version": 1, ');
    const { result, origin } = await listUrlApp(true, pkg);
    assert.deepEqual(result["demo.url"], []);
    assert.equal(result.problems.length, 1, result.problems.join("\n"));
    const [problem] = result.problems as string[];
    assert.match(
      problem!,
      new RegExp(`${origin.url}plux\\.json is not a valid plux index: .*JSON`),
    );
    assert.match(
      problem!,
      /ask the maintainers of .* to run `deno task plux:index` and publish again, or use another version$/,
    );
    assert.doesNotMatch(problem!, /registry is reachable/);
  } finally {
    await Deno.remove(pkg, { recursive: true });
  }
});
