import type { PluginInfo, PluginSource } from "./plugin_info.ts";

/**
 * The config file that brought each package into the application, for the
 * sources the import-map finder makes: kept beside the public
 * `PluginSource`, whose fields stay as finders document them.
 */
const declaredIn = new WeakMap<PluginSource, DeclaringFile>();

/** Works out, when a message asks, the config file that brought a package in. */
export interface DeclaringFile {
  /** The file's path, or `undefined` when none is known. */
  declaredIn(): string | undefined;
}

/**
 * Records which config file brought a package in: the workspace root's
 * `deno.json` for a member, the file whose `imports` map it otherwise.
 *
 * @param source The package's source.
 * @param file Gives the config file (a path), worked out only for messages.
 */
export function setDeclaredIn(source: PluginSource, file: DeclaringFile): void {
  declaredIn.set(source, file);
}

/**
 * The config file that brought a package in, when the finder recorded it.
 *
 * @param source The package's source.
 * @returns The file's path, or `undefined`.
 */
export function declaredInOf(source: PluginSource): string | undefined {
  return declaredIn.get(source)?.declaredIn();
}

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
