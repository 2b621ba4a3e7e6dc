import assert from "node:assert/strict";
import * as mod from "../mod.ts";

/**
 * The runtime exports of mod.ts, by the file they come from. Adding an export
 * means adding its name here; removing one breaks users and must be
 * deliberate. (Type-only exports have no runtime name and are not listed.)
 */
const PUBLIC_SURFACE: Record<string, string[]> = {
  "src/core/errors.ts": ["PluginDisabled", "PluginException"],
  "src/core/plugin.ts": ["Plugin"],
  "src/core/plugin_spec.ts": ["PluginSpec"],
  "src/core/function_plugin.ts": ["FunctionPlugin", "plugin"],
  "src/core/resolver.ts": ["PluginSpecResolver"],
  "src/core/listener.ts": ["CompositePluginLifecycleListener"],
  "src/manager/filters.ts": ["globalPluginFilter", "MatchingPluginFilter"],
  "src/manager/container.ts": ["PluginContainer"],
  "src/manager/manager.ts": ["PluginManager"],
  "src/finders/import_map/import_map_finder.ts": ["ImportMapFinder"],
  "src/finders/registry/registry_finder.ts": ["RegistryFinder"],
  "src/finders/combined_finder.ts": ["CombinedPluginFinder"],
  "src/finders/directory/directory_finder.ts": ["PluginDirectoryFinder"],
  "src/finders/directory/directory_problem.ts": [
    "describeProblem",
    "PluginDirectoryError",
  ],
  "src/finders/directory/known_good.ts": ["readKnownGood", "writeKnownGood"],
  "src/finders/directory/requirements.ts": [
    "PLUX_VERSION",
    "unmetRequirements",
  ],
};

Deno.test("mod.ts exports exactly the pinned public names", () => {
  const pinned = Object.values(PUBLIC_SURFACE).flat().sort();
  const actual = Object.keys(mod).sort();
  const missing = pinned.filter((name) => !actual.includes(name));
  const unlisted = actual.filter((name) => !pinned.includes(name));
  assert.deepEqual(
    { missing, unlisted },
    { missing: [], unlisted: [] },
    "mod.ts changed its public surface: update PUBLIC_SURFACE in tests/mod_test.ts " +
      "if that is deliberate",
  );
});

Deno.test("mod.ts exports every public name from the file PUBLIC_SURFACE says", async (t) => {
  for (const [file, names] of Object.entries(PUBLIC_SURFACE)) {
    await t.step(file, async () => {
      const source = await import(new URL(`../${file}`, import.meta.url).href);
      for (const name of names) {
        assert.equal(
          (mod as Record<string, unknown>)[name],
          source[name],
          `${name} of mod.ts is not the one in ${file}`,
        );
      }
    });
  }
});
