/**
 * The part of the discovery benchmark that runs inside a generated
 * application (so that its deno.json is the import map). `discovery_bench.ts`
 * starts it through a one-line script in the application folder:
 *
 *   deno run -A --v8-flags=--expose-gc <app>/_in_app.ts <mode> <namespace> <iterations>
 *
 * and reads one JSON object from stdout. Modes:
 * - `list`: median ms of `listNames()` from a fresh finder and manager, and
 *   of the floor (reading and parsing the same plux.json files);
 * - `loadAll`: ms of `loadAll()` (once: modules stay imported);
 * - `importAll`: ms of importing the same modules directly, the floor of `loadAll`;
 * - `memory`: heap held by a manager that lists the namespace, and by the
 *   parsed indexes alone.
 *
 * @module
 */

import { PluginManager } from "../mod.ts";
import { ImportMapFinder } from "../src/finders/import_map/import_map_finder.ts";

const [mode, namespace = "bench.services", iterations = "20"] = Deno.args;
const root = Deno.cwd();
const indexes = JSON.parse(
  await Deno.readTextFile(`${root}/_indexes.json`),
) as string[];

/** A new finder each time: nothing is cached between iterations. */
const finder = () => new ImportMapFinder();

async function floor(): Promise<number> {
  const parsed = await Promise.all(
    indexes.map(async (file) => JSON.parse(await Deno.readTextFile(file))),
  );
  return parsed.length;
}

function floorSync(): number {
  let n = 0;
  for (const file of indexes) {
    JSON.parse(Deno.readTextFileSync(file));
    n++;
  }
  return n;
}

async function median(
  n: number,
  fn: () => unknown,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const result: Record<string, number | string> = {};
if (mode === "list") {
  const n = Number(iterations);
  let count = 0;
  // Interleave so that both see the same machine state.
  result.floorAsync = await median(n, floor);
  result.floorSync = await median(n, floorSync);
  result.list = await median(n, async () => {
    count = (await new PluginManager(namespace, { finder: finder() })
      .listNames()).length;
  });
  result.floorAsync = Math.min(result.floorAsync, await median(n, floor));
  result.floorSync = Math.min(result.floorSync, await median(n, floorSync));
  result.count = count;
} else if (mode === "loadAll") {
  const manager = new PluginManager(namespace, { finder: finder() });
  await manager.listNames();
  const start = performance.now();
  result.count = (await manager.loadAll()).length;
  result.loadAll = performance.now() - start;
} else if (mode === "importAll") {
  const manager = new PluginManager(namespace, { finder: finder() });
  const modules = (await manager.listContainers()).map((c) =>
    c.info.value!.replace(/#.*$/, "")
  );
  const start = performance.now();
  result.count = (await Promise.all(modules.map((m) => import(m)))).length;
  result.importAll = performance.now() - start;
} else if (mode === "memory") {
  gc();
  const before = Deno.memoryUsage().heapUsed;
  const manager = new PluginManager(namespace, { finder: finder() });
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
