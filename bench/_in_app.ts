/**
 * The part of the discovery benchmark that runs inside a generated
 * application (so that its deno.json is the import map). `discovery_bench.ts`
 * starts it through a one-line script in the application folder:
 *
 *   deno run -A --v8-flags=--expose-gc <app>/_in_app.ts <mode> <argument> <iterations>
 *
 * and reads one JSON object from stdout. Each timed mode runs in a fresh
 * process, with the library already imported and (for the loading modes) the
 * namespace already listed, so that only the work named is timed. Modes:
 * - `list <namespace> <n>`: median ms of `listNames()` from a fresh finder and
 *   manager, and of the floor (reading and parsing the same plux.json files,
 *   synchronously, the fastest way), `n` of each, interleaved, after 10 of
 *   each that are not counted;
 * - `loadAll <namespace>`: ms of `loadAll()`;
 * - `specs <namespace>`: ms of `listPluginSpecs()`;
 * - `directory <namespace>`: ms of `loadAll()` with a `PluginDirectoryFinder`
 *   over the application's `pkgs/` folder (each package's first resolve
 *   imports every plugin module of the package);
 * - `static <file>`: ms of one `import()` of a module that statically
 *   imports the plugin modules, the floor of the three above;
 * - `memory <namespace>`: heap held by a manager that lists the namespace,
 *   and by the parsed indexes alone.
 *
 * @module
 */

import {
  ImportMapFinder,
  PluginDirectoryFinder,
  type PluginFinder,
  PluginManager,
} from "../mod.ts";

const [mode, argument = "bench.services", iterations = "20"] = Deno.args;
const root = Deno.cwd();
const indexes = JSON.parse(
  await Deno.readTextFile(`${root}/_indexes.json`),
) as string[];

/** Runs of `list` not counted, before the counted ones. */
const WARM_UP = 10;

/** A new finder each time: nothing is cached between iterations. */
const finder = () => new ImportMapFinder();

/** The floor of listing: reading and parsing the same plux.json files. */
function floor(): number {
  let n = 0;
  for (const file of indexes) {
    JSON.parse(Deno.readTextFileSync(file));
    n++;
  }
  return n;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Times `work` on a manager that has listed the namespace already. */
async function timed(
  namespaceFinder: PluginFinder,
  work: (manager: PluginManager) => Promise<unknown[]>,
): Promise<Record<string, number>> {
  const manager = new PluginManager(argument, { finder: namespaceFinder });
  const count = (await manager.listNames()).length;
  const start = performance.now();
  const done = (await work(manager)).length;
  const ms = performance.now() - start;
  if (done !== count) {
    throw new Error(`${mode}: ${done} of the ${count} plugins of ${argument}`);
  }
  return { ms, count };
}

let result: Record<string, number | string> = {};
if (mode === "list") {
  // Interleaved, so that both see the same machine and heap: the listing's
  // garbage is collected during either.
  const lists: number[] = [];
  const floors: number[] = [];
  let count = 0;
  // The first WARM_UP runs of each are not counted: the figure is the work
  // with the code compiled and optimised, as in a process that lists often.
  for (let i = -WARM_UP; i < Number(iterations); i++) {
    let start = performance.now();
    count = (await new PluginManager(argument, { finder: finder() })
      .listNames()).length;
    const list = performance.now() - start;
    start = performance.now();
    floor();
    if (i >= 0) {
      lists.push(list);
      floors.push(performance.now() - start);
    }
  }
  result = { list: median(lists), floor: median(floors), count };
} else if (mode === "loadAll") {
  result = await timed(finder(), (manager) => manager.loadAll());
} else if (mode === "specs") {
  result = await timed(finder(), (manager) => manager.listPluginSpecs());
} else if (mode === "directory") {
  const directory = new PluginDirectoryFinder([`${root}/pkgs`]);
  result = await timed(directory, (manager) => manager.loadAll());
} else if (mode === "static") {
  const start = performance.now();
  await import(new URL(argument, `file://${root}/`).href);
  result.ms = performance.now() - start;
} else if (mode === "memory") {
  gc();
  const before = Deno.memoryUsage().heapUsed;
  const manager = new PluginManager(argument, { finder: finder() });
  result.count = (await manager.listNames()).length;
  gc();
  result.manager = Deno.memoryUsage().heapUsed - before;
  gc();
  const beforeJson = Deno.memoryUsage().heapUsed;
  const parsed = await Promise.all(
    indexes.map(async (file) => JSON.parse(await Deno.readTextFile(file))),
  );
  gc();
  result.json = Deno.memoryUsage().heapUsed - beforeJson;
  result.keep = String(parsed.length + (await manager.exists("x") ? 1 : 0));
}
console.log(JSON.stringify(result));
