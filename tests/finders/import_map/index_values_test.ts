// What an index says never becomes an import specifier unchecked: a package
// is imported through the root or the config discovery itself found.
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ImportMapFinder } from "../../../src/finders/import_map/import_map_finder.ts";
import { readPackageIndex } from "../../../src/finders/import_map/_read_package_index.ts";
import type { PackageCandidate } from "../../../src/finders/import_map/_package_sources.ts";
import { PluginManager } from "../../../src/manager/manager.ts";

const LIBRARY = new URL("../../../mod.ts", import.meta.url).href;
const DATA = "data:text/javascript,globalThis.pluxPwned=1;export const p=1";

Deno.test("a workspace member whose index names its package with a data: URL is imported through its own deno.json, and the name is reported", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await Deno.writeTextFile(
      join(dir, "deno.json"),
      JSON.stringify({ workspace: ["./member"] }),
    );
    await Deno.mkdir(join(dir, "member"));
    await Deno.writeTextFile(
      join(dir, "member", "deno.json"),
      JSON.stringify({ name: "@t/member", exports: "./mod.ts" }),
    );
    await Deno.writeTextFile(
      join(dir, "member", "mod.ts"),
      `import { plugin } from "${LIBRARY}";\n` +
        `export const p = plugin({ namespace: "t.values", name: "p" }, () => "member");\n`,
    );
    await Deno.writeTextFile(
      join(dir, "member", "plux.json"),
      JSON.stringify({
        version: 1,
        package: { name: DATA },
        plugins: { "t.values": [{ name: "p", export: "p", subpath: "." }] },
      }),
    );
    const problems: string[] = [];
    const manager = new PluginManager("t.values", {
      finder: new ImportMapFinder({ config: join(dir, "deno.json") }),
      listeners: [{
        onResolveException: (_ns, _info, error) =>
          void problems.push((error as Error).message),
      }],
    });
    const loaded = await manager.load("p") as unknown as () => string;
    assert.equal(loaded(), "member");
    const container = (await manager.getContainer("p"))!;
    assert.equal(
      container.info.value,
      `${pathToFileURL(join(dir, "member", "mod.ts")).href}#p`,
    );
    assert.equal(container.source?.package, "@t/member");
    assert.equal((globalThis as { pluxPwned?: number }).pluxPwned, undefined);
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(
      problems[0]!,
      /plux\.json: package name "data:text\/javascript,.*" is not a package name \("@scope\/name" or "name"\), so it is ignored/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a jsr: or npm: package is named and imported by the specifier in the import map, whatever its index claims", async () => {
  for (
    const [kind, root, name] of [
      ["jsr", "jsr:@real/pkg@^1", "@real/pkg"],
      ["npm", "npm:@real/npm-pkg@2", "@real/npm-pkg"],
      ["npm", "npm:plain@2", "plain"],
    ] as const
  ) {
    const candidate = { kind, key: name, root } as PackageCandidate;
    const outcome = await readPackageIndex(
      candidate,
      {
        url: new URL("file:///app/deno.json"),
        dir: new URL("file:///app/"),
        exports: {},
        imports: {},
        importBase: {},
        members: [],
        rootIndexTask: false,
      },
      () =>
        Promise.resolve({
          default: {
            version: 1,
            package: { name: "@other/claimed", version: "9.9.9" },
            plugins: {
              "t.values": [{ name: "p", export: "p", subpath: "./x" }],
            },
          },
        }),
    );
    assert.equal(outcome.pkg?.source.package, name);
    assert.equal(outcome.pkg?.source.version, "9.9.9");
    const entry = outcome.pkg!;
    assert.equal(
      entry.specifierOf(entry.index.plugins["t.values"]![0]!),
      `${root}/x`,
    );
  }
});
