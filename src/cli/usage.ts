/** The overview printed by `plux --help`, `plux help` and after an unknown command. */
export const OVERVIEW = `plux: index, list and check the plugins of @plux/core

Usage: plux <command> [options]

Commands:
  init       add the plux:index task (and the @plux/core import) to this package
  index      write plux.json for this package (or every workspace member)
  discover   show what index would write, without writing
  list       show the plugins the application's finder discovers
  resolve    import every plugin of a namespace and report failures
  registry   write a static plugin registry for deno compile/bundle
  help       show the help of a command: plux help index

Options:
  -h, --help     show help (also after a command: plux index --help)
  -V, --version  show the version of @plux/core
  --verbose      show stack traces with errors

Exit codes: 0 success, 1 failure (stale index, broken plugin), 2 wrong usage.`;

/** Help per command. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  init: `Usage: plux init [--config PATH]

Prepares a plugin package: adds the task
  "plux:index": "deno run --allow-read=. --allow-write=plux.json,deno.json
                 jsr:@plux/core@^VERSION/cli index"
(--allow-write=. at a workspace root) and maps "@plux/core" in "imports" when
neither the package nor its workspace does. Edits in place, keeping comments
and layout; running it again changes nothing. Then: deno task plux:index.

Options:
  --config PATH  the package's deno.json/deno.jsonc or its folder
                 (default: the one in this folder)
  --verbose      show stack traces with errors
  -h, --help     show this help`,
  index: `Usage: plux index [--config PATH] [--check] [--timeout SECONDS]

Imports the package's modules, collects every PluginSpec, Plugin class and
plugin() function they export, and writes plux.json next to deno.json; adds
"./plux.json" to "exports" when missing. At a workspace root, indexes every
member that has plugins.

Options:
  --config PATH  the package's deno.json/deno.jsonc or its folder
                 (default: found from here)
  --check        write nothing; exit 1 when plux.json or exports are stale
  --timeout SECONDS
                 how long one module may take to import (default 30): a
                 module whose top-level await never settles is reported
  --verbose      show stack traces with errors
  -h, --help     show this help`,
  discover: `Usage: plux discover [--config PATH] [--json] [--timeout SECONDS]

Shows the plugins \`plux index\` would write to plux.json, without writing.

Options:
  --config PATH  the package's deno.json/deno.jsonc or its folder
                 (default: found from here)
  --json         print the index of each package as JSON
  --timeout SECONDS
                 how long one module may take to import (default 30)
  --verbose      show stack traces with errors
  -h, --help     show this help`,
  list: `Usage: plux list [namespace] [--config PATH] [--json] [--order]
                 [--timeout SECONDS]

Shows what the application's plugin finder discovers, as a tree: namespace,
plugin, package@version and source, and what each plugin requires and comes
after. Reads indexes only; imports no plugin.

Options:
  --config PATH  the application's deno.json/deno.jsonc or its folder
                 (default: found from here)
  --json         print a JSON list of plugins
  --order        print the load waves of the namespace (needs a namespace) and
                 the plugins that cannot load (missing requirement, cycle)
  --timeout SECONDS
                 how long the index of one jsr:, npm: or URL package may take
                 to arrive (default 10); a package whose index does not is
                 left out with a warning
  --verbose      show stack traces with errors
  -h, --help     show this help`,
  resolve: `Usage: plux resolve <namespace> [--config PATH] [--timeout SECONDS]

Imports every plugin of the namespace and reports each failure with its
reason, and each plugin that cannot load because a requirement is missing or
its requires/after form a cycle; exits 1 if any failed. Run it when a plugin
is not found or does not load.

Options:
  --config PATH  the application's deno.json/deno.jsonc or its folder
                 (default: found from here)
  --timeout SECONDS
                 how long one plugin module may take to import (default 30)
  --verbose      show stack traces with errors
  -h, --help     show this help`,
  registry: `Usage: plux registry --out FILE [--config PATH] [--check]
                 [--timeout SECONDS]

Writes a TypeScript module listing every plugin the application's finder
discovers, each with a literal import("..."), for applications built with
deno compile or deno bundle (which only include literal imports). Pass its
default export to RegistryFinder. Reads indexes only; imports no plugin.

Options:
  --out FILE     the module to write, for example plugins.gen.ts
  --config PATH  the application's deno.json/deno.jsonc or its folder
                 (default: found from here)
  --check        write nothing; exit 1 when FILE is stale or missing
  --timeout SECONDS
                 how long the index of one jsr:, npm: or URL package may take
                 to arrive (default 10); when one does not, nothing is
                 written and the exit code is 1
  --verbose      show stack traces with errors
  -h, --help     show this help`,
};
