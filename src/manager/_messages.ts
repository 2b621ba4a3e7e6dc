/**
 * The manager's own messages: an unknown plugin name, and two plugins of
 * one name. Each is one line that ends with the fix.
 *
 * @module
 */

import { errorText } from "../core/_error_text.ts";
import { describeSource } from "../core/_describe.ts";
import { PluginException } from "../core/errors.ts";
import type { PluginInfo, PluginSource } from "../core/plugin_info.ts";

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
  const discovery = problems.length === 0
    ? ""
    : `. Discovery met ${
      problems.length === 1 ? "a problem" : `${problems.length} problems`
    }, which may be why; ${problems.length === 1 ? "it" : "the first"}: ${
      errorText(problems[0])
    }`;
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

/** How to stop offering the second copy, by how it was reached. */
function removal(source: PluginSource | undefined): string {
  switch (source?.kind) {
    case "workspace":
      return ', or remove the member from "workspace" in the workspace\'s deno.json';
    case "path":
    case "jsr":
    case "npm":
    case "url":
      return `, or remove "${source.key}" from the application's "imports"`;
    case "directory":
      return ", or remove one package from the plugin directories";
    default:
      return "";
  }
}
