/**
 * Where a discovered plugin comes from: the counterpart of Python plux's
 * distribution.
 */
export interface PluginSource {
  /** How the package was reached, for example `"workspace"`, `"jsr"` or `"directory"`. */
  readonly kind: string;
  /** The package's name, when it has one. */
  readonly package?: string;
  /** The package's version, when known. */
  readonly version?: string;
  /** The import-map key the package was found under. */
  readonly key?: string;
  /** The URL of the index (`plux.json`) that lists the plugin. */
  readonly index?: string;
}

/**
 * What is known of a plugin before its code is imported. Filters see this;
 * containers keep it.
 */
export interface PluginInfo {
  /** The plugin's namespace. */
  readonly namespace: string;
  /** The plugin's name in its namespace. */
  readonly name: string;
  /** Where the code is, as `<module>#<export>`, when known; filters may match it. */
  readonly value?: string;
  /** The package the plugin comes from, when a finder knows it. */
  readonly source?: PluginSource;
  /** Optional metadata from the index, for example `{ description }`. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /**
   * The plugins of the same namespace this one requires, as its index (or
   * spec) declares them; absent means none. A finder that lists a plugin
   * before importing its code must give these, so that a manager knows the
   * load order without importing anything.
   */
  readonly requires?: readonly string[];
  /** The plugins this one comes after when present; absent means none. */
  readonly after?: readonly string[];
}
