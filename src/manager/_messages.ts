/**
 * The manager's own messages: an unknown plugin name, two plugins of one
 * name, and the failures of a plugin's steps. Each is one line.
 *
 * @module
 */

import { errorText } from "../core/_error_text.ts";
import { declaredInOf, describeSource } from "../core/_describe.ts";
import { PluginException } from "../core/errors.ts";
import type { Plugin } from "../core/plugin.ts";
import type { PluginInfo, PluginSource } from "../core/plugin_info.ts";
import type { PluginContainer } from "./container.ts";
import { WaitEnded } from "./_wait.ts";

/**
 * The error for a name the namespace does not have: what it has, how to
 * look, and, when the finder met problems while listing, how many and the
 * first in full (a package that could not be read may hold the plugin).
 *
 * @param namespace The namespace.
 * @param name The name asked for.
 * @param known The namespace's plugin names, sorted.
 * @param problems What the finder reported while listing.
 * @param importMap Whether the finder is an `ImportMapFinder`, whose view
 * `plux list` shows (it does not see plugin directories).
 * @returns The exception.
 */
export function unknownPlugin(
  namespace: string,
  name: string,
  known: readonly string[],
  problems: readonly unknown[],
  importMap: boolean,
): PluginException {
  const listed = known.length === 0
    ? "it has no plugins"
    : `its plugins are ${known.slice(0, 10).join(", ")}${
      known.length > 10 ? ", ..." : ""
    }`;
  const check = importMap
    ? `Check the name, or run \`plux list ${namespace}\` to see what is discovered`
    : "Check the name, and what the manager's finder offers (listNames())";
  // A problem about this very plugin (its index entry dropped) comes first.
  const texts = problems.map(errorText);
  const own = texts.find((text) =>
    text.includes(`plugin ${namespace}:${name} `)
  );
  const discovery = problems.length === 0
    ? ""
    : problems.length === 1
    ? `. Discovery met a problem, which may be why: ${texts[0]}`
    : `. Discovery met ${problems.length} problems, which may be why; ` +
      (own === undefined
        ? `the first: ${texts[0]}`
        : `the one about it: ${own}`);
  return new PluginException(
    `no plugin named "${name}" in namespace ${namespace}: ${listed}. ${check}${discovery}`,
    { namespace, pluginName: name },
  );
}

/**
 * The problem of two plugins with one name: the first is used, and the fix
 * depends on where the second comes from.
 *
 * @param kept The plugin that is used.
 * @param dropped The plugin that is left out.
 * @returns The exception.
 */
export function conflict(
  kept: PluginInfo,
  dropped: PluginInfo,
): PluginException {
  return new PluginException(
    `plugin ${kept.namespace}:${kept.name} is offered twice: by ${
      describeSource(kept)
    } and by ${describeSource(dropped)}; the first is used. ` +
      `Rename one of them${removal(dropped.source)}`,
    { namespace: kept.namespace, pluginName: kept.name },
  );
}

/**
 * How to stop offering the second copy, by how it was reached: which
 * workspace member or import-map entry to remove, from which file.
 */
function removal(source: PluginSource | undefined): string {
  const file = source === undefined ? undefined : declaredInOf(source);
  switch (source?.kind) {
    case "workspace": {
      const member = memberOf(source, file);
      return file === undefined
        ? `, or remove the member ${member} from "workspace" in the ` +
          "deno.json of its workspace root"
        : `, or remove the member ${member} from "workspace" in ${file}`;
    }
    case "path":
    case "jsr":
    case "npm":
    case "url":
      return `, or remove "${source.key}" from "imports" in ${
        file ?? "the application's deno.json"
      }`;
    case "directory":
      return ", or remove one package from the plugin directories";
    default:
      return "";
  }
}

/**
 * A workspace member as its root lists it (`./packages/tools`), from the
 * folder of its index; the folder itself when it is not below the root.
 */
function memberOf(source: PluginSource, rootFile: string | undefined): string {
  if (source.index === undefined) return source.package ?? "";
  const folder = decodeURIComponent(new URL("./", source.index).pathname)
    .replace(/\/$/, "");
  const root = rootFile?.replace(/[\\/][^\\/]+$/, "").replaceAll("\\", "/");
  const local = folder.replace(/^\/([A-Za-z]:)/, "$1");
  return root !== undefined && local.startsWith(`${root}/`)
    ? `./${local.slice(root.length + 1)}`
    : local;
}

/**
 * The problem of a filter that threw instead of deciding on a plugin. A
 * filter that cannot decide disables the plugin (it fails closed); the
 * reason says which filter and what it threw.
 *
 * @param plugin The plugin the filter was asked about.
 * @param filter The filter: a function or an object with `matches()`.
 * @param where Which filter it is: `globalPluginFilter`, `filters[1]`.
 * @param error What it threw.
 * @returns The reason the plugin is disabled, and the problem to report.
 */
export function filterFailed(
  plugin: PluginInfo,
  filter: unknown,
  where: string,
  error: unknown,
): { reason: string; problem: PluginException } {
  let name: unknown;
  try {
    name = typeof filter === "function"
      ? filter.name
      : (filter as object).constructor?.name;
  } catch {
    name = undefined;
  }
  const label = typeof name === "string" && name !== "" && name !== "Object"
    ? `${where} (${name})`
    : where;
  const reason =
    `the plugin filter ${label} threw "${
      errorText(error)
    }" while deciding whether to disable it, so it is disabled; fix the ` +
    "filter so that it returns true or false without throwing (a filter " +
    "that cannot decide disables the plugin)";
  const { namespace, name: pluginName } = plugin;
  return {
    reason,
    problem: new PluginException(
      `plugin ${namespace}:${pluginName}: ${reason}`,
      { namespace, pluginName, cause: error },
    ),
  };
}

/**
 * What to do when a plugin's own code (its module's top-level code, its
 * factory, `shouldLoad()` or `load()`) outlasts the timeout: the package to
 * fix, update or remove, or the option to raise.
 *
 * @param container The plugin.
 * @param timeoutFrom The option that set the timeout.
 * @returns The fix, one line.
 */
export function pluginHangFix(
  container: PluginContainer<Plugin>,
  timeoutFrom: string | undefined,
): string {
  return `the plugin's code, from ${describeSource(container.info)}, waits ` +
    "for something that does not come: fix, update or remove that package, " +
    `or raise ${timeoutFrom ?? "the timeout"} if it only needs longer`;
}

/**
 * What to do when the application's lifecycle listeners outlast the
 * timeout: the listener is at fault, not the plugin.
 *
 * @param hook The hook: `onResolveAfter`.
 * @param timeoutFrom The option that set the timeout.
 * @returns The fix, one line.
 */
export function listenerHangFix(
  hook: string,
  timeoutFrom: string | undefined,
): string {
  return `an ${hook} listener of the application waits for something that ` +
    "does not come, not the plugin: fix the listener so that it settles, " +
    `or raise ${timeoutFrom ?? "the timeout"} if it only needs longer`;
}

/**
 * The failure of one step of a plugin, as thrown to the caller; a wait that
 * ended early gives its message and its cause.
 *
 * @param container The plugin.
 * @param step What failed: `load`, `initialise`.
 * @param error What the step threw.
 * @returns The exception.
 */
export function stepFailure(
  container: PluginContainer<Plugin>,
  step: string,
  error: unknown,
): PluginException {
  return new PluginException(
    `plugin ${container.namespace}:${container.name} failed to ${step}: ${
      errorText(error)
    }`,
    {
      namespace: container.namespace,
      pluginName: container.name,
      cause: causeOf(error),
    },
  );
}

/**
 * What a plugin's step failed with, as kept on its container and told to
 * listeners: for a wait that ended early, what ended it.
 *
 * @param error What the step threw.
 * @returns The cause.
 */
export function causeOf(error: unknown): unknown {
  return error instanceof WaitEnded ? error.cause : error;
}

/**
 * The failure of a plugin whose code could not be resolved.
 *
 * @param container The plugin.
 * @param why What went wrong, one line.
 * @param cause The original error.
 * @returns The exception.
 */
export function unresolved(
  container: PluginContainer<Plugin>,
  why: string,
  cause: unknown,
): PluginException {
  return new PluginException(
    `plugin ${container.namespace}:${container.name} could not be resolved: ${why}`,
    { namespace: container.namespace, pluginName: container.name, cause },
  );
}

/**
 * The reason a plugin is disabled when a requirement is: plux's
 * `requires <namespace>:<name>, which is disabled: <its reason>`. A long
 * chain keeps its start and its end (the root cause), so reasons stay short
 * however deep the chain.
 *
 * @param namespace The namespace.
 * @param requirement The requirement's name.
 * @param reason Why the requirement is disabled.
 * @returns The dependent's reason.
 */
export function requirementDisabled(
  namespace: string,
  requirement: string,
  reason: string,
): string {
  return bounded(
    `requires ${namespace}:${requirement}, which is disabled: ${reason}`,
  );
}

/**
 * The reason a plugin is disabled when requirements are missing: for a name
 * whose index entry a finder left out as malformed, that problem (the fix is
 * the index); for the others, adding the package that offers them.
 *
 * @param namespace The namespace.
 * @param missing The names no plugin of the namespace has, sorted.
 * @param leftOut Why a finder left out the entries of some names.
 * @returns The reason, naming the fix.
 */
export function requirementsMissing(
  namespace: string,
  missing: readonly string[],
  leftOut: ReadonlyMap<string, string> = new Map(),
): string {
  const parts = missing.filter((name) => leftOut.has(name)).map((name) =>
    `requires ${namespace}:${name}, whose index entry was left out as ` +
    `malformed: ${leftOut.get(name)}`
  );
  const absent = missing.filter((name) => !leftOut.has(name));
  const names = absent.map((name) => `${namespace}:${name}`).join(" and ");
  if (absent.length === 1) {
    parts.push(
      `requires ${names}, which is missing: add the package that offers it ` +
        "to the application, or remove it from requires",
    );
  } else if (absent.length > 1) {
    parts.push(
      `requires ${names}, which are missing: add the packages that offer ` +
        "them to the application, or remove them from requires",
    );
  }
  return bounded(parts.join("; "));
}

/**
 * The failure of a plugin whose requirement failed to load (or to be waited
 * for); the requirement's error is the `cause`, and a retry retries both.
 *
 * @param container The dependent plugin.
 * @param requirement The requirement's name.
 * @param error What loading the requirement threw.
 * @returns The exception.
 */
export function requirementFailed(
  container: PluginContainer<Plugin>,
  requirement: string,
  error: unknown,
): PluginException {
  const { namespace, name } = container;
  // "plugin ns:db failed to load: x" becomes "which failed to load: x".
  const text = errorText(error);
  const own = `plugin ${namespace}:${requirement} `;
  const which = text.startsWith(own)
    ? text.slice(own.length)
    : `failed: ${text}`;
  return new PluginException(
    bounded(
      `plugin ${namespace}:${name} failed to load: it requires ` +
        `${namespace}:${requirement}, which ${which}`,
    ),
    { namespace, pluginName: name, cause: error },
  );
}

/** Above this length, a chained message keeps its start and its root cause. */
const MAX_CHAIN = 600;

/** A message of a chain of requirements, its middle cut when it is long. */
function bounded(text: string): string {
  if (text.length <= MAX_CHAIN) return text;
  return `${text.slice(0, 200)} … ${text.slice(text.length - 390)}`;
}
