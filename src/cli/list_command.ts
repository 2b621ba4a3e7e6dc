import type { PluginEntry } from "../core/finder.ts";
import { findAppPlugins } from "./_app_plugins.ts";
import { describeDependencies, describeSource } from "../core/_describe.ts";
import { leftOutOf } from "../core/errors.ts";
import {
  blockedText,
  type LoadOrder,
  planLoadOrder,
} from "../manager/load_order.ts";
import type { PluginSpec } from "../core/plugin_spec.ts";
import { parseCommandArgs, timeoutFlag } from "./_args.ts";
import { terminalText } from "../core/_error_text.ts";
import { locateAppConfig } from "./_config_file.ts";
import { type CliIo, UsageError, writeLines } from "./_io.ts";

/**
 * `plux list [namespace] [--config PATH] [--json] [--order] [--timeout
 * SECONDS]`: prints what the
 * application's finder discovers, per namespace, with each plugin's package,
 * source and what it requires and comes after; with `--order`, the load waves
 * of one namespace instead. Only indexes are read; no plugin code is
 * imported. Problems the finder stepped over are printed as warnings.
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
    order: "boolean",
    timeout: "string",
  }, 1);
  const timeout = timeoutFlag(flags.timeout, "list");
  const namespace = positionals[0];
  if (flags.order && namespace === undefined) {
    throw new UsageError(
      "--order needs a namespace: plux list <namespace> --order",
      "list",
    );
  }
  const config = await locateAppConfig(
    io.cwd,
    flags.config as string,
    "list",
  );
  const { found, problems } = await findAppPlugins(
    config,
    io,
    namespace,
    timeout,
  );
  const byNamespace = new Map<string, (PluginEntry | PluginSpec)[]>();
  for (const item of found) {
    if (namespace !== undefined && item.namespace !== namespace) continue;
    byNamespace.set(item.namespace, [
      ...(byNamespace.get(item.namespace) ?? []),
      item,
    ]);
  }
  const namespaces = [...byNamespace.keys()].sort();
  if (flags.order) {
    const leftOut = leftOutOf(namespace!, problems);
    const items = byNamespace.get(namespace!) ?? [];
    const order = planLoadOrder(namespace!, items, leftOut);
    printOrder(order, namespace!, items, !!flags.json, io);
    return 0;
  }
  if (flags.json) {
    const rows = namespaces.flatMap((ns) =>
      byNamespace.get(ns)!.map((item) => {
        const entry = item as Partial<PluginEntry>;
        return {
          namespace: item.namespace,
          name: item.name,
          value: entry.value,
          source: entry.source,
          requires: item.requires ?? [],
          after: item.after ?? [],
          metadata: entry.metadata,
        };
      })
    );
    writeLines(io.out, JSON.stringify(rows, null, 2));
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
    // Widths as printed: a name's unprintable characters become escapes.
    const width = Math.max(
      ...items.map((item) => terminalText(item.name).length),
    );
    for (const item of items) {
      const where = describeSource(item as PluginEntry);
      const first = seen.get(item.name);
      const note = first === undefined ? "" : `  (shadowed: ${first} wins)`;
      seen.set(item.name, first ?? where);
      const description = (item as PluginEntry).metadata?.description;
      const about = typeof description === "string" ? `  ${description}` : "";
      const order = describeDependencies(item);
      const deps = order === "" ? "" : `  (${order})`;
      const name = terminalText(item.name).padEnd(width);
      io.out(`  ${name}  ${where}${deps}${about}${note}`);
    }
  }
  return 0;
}

/**
 * Prints the load waves of a namespace: what `loadAll()` loads together,
 * wave after wave, and what it cannot load whatever happens at run time.
 */
function printOrder(
  order: LoadOrder,
  namespace: string,
  items: readonly (PluginEntry | PluginSpec)[],
  json: boolean,
  io: CliIo,
): void {
  if (json) {
    writeLines(
      io.out,
      JSON.stringify(
        {
          namespace,
          waves: order.waves,
          blocked: Object.fromEntries(
            [...order.blocked.keys()].map((name) => [
              name,
              blockedText(order, name),
            ]),
          ),
        },
        null,
        2,
      ),
    );
    return;
  }
  if (items.length === 0) {
    io.out(`no plugins of ${namespace} found`);
    return;
  }
  const waves = order.waves.length;
  io.out(
    `${namespace}: load order, ${waves} ${waves === 1 ? "wave" : "waves"} ` +
      "(a wave's plugins load together with loadAll({ concurrency }); filters " +
      "and shouldLoad() are checked at run time)",
  );
  order.waves.forEach((wave, i) => {
    io.out(`  wave ${i + 1}: ${wave.join(", ")}`);
  });
  if (order.blocked.size > 0) {
    io.out("cannot load:");
    for (const name of order.blocked.keys()) {
      io.out(`  ${name}: ${blockedText(order, name)}`);
    }
  }
}
