import {
  type FunctionPlugin,
  type PluginContainer,
  type PluginFinder,
  PluginManager,
  type PluginSource,
} from "@plux/core";
import { CHECKS, SERVICES, type Supervisor } from "@demo/supervisor-api";
import { ReportListener } from "./report_listener.ts";

/**
 * Runs the supervisor: discovers its services and health checks, starts the
 * services, runs the checks and prints a report of every plugin.
 *
 * @param finder Where plugins are found; `undefined` for the default finder,
 * which reads the `plux.json` indexes of the packages in deno.json.
 * @param label How the finder is described in the report's header.
 * @param print Where each line of the report goes.
 */
export async function runSupervisor(
  finder: PluginFinder | undefined,
  label: string,
  print: (line: string) => void = console.log,
): Promise<void> {
  const supervisor: Supervisor = {
    start: (service, port) => `${service} listening on 127.0.0.1:${port}`,
    setting: (key) => SETTINGS[key],
  };
  const listeners = [new ReportListener(print)];
  const services = new PluginManager(SERVICES, {
    finder,
    listeners,
    loadArgs: [supervisor],
  });
  const checks = new PluginManager<FunctionPlugin>(CHECKS, {
    finder,
    listeners,
  });

  print(
    "plux demo: a service supervisor whose services and checks are plugins",
  );
  print(`finder: ${label}`);
  print("");
  print("discovered (from the indexes; no plugin code is imported yet):");
  const discovered = [
    ...await services.listContainers(),
    ...await checks.listContainers(),
  ];
  for (const container of discovered) {
    print(
      `  ${container.namespace}:${container.name}`.padEnd(40) +
        ` from ${packageOf(container.source)}${order(container)}`,
    );
  }

  print("");
  print(`starting ${SERVICES} (each after what it requires):`);
  await services.loadAll();
  const running = (await services.listContainers())
    .filter((c) => c.isLoaded).map((c) => c.name);
  print(`running ${CHECKS}:`);
  await checks.loadAll();
  const results = new Map<string, string>();
  for (const container of await checks.listContainers()) {
    if (container.isLoaded) {
      results.set(container.name, String(container.plugin!(running)));
    }
  }

  print("");
  print("report:");
  const counts = { loaded: 0, disabled: 0, failed: 0 };
  let namespace = "";
  for (const container of discovered) {
    if (container.namespace !== namespace) {
      namespace = container.namespace;
      print(`  ${namespace}`);
    }
    const [state, detail] = outcome(container);
    counts[state]++;
    const result = container.isLoaded && container.namespace === CHECKS
      ? `check says: ${results.get(container.name)}`
      : detail;
    print(`    ${state.padEnd(8)}  ${container.name.padEnd(16)}  ${result}`);
  }
  const packages = new Set(discovered.map((c) => packageOf(c.source)));
  print("");
  print(
    `${discovered.length} plugins from ${packages.size} packages: ` +
      `${counts.loaded} loaded, ${counts.disabled} disabled, ${counts.failed} failed`,
  );
}

/** The supervisor's settings; the webhook secret is missing on purpose. */
const SETTINGS: Record<string, string> = { REGION: "eu-central-1" };

function outcome(
  container: PluginContainer,
): ["loaded" | "disabled" | "failed", string] {
  if (container.isLoaded) {
    return ["loaded", String(container.loadValue ?? "")];
  }
  if (container.disabledReason !== undefined) {
    return ["disabled", `because ${container.disabledReason}`];
  }
  const error = container.loadError ?? container.initError ??
    container.resolveError;
  const step = container.loadError !== undefined
    ? "load"
    : container.initError !== undefined
    ? "initialise"
    : "resolve";
  const message = error instanceof Error ? error.message : String(error);
  // A plugin whose requirement failed keeps the PluginException that says
  // so: "plugin <id> failed to load: it requires ..., which failed ...".
  const own = `plugin ${container.namespace}:${container.name} failed to `;
  return [
    "failed",
    message.startsWith(own)
      ? `to ${message.slice(own.length)}`
      : `to ${step}: ${message}`,
  ];
}

/** What a plugin requires and comes after, as declared in its package. */
function order(container: PluginContainer): string {
  const parts = [
    ...container.requires.length > 0
      ? [`requires ${container.requires.join(", ")}`]
      : [],
    ...container.after.length > 0
      ? [`after ${container.after.join(", ")}`]
      : [],
  ];
  return parts.length === 0 ? "" : `, ${parts.join("; ")}`;
}

function packageOf(source: PluginSource | undefined): string {
  if (source?.package === undefined) return "code given to the finder";
  const version = source.version === undefined ? "" : `@${source.version}`;
  return `${source.package}${version} (${source.kind})`;
}
