import type { Plugin } from "../core/plugin.ts";
import type { PluginInfo, PluginSource } from "../core/plugin_info.ts";
import {
  dependenciesOf,
  type PluginDependencies,
  type PluginSpec,
} from "../core/plugin_spec.ts";

/** Sets a container's declarations; assigned by the class. */
let setDependencies: (
  container: PluginContainer<Plugin>,
  declared: PluginDependencies,
) => void;

/**
 * What a {@linkcode PluginManager} knows of one plugin: where it came from,
 * its spec once resolved, the instance once initialised, and the outcome of
 * each lifecycle step. The manager updates it; applications read it.
 *
 * @example
 * ```ts
 * import { PluginManager, PluginSpec, Plugin } from "@plux/core";
 *
 * class Noop extends Plugin {}
 * const manager = new PluginManager("demo", {
 *   finder: { findPlugins: () => [new PluginSpec("demo", "noop", () => new Noop())] },
 * });
 * await manager.load("noop");
 * const container = await manager.getContainer("noop");
 * console.log(container?.isLoaded); // true
 * ```
 *
 * @typeParam P The plugin type.
 */
export class PluginContainer<P extends Plugin = Plugin> {
  /** The plugin's namespace. */
  readonly namespace: string;
  /** The plugin's name. */
  readonly name: string;
  /** What was known before the code was imported: value, source, metadata. */
  readonly info: PluginInfo;
  #dependencies: PluginDependencies;
  /** The spec, once resolved. */
  spec: PluginSpec<P> | undefined;
  /** The plugin instance, once its factory ran. */
  plugin: P | undefined;
  /** Whether the factory ran successfully. */
  isInit = false;
  /** Whether `load()` ran successfully. */
  isLoaded = false;
  /** What the plugin's `load()` returned. */
  loadValue: unknown;
  /** Why the plugin is disabled, if it is. */
  disabledReason: string | undefined;
  /** Why resolving the plugin's code failed, if it did. */
  resolveError: unknown;
  /** Why the factory failed the last time it ran, if it did. */
  initError: unknown;
  /**
   * Why the plugin failed to load the last time it was tried, if it did:
   * what its `shouldLoad()`, its `load()` or a load listener threw (or the
   * error of the timeout it outlasted); or, when a plugin it requires failed
   * to load, the `PluginException` naming that requirement, whose `cause` is
   * the requirement's error (its own `load()` did not run). `undefined` once
   * it loads.
   */
  loadError: unknown;

  /**
   * Creates the container of one plugin.
   *
   * @param info The plugin's namespace, name, and what a finder knows of it.
   * @param spec The spec, when the code is already at hand.
   */
  constructor(info: PluginInfo, spec?: PluginSpec<P>) {
    this.namespace = info.namespace;
    this.name = info.name;
    this.info = info;
    this.spec = spec;
    this.#dependencies = frozen(dependenciesOf(info));
  }

  static {
    // Only the manager changes them, through useDependencies().
    setDependencies = (container, declared) => {
      container.#dependencies = frozen(declared);
    };
  }

  /**
   * The plugins it requires (sorted); they load first. What its finder
   * listed, until the manager learns otherwise from the finder or the code:
   * a plugin directory that falls back to an older version of a package
   * lists that version's declarations from then on.
   */
  get requires(): readonly string[] {
    return this.#dependencies.requires;
  }

  /** The plugins it comes after when they are present (sorted); see `requires`. */
  get after(): readonly string[] {
    return this.#dependencies.after;
  }

  /** Whether the plugin is disabled. */
  get isDisabled(): boolean {
    return this.disabledReason !== undefined;
  }

  /** The package the plugin came from, when its finder knows it. */
  get source(): PluginSource | undefined {
    return this.info.source;
  }

  /** The index metadata of the plugin, for example its description. */
  get metadata(): Readonly<Record<string, unknown>> | undefined {
    return this.info.metadata;
  }
}

/**
 * Makes the manager use other `requires` and `after` for a plugin: those of
 * the code or index entry in use.
 *
 * @param container The plugin.
 * @param declared What it declares now.
 */
export function useDependencies(
  container: PluginContainer<Plugin>,
  declared: PluginDependencies,
): void {
  setDependencies(container, declared);
}

function frozen(declared: PluginDependencies): PluginDependencies {
  return Object.isFrozen(declared.requires) && Object.isFrozen(declared.after)
    ? declared
    : {
      requires: Object.freeze([...declared.requires]),
      after: Object.freeze([...declared.after]),
    };
}
