// The supervisor as it runs from source: the default finder reads the
// plux.json of every package in deno.json and imports a plugin's module
// only when the plugin is loaded.
//
//   deno run --allow-read=. main.ts
import { runSupervisor } from "./supervisor.ts";

await runSupervisor(undefined, "ImportMapFinder (the default), over deno.json");
