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
  "src/runtime/filters.ts": ["globalPluginFilter", "MatchingPluginFilter"],
  "src/runtime/container.ts": ["PluginContainer"],
  "src/runtime/manager.ts": ["PluginManager"],
  "src/runtime/import_map_finder.ts": ["ImportMapFinder"],
  "src/runtime/registry_finder.ts": ["RegistryFinder"],
  "src/runtime/combined_finder.ts": ["CombinedPluginFinder"],
  "src/runtime/directory_finder.ts": ["PluginDirectoryFinder"],
  "src/runtime/directory_problem.ts": [
    "describeProblem",
    "PluginDirectoryError",
  ],
  "src/runtime/known_good.ts": ["readKnownGood", "writeKnownGood"],
  "src/runtime/requirements.ts": ["PLUX_VERSION", "unmetRequirements"],
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
