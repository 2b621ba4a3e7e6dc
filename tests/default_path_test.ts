// What every importer of mod.ts pays at start-up (docs/performance.md): the
// static module graph. A `node:` or `npm:` module in it starts Deno's Node
// compatibility layer or npm support (20–45 ms of a process); the indexer,
// the command line and the reading of plugin directories are imported only
// by those who use them.
import assert from "node:assert/strict";

const MOD = new URL("../mod.ts", import.meta.url);
const SRC = new URL("../src/", import.meta.url).href;

interface Info {
  roots: string[];
  modules: {
    specifier: string;
    dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
  }[];
}

async function staticGraph(root: URL): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", root.href],
    stderr: "inherit",
  }).output();
  assert.ok(output.success);
  const info: Info = JSON.parse(new TextDecoder().decode(output.stdout));
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [...info.roots];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dep of modules.get(specifier)?.dependencies ?? []) {
      if (dep.code !== undefined && !dep.isDynamic) {
        stack.push(dep.code.specifier);
      }
    }
  }
  return [...seen].sort();
}

/**
 * What a process that only lists plugins never runs: the indexer, the
 * command line, plugin directories' reading, the batching of imports (used
 * from the first resolve on), the permission advice of messages, and
 * looking into a package's modules for plugin declarations.
 */
const OFF_THE_DEFAULT_PATH = [
  /^(build|cli)\//,
  /^finders\/directory\/_(settle|selection|package|fail_safe)\.ts$/,
  /^finders\/_(batch_import|permission_flag)\.ts$/,
  /^index\/declares_plugins\.ts$/,
];

Deno.test("mod.ts statically imports no node: or npm: module, nor what only loading, messages, the indexer, the CLI or plugin directories use", async () => {
  const graph = await staticGraph(MOD);
  const local = graph.filter((s) => s.startsWith(SRC)).map((s) =>
    s.slice(SRC.length)
  );
  assert.ok(local.includes("finders/import_map/import_map_finder.ts"));
  assert.deepEqual(graph.filter((s) => !s.startsWith("file:")), []);
  assert.deepEqual(
    local.filter((path) =>
      OFF_THE_DEFAULT_PATH.some((pattern) => pattern.test(path))
    ),
    [],
  );
});
