import type { PluginEntry } from "../core/finder.ts";
import { findAppPlugins } from "./_app_plugins.ts";
import { describeSource } from "../core/_describe.ts";
import type { PluginSpec } from "../core/plugin_spec.ts";
import { parseCommandArgs } from "./_args.ts";
import { locateAppConfig } from "./_config_file.ts";
import type { CliIo } from "./_io.ts";

/**
 * `plux list [namespace] [--config PATH] [--json]`: prints what the
 * application's finder discovers, per namespace, with each plugin's package
 * and source. Only indexes are read; no plugin code is imported. Problems the
 * finder stepped over are printed as warnings.
 *
 * @param args The arguments after `list`.
 * @param io Where to write.
 * @returns The exit code: 0.
 * @throws {Error} When the application's config is missing or cannot be
 * read or parsed (`main` prints it in one line and exits 1).
 */
export async function listCommand(
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const { flags, positionals } = parseCommandArgs("list", args, {
    config: "string",
    json: "boolean",
  }, 1);
  const namespace = positionals[0];
  const config = await locateAppConfig(io.cwd, flags.config as string);
  const found = await findAppPlugins(config, io, namespace);
  const byNamespace = new Map<string, (PluginEntry | PluginSpec)[]>();
  for (const item of found) {
    if (namespace !== undefined && item.namespace !== namespace) continue;
    byNamespace.set(item.namespace, [
      ...(byNamespace.get(item.namespace) ?? []),
      item,
    ]);
  }
  const namespaces = [...byNamespace.keys()].sort();
  if (flags.json) {
    const rows = namespaces.flatMap((ns) =>
      byNamespace.get(ns)!.map((item) => {
        const entry = item as Partial<PluginEntry>;
        return {
          namespace: item.namespace,
          name: item.name,
          value: entry.value,
          source: entry.source,
          metadata: entry.metadata,
        };
      })
    );
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (namespaces.length === 0) {
    io.out(
      namespace === undefined
        ? `no plugins found through ${config}`
        : `no plugins of ${namespace} found through ${config}`,
    );
    return 0;
  }
  for (const ns of namespaces) {
    io.out(ns);
    const seen = new Map<string, string>();
    const items = byNamespace.get(ns)!;
    const width = Math.max(...items.map((item) => item.name.length));
    for (const item of items) {
      const where = describeSource(item as PluginEntry);
      const first = seen.get(item.name);
      const note = first === undefined ? "" : `  (shadowed: ${first} wins)`;
      seen.set(item.name, first ?? where);
      const description = (item as PluginEntry).metadata?.description;
      const about = typeof description === "string" ? `  ${description}` : "";
      io.out(`  ${item.name.padEnd(width)}  ${where}${about}${note}`);
    }
  }
  return 0;
}
