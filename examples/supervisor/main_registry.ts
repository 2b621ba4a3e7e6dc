// The supervisor for `deno compile` and `deno bundle`: the plugins come from
// plugins.gen.ts, written by `plux registry`, whose literal import() calls
// put every plugin module into the compiled or bundled application.
//
//   deno bundle --output supervisor.js main_registry.ts
//   deno run supervisor.js
import { RegistryFinder } from "@plux/core";
import registry from "./plugins.gen.ts";
import { runSupervisor } from "./supervisor.ts";

await runSupervisor(
  new RegistryFinder(registry),
  "RegistryFinder, over plugins.gen.ts",
);
