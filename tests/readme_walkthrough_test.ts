/**
 * The README's two walk-throughs, run as written: every fenced block of
 * "Walk-through for plugin authors" and "Walk-through for application
 * authors" is taken from README.md, in order, and
 *
 * - a `jsonc` or `ts` block whose first line is `// <file>` is written to that
 *   file; `// <file>, after ...` instead checks that the file now holds that
 *   JSON (what a command wrote); a `ts` block without such a line continues
 *   the last file written;
 * - each line of a `sh` block is run (what follows `#` is a comment), and
 *   must succeed.
 *
 * The plugin package is built in a fresh folder with `@plux/core` from a
 * local JSR registry (JSR_URL) serving this checkout; the application then
 * gets both from a second registry that also serves that package.
 *
 * @module
 */

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "jsonc-parser";
import config from "../deno.json" with { type: "json" };
import { type DenoRunResult, runDeno } from "./support/deno_run.ts";
import { startPackageServers } from "./support/package_servers.ts";

const README = fileURLToPath(new URL("../README.md", import.meta.url));

/** One fenced block: its language and its text. */
interface Block {
  readonly lang: string;
  readonly text: string;
}

/** The fenced blocks of the README section under `heading`, in order. */
function blocksOf(heading: string): Block[] {
  const text = Deno.readTextFileSync(README);
  const start = text.indexOf(`\n## ${heading}\n`);
  assert.notEqual(start, -1, `README has a "## ${heading}" section`);
  const end = text.indexOf("\n## ", start + 1);
  const section = text.slice(start, end === -1 ? undefined : end);
  const blocks: Block[] = [];
  const fence = /^( *)```(\w*)[^\n]*\n([\s\S]*?)^\1```$/gm;
  for (const match of section.matchAll(fence)) {
    const indent = match[1]!.length;
    const body = match[3]!.split("\n").map((line) => line.slice(indent));
    blocks.push({ lang: match[2]!, text: body.join("\n") });
  }
  return blocks;
}

/** What running a walk-through's commands printed, by command. */
type Runs = Map<string, DenoRunResult>;

/** Applies the blocks of a walk-through in `dir`; returns each command's output. */
async function walk(
  blocks: readonly Block[],
  dir: string,
  env: Readonly<Record<string, string>>,
  denoDir: string,
): Promise<Runs> {
  const runs: Runs = new Map();
  let current: string | undefined;
  for (const { lang, text } of blocks) {
    if (lang === "sh") {
      for (const raw of text.split("\n")) {
        const command = raw.replace(/#.*$/, "").trim();
        if (command === "") continue;
        const [program, ...args] = command.split(/\s+/);
        assert.equal(program, "deno", `a README command runs deno: ${command}`);
        const result = await runDeno(args, { cwd: dir, env, denoDir });
        assert.equal(
          result.code,
          0,
          `${command}\n${result.stdout}\n${result.stderr}`,
        );
        runs.set(command, result);
      }
      continue;
    }
    assert.ok(lang === "jsonc" || lang === "ts", `block language ${lang}`);
    const label = /^\/\/ (\S+?)(,.*)?\n/.exec(text);
    if (label === null) {
      assert.ok(current !== undefined, `a block names its file:\n${text}`);
      await Deno.writeTextFile(current, `\n${text}`, { append: true });
      continue;
    }
    const file = join(dir, label[1]!);
    if (label[2] !== undefined) {
      // What a command wrote: the file holds this JSON (layout aside).
      assert.deepEqual(
        parse(await Deno.readTextFile(file)),
        parse(text),
        `${label[0]}`,
      );
      continue;
    }
    await Deno.mkdir(dirname(file), { recursive: true });
    await Deno.writeTextFile(file, text);
    current = file;
  }
  return runs;
}

Deno.test("README: the walk-throughs name this version of @plux/core", () => {
  const text = Deno.readTextFileSync(README);
  const versions = new Set(
    [...text.matchAll(/jsr:@plux\/core@\^([\d.]+)/g)].map((m) => m[1]),
  );
  assert.deepEqual([...versions], [config.version]);
});

Deno.test("README: the plugin-author walk-through, then the application-author walk-through, run as written", async () => {
  const pkg = await Deno.makeTempDir({ prefix: "plux_readme_pkg_" });
  const app = await Deno.makeTempDir({ prefix: "plux_readme_app_" });
  const denoDirs = [
    await Deno.makeTempDir({ prefix: "plux_deno_dir_" }),
    await Deno.makeTempDir({ prefix: "plux_deno_dir_" }),
  ];
  try {
    {
      await using servers = await startPackageServers();
      const runs = await walk(
        blocksOf("Walk-through for plugin authors"),
        pkg,
        servers.env,
        denoDirs[0]!,
      );
      assert.match(
        runs.get("deno task plux:index")!.stdout,
        /@acme\/services@1\.2\.0 \(\.\): 1 plugin in 1 namespace; wrote plux\.json, deno\.json/,
      );
      const index = JSON.parse(await Deno.readTextFile(join(pkg, "plux.json")));
      assert.deepEqual(index.plugins["acme.services"][0], {
        name: "redis",
        export: "RedisService",
        subpath: "./redis",
        path: "./src/redis.ts",
        metadata: { description: "Redis cache" },
      });
      assert.match(
        runs.get("deno publish --dry-run")!.stderr,
        /plux\.json/,
        "the index is published",
      );
    }
    await using servers = await startPackageServers({ jsr: [pkg] });
    const runs = await walk(
      blocksOf("Walk-through for application authors"),
      app,
      servers.env,
      denoDirs[1]!,
    );
    const run = runs.get("deno run --allow-read=. main.ts")!;
    const lines = run.stdout.trimEnd().split("\n");
    assert.equal(lines[0], '[ "redis" ]');
    assert.equal(lines[1], "registered redis");
    assert.match(run.stdout, /^started acme\.services:redis/m);
    assert.doesNotMatch(run.stderr, /^plux: /m, "no problem reported");
    assert.match(
      runs.get("deno run --allow-read=. jsr:@plux/core/cli list")!.stdout,
      /^acme\.services\n {2}redis {2}@acme\/services@1\.2\.0 \(jsr, key "@acme\/services"\) {2}Redis cache$/m,
    );
    assert.match(
      runs.get(
        "deno run --allow-read=. jsr:@plux/core/cli resolve acme.services",
      )!
        .stdout,
      /^ {2}redis: ok, @acme\/services@1\.2\.0/m,
    );
  } finally {
    for (const dir of [pkg, app, ...denoDirs]) {
      await Deno.remove(dir, { recursive: true });
    }
  }
});
