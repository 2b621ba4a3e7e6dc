import type { PluginInfo } from "./plugin_info.ts";

/**
 * Describes where a plugin comes from, for messages: the package, its
 * version and how it was reached, else its value.
 *
 * @param info The plugin.
 * @returns For example `@acme/tools@1.2.0 (jsr, key "@acme/tools")`.
 */
export function describeSource(info: PluginInfo): string {
  const source = info.source;
  if (source === undefined) return info.value ?? "code given to the finder";
  const name = source.package ?? source.index ?? "a package";
  const version = source.version === undefined ? "" : `@${source.version}`;
  const key = source.key === undefined ? "" : `, key "${source.key}"`;
  return `${name}${version} (${source.kind}${key})`;
}

/**
 * Describes what a plugin requires and comes after, for listings.
 *
 * @param declared The plugin's `requires` and `after`; absent means none.
 * @returns For example `requires db, cache; after metrics`, or `""`.
 */
export function describeDependencies(
  declared: {
    readonly requires?: readonly string[];
    readonly after?: readonly string[];
  },
): string {
  const parts: string[] = [];
  if (declared.requires?.length) {
    parts.push(`requires ${declared.requires.join(", ")}`);
  }
  if (declared.after?.length) parts.push(`after ${declared.after.join(", ")}`);
  return parts.join("; ");
}
