/**
 * The discovery benchmark: `deno task bench`. Generates applications with
 * P = 10, 100 and 1000 plugin packages (10 plugins each) in temp folders and
 * prints, in one run, each figure next to its baseline and the ratio:
 *
 * 1. `listNames()` of one namespace from a fresh finder and manager, against
 * 2. the floor: reading and `JSON.parse` of the same plux.json files;
 * 3. `loadAll()` of a namespace with 1000 plugins, against importing the same
 *    modules directly;
 * 4. a whole `deno run` of an application that lists a namespace, against an
 *    empty `deno run` and a script that only does the floor work;
 * 5. `plux index` of a package with 200 modules, against importing them;
 * 6. `loadAll({ concurrency: 8 })` of 100 independent plugins whose `load()`
 *    takes 20 ms, against `loadAll()` of the same, one at a time;
 * and the heap held by a manager with 10,000 indexed plugins.
 *
 * @module
 */

import {
  defaultNamespaceOf,
  type Fixture,
  generateApp,
  LIBRARY_URL,
} from "./_fixtures.ts";
import { Plugin, PluginManager, PluginSpec } from "../mod.ts";

const IN_APP = new URL("./_in_app.ts", import.meta.url).href;
const CLI = new URL("../cli.ts", import.meta.url);
const LISTED = "bench.services";
/** Process runs per script; Deno itself needs ~3 s to start in a 500-member workspace. */
const PROCESS_RUNS: Record<number, number> = { 100: 11, 1000: 5 };

interface Row {
  figure: string;
  ms: number;
  baseline: string;
  baselineMs: number;
  target?: number;
}

const rows: Row[] = [];

/** Progress goes to stderr; the table to stdout. */
function step(text: string): void {
  console.error(
    `[${((performance.now() - started) / 1000).toFixed(1)} s] ${text}`,
  );
}

const started = performance.now();

for (const packages of [10, 100, 1000]) {
  step(`P=${packages}: generating`);
  const app = await generateApp({ packages });
  try {
    step(`P=${packages}: listNames() and the floor, in process`);
    await prepare(app);
    const plugins = app.counts.get(LISTED)!;
    const list = await inApp(app, "list", LISTED, packages < 1000 ? 40 : 12);
    const floor = Math.min(list.floorAsync!, list.floorSync!);
    rows.push({
      figure: `(1) listNames(), P=${packages} (${plugins} plugins)`,
      ms: list.list!,
      baseline: `(2) read+parse ${packages} plux.json`,
      baselineMs: floor,
      target: packages >= 100 ? 1.5 : undefined,
    });
    if (packages >= 100) {
      step(`P=${packages}: whole processes`);
      const runs = await processes(
        app,
        ["_list.ts", "_floor.ts", "_empty.ts"],
        PROCESS_RUNS[packages]!,
      );
      rows.push({
        figure: `(4) deno run: list, P=${packages}`,
        ms: runs["_list.ts"]!,
        baseline: "deno run: floor script",
        baselineMs: runs["_floor.ts"]!,
        target: 1.2,
      }, {
        figure: `(4) deno run: list, P=${packages}`,
        ms: runs["_list.ts"]!,
        baseline: "deno run: empty script",
        baselineMs: runs["_empty.ts"]!,
      });
    }
    if (packages === 1000) {
      step(`P=${packages}: loadAll()`);
      const hooks = app.counts.get("bench.hooks")!;
      const load = median(
        await repeat(3, async () => (await inApp(app, "loadAll")).loadAll!),
      );
      const imports = median(
        await repeat(3, async () => (await inApp(app, "importAll")).importAll!),
      );
      rows.push({
        figure: `(3) loadAll(), ${hooks} plugins`,
        ms: load,
        baseline: `import() of the ${hooks} modules`,
        baselineMs: imports,
      });
    }
  } finally {
    await app.remove();
  }
}

step("memory: 10,000 plugins in one namespace");
const memApp = await generateApp({
  packages: 1000,
  namespaceOf: () => "bench.mem",
});
let memory: Record<string, number> = {};
try {
  await prepare(memApp);
  memory = await inApp(memApp, "memory", "bench.mem");
} finally {
  await memApp.remove();
}

// (5) indexing, in a block of its own for its names.
{
  step("plux index of a package with 200 modules");
  const app = await generateApp({
    packages: 1,
    pluginsPerPackage: 200,
    namespaceOf: (k) => defaultNamespaceOf(k),
  });
  try {
    const dir = app.packages[0]!.dir;
    await Deno.writeTextFile(
      `${dir}/_import_all.ts`,
      Array.from(
        { length: 200 },
        (_, k) => `import "./plugins/k${k}.ts";\n`,
      ).join(""),
    );
    const index = median(
      await repeat(3, () => time(["run", "-A", CLI.href, "index"], dir)),
    );
    const imports = median(
      await repeat(
        3,
        () => time(["run", "-A", `${dir}/_import_all.ts`], dir),
      ),
    );
    rows.push({
      figure: "(5) plux index, 200 modules",
      ms: index,
      baseline: "deno run importing the 200 modules",
      baselineMs: imports,
    });
  } finally {
    await app.remove();
  }
}

// (6) loading in waves: 100 independent plugins with a 20 ms async load().
{
  step("loadAll() of 100 plugins with a 20 ms load(), concurrency 8 and 1");
  class Waits extends Plugin {
    override async load(): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const specs = Array.from(
    { length: 100 },
    (_, k) => new PluginSpec("bench.waves", `p${k}`, () => new Waits()),
  );
  const loadAll = async (concurrency: number) => {
    const manager = new PluginManager("bench.waves", {
      finder: { findPlugins: () => specs },
    });
    const start = performance.now();
    const loaded = await manager.loadAll({ concurrency });
    if (loaded.length !== specs.length) throw new Error("a plugin failed");
    return performance.now() - start;
  };
  rows.push({
    figure: "(6) loadAll({ concurrency: 8 }), 100 plugins, 20 ms load()",
    ms: median(await repeat(5, () => loadAll(8))),
    baseline: "loadAll(), one at a time",
    baselineMs: median(await repeat(3, () => loadAll(1))),
    target: 0.33,
  });
}

print();

function print(): void {
  const cpu = Deno.readTextFileSync("/proc/cpuinfo").match(
    /model name\s*:\s*(.*)/,
  )?.[1];
  console.log(
    `\n@plux/core discovery benchmark (Deno ${Deno.version.deno}, ` +
      `${navigator.hardwareConcurrency} cores, ${cpu ?? "unknown CPU"})\n`,
  );
  const lines = [[
    "figure",
    "ms",
    "baseline",
    "ms",
    "ratio",
    "target",
  ]];
  for (const row of rows) {
    const ratio = row.ms / row.baselineMs;
    lines.push([
      row.figure,
      row.ms.toFixed(2),
      row.baseline,
      row.baselineMs.toFixed(2),
      `${ratio.toFixed(2)}x`,
      row.target === undefined
        ? ""
        : `<= ${row.target}x ${ratio <= row.target ? "holds" : "FAILS"}`,
    ]);
  }
  const widths = lines[0]!.map((_, i) =>
    Math.max(...lines.map((line) => line[i]!.length))
  );
  for (const line of lines) {
    console.log(
      "| " + line.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ") +
        " |",
    );
  }
  if (memory.count !== undefined) {
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      `\nmemory: a manager holding ${memory.count} indexed plugins: ` +
        `${mb(memory.manager!)} MB heap (${
          Math.round(memory.manager! / memory.count!)
        } B/plugin); ` +
        `the parsed plux.json files alone: ${mb(memory.json!)} MB; ratio ${
          (memory.manager! / memory.json!).toFixed(2)
        }x`,
    );
  }
  console.log(
    `\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** Writes the scripts the benchmark runs inside the application. */
async function prepare(app: Fixture): Promise<void> {
  const indexes = app.packages.map((pkg) => pkg.index);
  await Promise.all([
    Deno.writeTextFile(`${app.root}/_indexes.json`, JSON.stringify(indexes)),
    Deno.writeTextFile(`${app.root}/_in_app.ts`, `import "${IN_APP}";\n`),
    Deno.writeTextFile(`${app.root}/_empty.ts`, "\n"),
    Deno.writeTextFile(
      `${app.root}/_floor.ts`,
      `const files = ${JSON.stringify(indexes)};\n` +
        `let n = 0;\n` +
        `for (const file of files) n += JSON.parse(Deno.readTextFileSync(file)).version;\n` +
        `console.log(n);\n`,
    ),
    Deno.writeTextFile(
      `${app.root}/_list.ts`,
      `import { PluginManager } from "${LIBRARY_URL}";\n` +
        `console.log((await new PluginManager("${LISTED}").listNames()).length);\n`,
    ),
  ]);
}

async function inApp(
  app: Fixture,
  mode: string,
  namespace = "bench.hooks",
  iterations = 1,
): Promise<Record<string, number>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      "_in_app.ts",
      mode,
      namespace,
      String(iterations),
    ],
    cwd: app.root,
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  if (!output.success) {
    throw new Error(
      `${mode} failed: ${text}${new TextDecoder().decode(output.stderr)}`,
    );
  }
  return JSON.parse(text);
}

/** Median wall time of each script, run interleaved `runs` times after a warm-up. */
async function processes(
  app: Fixture,
  scripts: string[],
  runs: number,
): Promise<Record<string, number>> {
  const times: Record<string, number[]> = {};
  for (let run = -1; run < runs; run++) {
    for (const script of scripts) {
      const ms = await time(["run", "--allow-read", script], app.root);
      if (run >= 0) (times[script] ??= []).push(ms);
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([script, list]) => [script, median(list)]),
  );
}

async function time(args: string[], cwd: string): Promise<number> {
  const start = performance.now();
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - start;
  if (!output.success) {
    throw new Error(
      `deno ${args.join(" ")} failed: ${
        new TextDecoder().decode(output.stderr)
      }`,
    );
  }
  return ms;
}

async function repeat<T>(n: number, fn: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < n; i++) results.push(await fn());
  return results;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
