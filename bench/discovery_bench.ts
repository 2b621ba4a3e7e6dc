/**
 * The benchmark: `deno task bench`. Generates applications of P plugin
 * packages (10 plugins each) in temp folders and prints, in one run, each
 * figure next to its floor, the ratio and the goal (see docs/performance.md):
 *
 * 1. `listNames()` of one namespace from a fresh finder and manager, against
 *    reading and `JSON.parse` of the same plux.json files (P = 10, 100, 1000);
 * 2. a whole `deno run` of an application that lists a namespace (P = 100),
 *    against a script that only reads and parses the indexes, and an empty one;
 * 3. `loadAll()` and `listPluginSpecs()` of 1000 plugins, and `loadAll()`
 *    through a `PluginDirectoryFinder` (the first resolve of each package),
 *    against one `import()` of a module that imports the same 1000 modules
 *    statically;
 * 4. `plux index` of a package with 200 modules, against importing them;
 * 5. the heap held by a manager with 10,000 indexed plugins, against the
 *    parsed indexes alone;
 * 6. `loadAll({ concurrency: 8 })` of 100 independent plugins whose `load()`
 *    takes 20 ms, against `loadAll()` of the same, one at a time.
 *
 * Progress goes to stderr; the table (Markdown) to stdout. Add a figure by
 * pushing a {@linkcode Row} onto `rows`.
 *
 * @module
 */

import {
  defaultNamespaceOf,
  type Fixture,
  generateApp,
  LIBRARY_URL,
} from "./_fixtures.ts";
import { formatTable, type Row } from "./_table.ts";
import { Plugin, PluginManager, PluginSpec } from "../mod.ts";

const IN_APP = new URL("./_in_app.ts", import.meta.url).href;
const CLI = new URL("../cli.ts", import.meta.url);
const LISTED = "bench.services";
/** Runs of each process, after one warm-up run; the median is kept. */
const RUNS = { list: 15, load: 7, index: 3 };

const rows: Row[] = [];
const started = performance.now();

/** Progress goes to stderr; the table to stdout. */
function step(text: string): void {
  console.error(
    `[${((performance.now() - started) / 1000).toFixed(1)} s] ${text}`,
  );
}

// (1) and (2): listing.
for (const packages of [10, 100, 1000]) {
  step(`P=${packages}: generating`);
  const app = await generateApp({ packages });
  try {
    step(`P=${packages}: listNames() and the floor, in process`);
    await prepare(app);
    const plugins = app.counts.get(LISTED)!;
    const list = await inApp(app, "list", LISTED, packages < 1000 ? 60 : 30);
    rows.push({
      figure: `(1) \`listNames()\`, P=${packages} (${plugins} plugins)`,
      ms: list.list!,
      baseline: `read + \`JSON.parse\` of ${packages} plux.json`,
      baselineMs: list.floor!,
      target: packages === 1000 ? 2 : undefined,
    });
    if (packages === 100) {
      step(`P=${packages}: whole processes`);
      const runs = await processes(
        app,
        ["_list.ts", "_floor.ts", "_empty.ts", "_list_npm.ts"],
        RUNS.list,
      );
      rows.push({
        figure: `(2) \`deno run\` listing a namespace, P=${packages}`,
        ms: runs["_list.ts"]!,
        baseline: "`deno run` of the floor script",
        baselineMs: runs["_floor.ts"]!,
        target: 1.25,
      }, {
        figure: `(2) same`,
        ms: runs["_list.ts"]!,
        baseline: "an empty `deno run`",
        baselineMs: runs["_empty.ts"]!,
      }, {
        figure: "(2) same, the import map also naming 2 `npm:` packages",
        ms: runs["_list_npm.ts"]!,
        baseline: "`deno run` of the floor script",
        baselineMs: runs["_floor.ts"]!,
      });
    }
  } finally {
    await app.remove();
  }
}

// (3) loading 1000 plugins: 100 packages with 10 plugins each, one namespace.
{
  step("loading 1000 plugins: generating");
  const namespace = "bench.load";
  const app = await generateApp({
    packages: 100,
    namespaceOf: () => namespace,
  });
  try {
    await prepare(app);
    const modules = app.packages.flatMap((pkg) => pkg.modules);
    await Deno.writeTextFile(
      `${app.root}/_static.ts`,
      modules.map((url) => `import "${url}";\n`).join(""),
    );
    step("loading 1000 plugins: one process per figure, interleaved");
    const modes = {
      loadAll: namespace,
      specs: namespace,
      directory: namespace,
      static: "./_static.ts",
    };
    const times: Record<string, number[]> = {};
    for (let run = -1; run < RUNS.load; run++) {
      for (const [mode, argument] of Object.entries(modes)) {
        const { ms } = await inApp(app, mode, argument);
        if (run >= 0) (times[mode] ??= []).push(ms!);
      }
    }
    const floor = {
      baseline: "one `import()` of a module importing the 1000 statically",
      baselineMs: median(times.static!),
      target: 2,
    };
    rows.push(
      {
        figure: "(3) `loadAll()`, 1000 plugins",
        ms: median(times.loadAll!),
        ...floor,
      },
      {
        figure: "(3) `listPluginSpecs()`, 1000 plugins",
        ms: median(times.specs!),
        ...floor,
      },
      {
        figure:
          "(3) `loadAll()` from plugin directories (100 packages' first resolve)",
        ms: median(times.directory!),
        ...floor,
      },
    );
  } finally {
    await app.remove();
  }
}

// (4) indexing.
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
      app.packages[0]!.modules.map((url) => `import "${url}";\n`).join(""),
    );
    const index = median(
      await repeat(
        RUNS.index,
        () => time(["run", "-A", CLI.href, "index"], dir),
      ),
    );
    const imports = median(
      await repeat(
        RUNS.index,
        () => time(["run", "-A", `${dir}/_import_all.ts`], dir),
      ),
    );
    rows.push({
      figure: "(4) `plux index`, 200 modules",
      ms: index,
      baseline: "`deno run` importing the 200 modules",
      baselineMs: imports,
    });
  } finally {
    await app.remove();
  }
}

// (5) memory.
{
  step("memory: 10,000 plugins in one namespace");
  const app = await generateApp({
    packages: 1000,
    namespaceOf: () => "bench.mem",
  });
  try {
    await prepare(app);
    const memory = await inApp(app, "memory", "bench.mem");
    rows.push({
      figure: `(5) heap of a manager holding ${memory.count} indexed plugins`,
      ms: memory.manager!,
      baseline: "the parsed plux.json files alone",
      baselineMs: memory.json!,
      unit: { name: "MB", scale: 1024 * 1024, digits: 1 },
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
    figure: "(6) `loadAll({ concurrency: 8 })`, 100 plugins, 20 ms `load()`",
    ms: median(await repeat(5, () => loadAll(8))),
    baseline: "`loadAll()`, one at a time",
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
    `\n@plux/core benchmark (Deno ${Deno.version.deno}, ` +
      `${navigator.hardwareConcurrency} cores, ${cpu ?? "unknown CPU"}, ` +
      `load average ${Deno.loadavg()[0]!.toFixed(1)})\n`,
  );
  for (const line of formatTable(rows)) console.log(line);
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
    // The same application with two npm: packages in its import map: the
    // finder imports each one's plux.json, which starts Deno's npm support.
    Deno.readTextFile(`${app.root}/deno.json`).then((text) => {
      const config = JSON.parse(text);
      Object.assign(config.imports, {
        "jsonc-parser": "npm:jsonc-parser@^3.3.1",
        "semver": "npm:semver@^7.7.3",
      });
      return Deno.writeTextFile(
        `${app.root}/deno.npm.json`,
        JSON.stringify(config, null, 2),
      );
    }),
    Deno.writeTextFile(
      `${app.root}/_list_npm.ts`,
      `import { ImportMapFinder, PluginManager } from "${LIBRARY_URL}";\n` +
        `const finder = new ImportMapFinder({ config: "./deno.npm.json" });\n` +
        `console.log((await new PluginManager("${LISTED}", { finder }).listNames()).length);\n`,
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
  argument: string,
  iterations = 1,
): Promise<Record<string, number>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      "_in_app.ts",
      mode,
      argument,
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
