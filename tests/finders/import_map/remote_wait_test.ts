// A remote (URL) package whose server never answers, or answers late: the
// listing waits for its index no longer than the finder's indexTimeout,
// reports it in one line naming its index and the fix, lists the other
// packages, and is not kept, so a later listing asks again and gets the late
// package. Run as users run it: a subprocess application and the CLI, with
// --allow-read for the app's folder and --allow-import for the server only.
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer } from "../../support/http_origin.ts";

const LIBRARY = new URL("../../../mod.ts", import.meta.url).href;
const CLI = new URL("../../../cli.ts", import.meta.url).href;
const NS = "t.wait";
/** How long a subprocess may run before it counts as hung. */
const HUNG_AFTER = 60_000;

const index = (name: string) =>
  JSON.stringify({
    version: 1,
    plugins: { [NS]: [{ name, export: "p", path: "./mod.ts" }] },
  });

/**
 * Serves `/good/`, `/slow/` (answers its first request after `slowMs`, later
 * ones at once: a server that was down and is back) and `/hung/` (answers
 * only once released, when the test ends).
 */
function servePackages(slowMs: number) {
  let slowRequests = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  const json = (name: string) =>
    new Response(index(name), {
      headers: { "content-type": "application/json" },
    });
  const server = startServer(async (_request, url) => {
    if (url.pathname === "/good/plux.json") return json("good");
    if (url.pathname === "/slow/plux.json") {
      if (slowRequests++ === 0) {
        await new Promise((resolve) => setTimeout(resolve, slowMs));
      }
      return json("slow");
    }
    if (url.pathname === "/hung/plux.json") {
      await released;
      return json("hung");
    }
    return new Response("not found", { status: 404 });
  });
  return {
    server,
    async close() {
      release();
      await server.close();
    },
  };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

async function run(cwd: string, args: string[]): Promise<Run> {
  const denoDir = await Deno.makeTempDir({ prefix: "plux_deno_dir_" });
  const started = performance.now();
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args,
      cwd,
      env: { NO_COLOR: "1", DENO_DIR: denoDir },
      stdin: "null",
      signal: AbortSignal.timeout(HUNG_AFTER),
    }).output();
    const text = new TextDecoder();
    const result = {
      code: output.code,
      stdout: text.decode(output.stdout),
      stderr: text.decode(output.stderr),
      ms: performance.now() - started,
    };
    assert.notEqual(
      output.signal,
      "SIGTERM",
      `hung: killed after ${HUNG_AFTER} ms\n${result.stderr}`,
    );
    return result;
  } finally {
    await Deno.remove(denoDir, { recursive: true });
  }
}

/** An app folder mapping a local package and the server's three packages. */
async function app(base: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "plux_wait_" });
  await Deno.mkdir(join(dir, "lib"));
  await Deno.writeTextFile(join(dir, "lib", "plux.json"), index("local"));
  await Deno.writeTextFile(
    join(dir, "deno.json"),
    JSON.stringify({
      lock: false,
      imports: {
        "@plux/core": LIBRARY,
        "lib/": "./lib/",
        "good/": `${base}good/`,
        "slow/": `${base}slow/`,
        "hung/": `${base}hung/`,
      },
    }),
  );
  return dir;
}

Deno.test("listNames() waits for a remote index no longer than indexTimeout, reports it, lists the others, and asks again next time", async () => {
  const packages = servePackages(4_000);
  const dir = await app(packages.server.url);
  try {
    await Deno.writeTextFile(
      join(dir, "app.ts"),
      `
import { ImportMapFinder, PluginManager } from "@plux/core";
const problems = [];
const manager = new PluginManager("${NS}", {
  finder: new ImportMapFinder({ indexTimeout: 1_500 }),
  listeners: [{ onResolveException: (_ns, _p, e) => { problems.push(e.message); } }],
});
const first = await manager.listNames();
const firstProblems = problems.splice(0);
await new Promise((resolve) => setTimeout(resolve, 4_000));
const second = await manager.listNames();
console.log(JSON.stringify({ first, firstProblems, second, problems }));
`,
    );
    const result = await run(dir, [
      "run",
      "--no-lock",
      `--allow-read=${dir}`,
      `--allow-import=${packages.server.host}`,
      "app.ts",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.deepEqual(out.first, ["good", "local"]);
    const hung = `${packages.server.url}hung/plux.json`;
    const slow = `${packages.server.url}slow/plux.json`;
    assert.equal(out.firstProblems.length, 2, out.firstProblems.join("\n"));
    for (const [url, key] of [[hung, "hung/"], [slow, "slow/"]] as const) {
      const problem = out.firstProblems.find((p: string) => p.includes(url));
      assert.equal(
        problem,
        `package "${key}" (${
          url.replace("plux.json", "")
        }): its index ${url} did not arrive within 1.5 s, so its plugins are left out until a later listing gets it; check that ${packages.server.host} answers, or raise the wait (ImportMapFinder's indexTimeout option, plux list --timeout SECONDS)`,
      );
    }
    // The listing was incomplete, so it was made again: the late package is
    // in, the hung one reported again.
    assert.deepEqual(out.second, ["good", "local", "slow"]);
    assert.equal(out.problems.length, 1, out.problems.join("\n"));
    assert.match(out.problems[0], /hung\/plux\.json did not arrive within/);
  } finally {
    await packages.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plux list --timeout leaves out a package whose server never answers, with a warning, and ends; plux registry writes nothing then", async () => {
  const packages = servePackages(0);
  const dir = await app(packages.server.url);
  try {
    const flags = [
      "run",
      "--no-lock",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      `--allow-import=${packages.server.host}`,
      CLI,
    ];
    const listed = await run(dir, [...flags, "list", "--timeout", "0.5"]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ {2}good /m);
    assert.match(listed.stdout, /^ {2}local /m);
    assert.match(listed.stdout, /^ {2}slow /m);
    assert.doesNotMatch(listed.stdout, /hung/);
    assert.match(
      listed.stderr,
      /^warning: package "hung\/" \(\S+\): its index \S+\/hung\/plux\.json did not arrive within 0\.5 s, .*plux list --timeout SECONDS\)$/m,
    );
    const registry = await run(dir, [
      ...flags,
      "registry",
      "--out",
      "plugins.gen.ts",
      "--timeout",
      "0.5",
    ]);
    assert.equal(registry.code, 1, registry.stderr);
    assert.match(
      registry.stderr,
      /error: plugins\.gen\.ts was not written: a package's index did not arrive in time/,
    );
    await assert.rejects(Deno.stat(join(dir, "plugins.gen.ts")));
  } finally {
    await packages.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a jsr: package whose registry never answers is left out with a warning, and plux list ends", async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  const registry = startServer(async () => {
    await released;
    return new Response("gone", { status: 503 });
  });
  const dir = await Deno.makeTempDir({ prefix: "plux_wait_jsr_" });
  try {
    await Deno.mkdir(join(dir, "lib"));
    await Deno.writeTextFile(join(dir, "lib", "plux.json"), index("local"));
    await Deno.writeTextFile(
      join(dir, "deno.json"),
      JSON.stringify({
        lock: false,
        imports: {
          "@plux/core": LIBRARY,
          "lib/": "./lib/",
          "@hung/pkg": "jsr:@hung/pkg@^1",
        },
      }),
    );
    const denoDir = await Deno.makeTempDir({ prefix: "plux_deno_dir_" });
    try {
      const output = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--no-lock",
          `--allow-read=${dir}`,
          `--allow-import=${registry.host}`,
          CLI,
          "list",
          "--timeout",
          "1",
        ],
        cwd: dir,
        env: { NO_COLOR: "1", DENO_DIR: denoDir, JSR_URL: registry.url },
        stdin: "null",
        signal: AbortSignal.timeout(HUNG_AFTER),
      }).output();
      const stdout = new TextDecoder().decode(output.stdout);
      const stderr = new TextDecoder().decode(output.stderr);
      assert.notEqual(output.signal, "SIGTERM", `hung:\n${stderr}`);
      assert.equal(output.code, 0, stderr);
      assert.match(stdout, /^ {2}local /m);
      assert.match(
        stderr,
        /^warning: package "@hung\/pkg" \(jsr:@hung\/pkg@\^1\): its index jsr:@hung\/pkg@\^1\/plux\.json did not arrive within 1 s, .*check that the JSR registry answers/m,
      );
    } finally {
      await Deno.remove(denoDir, { recursive: true });
    }
  } finally {
    release();
    await registry.close();
    await Deno.remove(dir, { recursive: true });
  }
});
