/**
 * Every PluginFinder of the library against the same finder contract (see
 * `_finder_contract.ts`), each over the same logical fixture.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { registryModule } from "../../src/build/registry_module.ts";
import {
  CombinedPluginFinder,
  ImportMapFinder,
  PluginDirectoryFinder,
  type PluginRegistry,
  RegistryFinder,
} from "../../mod.ts";
import { finderContract } from "./_finder_contract.ts";

finderContract(
  "ImportMapFinder",
  (fixture) =>
    Promise.resolve(() => new ImportMapFinder({ config: fixture.config })),
);

// A plugin directory falls back per package version (issue 5): a module
// that fails to import may make its package's other plugins fail too.
finderContract(
  "PluginDirectoryFinder",
  (fixture) =>
    Promise.resolve(() => new PluginDirectoryFinder([fixture.packages])),
  { brokenModuleSpoils: "package" },
);

finderContract("RegistryFinder", async (fixture) => {
  // The registry `plux registry` writes for the fixture's application.
  const entries = await new ImportMapFinder({ config: fixture.config })
    .findPlugins({ report: () => {} });
  const file = join(fixture.dir, "plugins.gen.ts");
  const { text, skipped } = registryModule(entries, file, "plux registry");
  assert.deepEqual(skipped, []);
  await Deno.writeTextFile(file, text);
  const registry: PluginRegistry =
    (await import(pathToFileURL(file).href)).default;
  // gamma's defect: an item whose import was lost (a hand-edited registry).
  const defect = {
    namespace: "contract.a",
    name: "gamma",
    export: "Contract",
  } as unknown as PluginRegistry[number];
  return () => new RegistryFinder([...registry, defect]);
});

finderContract(
  "CombinedPluginFinder over a PluginDirectoryFinder and an ImportMapFinder of the same packages",
  (fixture) =>
    Promise.resolve(() =>
      new CombinedPluginFinder([
        new PluginDirectoryFinder([fixture.packages]),
        new ImportMapFinder({ config: fixture.config }),
      ])
    ),
  { brokenModuleSpoils: "package" },
);
