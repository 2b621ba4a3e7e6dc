import { PluginManager } from "../manager/manager.ts";
import { ImportMapFinder } from "../finders/import_map/import_map_finder.ts";
import { describeSource } from "../core/_describe.ts";
import { leftOutOf } from "../core/errors.ts";
import { blockedText, planLoadOrder } from "../manager/load_order.ts";
import { parseCommandArgs, timeoutFlag } from "./_args.ts";
import { DEFAULT_IMPORT_TIMEOUT } from "../build/collect_plugins.ts";
import { locateAppConfig } from "./_config_file.ts";
import { type CliIo, printError, UsageError } from "./_io.ts";

/**
 * `plux resolve <namespace> [--config PATH]`: imports the code of every
 * plugin of the namespace, as a `PluginManager` over the application's
 * finder would, and reports each failure with its reason, and each plugin
 * that cannot load because of its declarations: a missing requirement, a
 * cycle of `requires`/`after`. Plugins are not initialised or loaded.
 *
 * @param args The arguments after `resolve`.
 * @param io Where to write.
 * @returns The exit code: 0, or 1 when a plugin failed, the finder reported
 * a problem, or the namespace has no plugins.
 */
export async function resolveCommand(
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const { positionals, flags } = parseCommandArgs("resolve", args, {
    config: "string",
    timeout: "string",
  }, 1);
  const timeout = timeoutFlag(flags.timeout, "resolve") ??
    DEFAULT_IMPORT_TIMEOUT;
  const namespace = positionals[0];
  if (namespace === undefined) {
    throw new UsageError("resolve needs a namespace", "resolve");
  }
  const config = await locateAppConfig(
    io.cwd,
    flags.config as string,
    "resolve",
  );
  const problems: unknown[] = [];
  const manager = new PluginManager(namespace, {
    finder: new ImportMapFinder({ config }),
    // A module whose top-level await never settles is reported, not waited for.
    loadTimeout: timeout,
    listeners: [{
      onResolveException(_namespace, info, error) {
        if (info === undefined) problems.push(error);
      },
    }],
  });
  await manager.listPluginSpecs();
  const containers = await manager.listContainers();
  for (const problem of problems) printError(io, problem);
  if (containers.length === 0) {
    io.err(
      `error: no plugin of ${namespace} was found through ${config}; check ` +
        "that the plugin package is in its imports or workspace and ships a " +
        "plux.json (`plux list` shows what is found)",
    );
    return 1;
  }
  // The manager disables these and reports each cycle (printed above).
  const order = planLoadOrder(
    namespace,
    containers,
    leftOutOf(namespace, problems as Error[]),
  );
  let failed = problems.length > 0 || order.blocked.size > 0;
  io.out(namespace);
  for (const container of containers) {
    const where = describeSource(container.info);
    const blocked = blockedText(order, container.name);
    if (blocked !== undefined) {
      io.out(`  ${container.name}: disabled (${blocked}), ${where}`);
    } else if (container.isDisabled) {
      io.out(
        `  ${container.name}: disabled (${container.disabledReason}), ${where}`,
      );
    } else if (container.spec !== undefined) {
      io.out(`  ${container.name}: ok, ${where}`);
    } else {
      failed = true;
      io.out(`  ${container.name}: FAILED, ${where}`);
      printError(
        io,
        container.resolveError,
        `${namespace}:${container.name}: `,
      );
    }
  }
  return failed ? 1 : 0;
}
