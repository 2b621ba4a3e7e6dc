/**
 * The application of docs/plugin_directories.md: loads the user's plugins
 * from a folder, prints what loaded and what was skipped, and records the
 * known-good set. Run by tests/finders/directory/user_plugins_app_test.ts.
 *
 * Usage: deno run --config=<app deno.json mapping @plux/core>
 *   --allow-read=<plugins>,<known-good folder> --allow-write=<known-good folder>
 *   _user_plugins_app.ts <plugins> <known-good file>
 *
 * @module
 */

import {
  describeProblem,
  PluginDirectoryFinder,
  PluginManager,
} from "@plux/core";

const [pluginDir, knownGood] = Deno.args;
const finder = new PluginDirectoryFinder([pluginDir!], {
  provides: { "my-app": "2.4.0" },
  knownGood,
  failSafe: true,
});
const manager = new PluginManager("my-app.tools", { finder });
await manager.loadAll(); // every plugin the application uses, before recording

const containers = await manager.listContainers();
for (const container of containers) {
  if (container.isLoaded) {
    console.log(`loaded ${container.name}: ${container.loadValue}`);
  }
}
await finder.recordKnownGood(knownGood!, containers);
for (const problem of finder.problems) {
  console.log(`note: ${describeProblem(problem)}`);
}
