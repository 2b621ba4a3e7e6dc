/**
 * The `plux` command line: `plux index` writes a plugin package's
 * `plux.json`, `plux discover` shows what it would write, `plux list` shows
 * what an application's finder discovers and `plux resolve` imports every
 * plugin of a namespace to find the broken ones.
 *
 * A plugin package adds one task to its `deno.json`:
 *
 * ```json
 * { "tasks": { "plux:index": "deno run -A jsr:@plux/core/cli index" } }
 * ```
 *
 * @example Running the command line in-process
 * ```ts
 * import { main } from "@plux/core/cli";
 *
 * const code = await main(["--version"]); // prints "plux (@plux/core) 0.1.0"
 * console.log(code); // 0
 * ```
 *
 * @module
 */

import { main } from "./src/cli/main.ts";

export { main, type MainOptions } from "./src/cli/main.ts";

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
