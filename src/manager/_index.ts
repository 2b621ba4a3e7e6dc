import {
  isIncomplete,
  type PluginEntry,
  type PluginFinder,
} from "../core/finder.ts";
import type { Plugin } from "../core/plugin.ts";
import type { PluginInfo } from "../core/plugin_info.ts";
import { leftOutOf, PluginException } from "../core/errors.ts";
import {
  dependenciesOf,
  dependencyDifference,
  PluginSpec,
} from "../core/plugin_spec.ts";
import { PluginContainer, useDependencies } from "./container.ts";
import { conflict } from "./_messages.ts";
import type { ReportingListener } from "./_problem_report.ts";
import { type LoadOrder, planLoadOrder } from "./load_order.ts";

/** The plugins of one namespace by name, in name order. */
export type Index<P extends Plugin> = Map<string, PluginContainer<P>>;

/** What listing found: the plan and the finder's problems. */
export interface Listing<P extends Plugin> {
  /** The plugins and their load order. */
  plan: LoadPlan<P>;
  /** What the finder reported while listing (for unknown names). */
  problems: readonly Error[];
  /**
   * Whether the finder said the listing is incomplete (a wait ran out): it
   * is then made again on the next call.
   */
  incomplete: boolean;
}

/** What {@linkcode buildIndex} lists from and reports to. */
export interface IndexSources<P extends Plugin> {
  /** The manager's namespace. */
  namespace: string;
  /** Where the plugins are found. */
  finder: PluginFinder;
  /** Told of the problems met. */
  listener: ReportingListener;
  /** Why the filters disable a plugin, if they do. */
  filterReason: (info: PluginInfo) => string | undefined;
  /** Told the plan before its problems are reported. */
  known: (plan: LoadPlan<P>) => void;
  /**
   * The plan of an incomplete listing made before: its containers are kept
   * (with their state) for the plugins listed again, without the reasons
   * its order gave them.
   */
  previous?: LoadPlan<P>;
}

/**
 * The plugins of a namespace and their load order, worked out from their
 * `requires` and `after`: a plugin on a cycle, or requiring a missing plugin
 * (or one of those), is disabled with the reason. Each cycle and each
 * plugin with missing requirements is reported to `onResolveException`
 * once. When what the plugins declare changes (a plugin directory falls
 * back to an older version of a package, whose index and code say
 * otherwise), the order is worked out again from the declarations in use.
 *
 * @typeParam P The type of the namespace's plugins.
 */
export class LoadPlan<P extends Plugin> {
  /** The plugins by name, in name order. */
  readonly index: Index<P>;
  readonly #namespace: string;
  readonly #listener: ReportingListener;
  /** Why a finder left out the entries of some names, by name. */
  readonly #leftOut: ReadonlyMap<string, string>;
  /** The messages already reported, so that each is reported once. */
  readonly #reported = new Set<string>();
  /** The reasons the order gave plugins, to take back when it changes. */
  readonly #blocked = new Map<PluginContainer<P>, string>();
  #order: LoadOrder;
  #generation = 0;
  /** Whether the finder reported a problem since the order was worked out. */
  #stale = false;

  /**
   * @param namespace The namespace.
   * @param index The plugins by name, in name order.
   * @param listener Told of cycles and missing requirements.
   * @param leftOut Why a finder left out the entries of some names.
   */
  constructor(
    namespace: string,
    index: Index<P>,
    listener: ReportingListener,
    leftOut: ReadonlyMap<string, string>,
  ) {
    this.#namespace = namespace;
    this.index = index;
    this.#listener = listener;
    this.#leftOut = leftOut;
    this.#order = planLoadOrder(namespace, index.values(), leftOut);
  }

  /** The load waves and the plugins that can never load, as now known. */
  get order(): LoadOrder {
    return this.#order;
  }

  /** Advances each time the order is worked out again. */
  get generation(): number {
    return this.#generation;
  }

  /** Notes that the finder met a problem, which may change what it offers. */
  noteProblem(): void {
    this.#stale = true;
  }

  /**
   * Disables the plugins the order blocks (unless something else disabled
   * them first) and reports the problems given, then the cycles and missing
   * requirements not yet reported. What a listener throws disables one
   * plugin at most, never the listing.
   *
   * @param problems Reported before the order's own problems.
   */
  async apply(problems: readonly Error[] = []): Promise<void> {
    const namespace = this.#namespace;
    for (const problem of problems) {
      await this.#listener.onListingProblem(
        namespace,
        undefined,
        problem,
        this.index,
      );
    }
    const reports: [PluginInfo | undefined, Error][] = [];
    for (const cycle of this.#order.cycles) {
      reports.push([undefined, new PluginException(cycle, { namespace })]);
    }
    for (const [name, reason] of this.#order.blocked) {
      const container = this.index.get(name)!;
      if (container.disabledReason === undefined && !container.isLoaded) {
        container.disabledReason = reason;
        this.#blocked.set(container, reason);
      }
    }
    for (const [name, reason] of this.#order.missing) {
      const pluginName = name;
      reports.push([
        this.index.get(name)!.info,
        new PluginException(
          `plugin ${namespace}:${name} cannot load: ${reason}`,
          { namespace, pluginName },
        ),
      ]);
    }
    for (const [info, error] of reports) {
      if (this.#reported.has(error.message)) continue;
      this.#reported.add(error.message);
      await this.#listener.onListingProblem(namespace, info, error, this.index);
    }
  }

  /**
   * Takes back the reasons this plan's order gave plugins (a cycle, a
   * missing requirement), for a plan that replaces it.
   */
  release(): void {
    for (const [plugin, reason] of this.#blocked) {
      if (plugin.disabledReason === reason) plugin.disabledReason = undefined;
    }
    this.#blocked.clear();
  }

  /**
   * Called when a plugin's code is resolved: when it declares other
   * `requires` or `after` than the manager used, or the finder reported a
   * problem since (a plugin directory that fell back to an older version),
   * takes up what every plugin declares now (the code once resolved, else
   * its finder's entry) and works the order out again.
   *
   * @param spec The resolved spec.
   * @param container Its plugin.
   */
  async resolved(spec: PluginSpec<P>, container: PluginContainer<P>) {
    if (
      !this.#stale &&
      dependencyDifference(dependenciesOf(spec), container) === undefined
    ) {
      return;
    }
    this.#stale = false;
    let changed = false;
    for (const plugin of this.index.values()) {
      const now = dependenciesOf(plugin.spec ?? plugin.info);
      if (dependencyDifference(now, plugin) === undefined) continue;
      useDependencies(plugin, now);
      changed = true;
    }
    if (!changed) return;
    this.release();
    this.#order = planLoadOrder(
      this.#namespace,
      this.index.values(),
      this.#leftOut,
    );
    this.#generation++;
    await this.apply();
  }
}

/**
 * Lists a namespace's plugins from a finder into one container each, in name
 * order, without importing plugin code, and plans their load order (see
 * {@linkcode LoadPlan}). Entries that are not plugins, second entries of one
 * name, each cycle and each missing requirement are reported to
 * `onResolveException`, once the list is complete; problems the finder meets
 * later, right away.
 *
 * @param sources The finder, the listeners and the filters.
 * @returns The plan and the problems the finder reported while listing.
 * @throws What the finder throws.
 */
export async function buildIndex<P extends Plugin>(
  sources: IndexSources<P>,
): Promise<Listing<P>> {
  const { namespace, finder, listener, filterReason, known, previous } =
    sources;
  const problems: Error[] = [];
  const reported: Error[] = [];
  // Set once the list is complete.
  let plan: LoadPlan<P> | undefined = undefined;
  // Problems met while listing are reported once the list is complete;
  // those a finder meets later (a fallback while resolving) right away.
  const report = (error: Error) => {
    if (plan === undefined) {
      problems.push(error);
      reported.push(error);
    } else {
      plan.noteProblem();
      listener.onResolveException(namespace, undefined, error)
        .catch(() => {});
    }
  };
  const found = await finder.findPlugins({
    namespace: namespace,
    report,
  });
  const index: Index<P> = new Map();
  // Indexed loops here and below: `for...of` makes an object per step
  // until the code is optimised, and a process lists once, cold.
  const items = Array.isArray(found) ? found : [...found];
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    // A lazy entry is the container's info: the lifecycle resolves it there.
    const spec = item instanceof PluginSpec ? item : undefined;
    const info = spec === undefined ? entryInfo(item) : specInfo(spec);
    if (info === undefined) {
      problems.push(
        new TypeError(
          `a plugin finder of ${namespace} returned ${typeof item}, ` +
            "which is neither a PluginSpec nor a plugin entry (namespace, name, resolve())",
        ),
      );
      continue;
    }
    if (info.namespace !== namespace) continue;
    const existing = index.get(info.name);
    if (existing !== undefined) {
      problems.push(conflict(existing.info, info));
      continue;
    }
    const kept = previous?.index.get(info.name);
    if (kept !== undefined) {
      index.set(info.name, kept);
      continue;
    }
    const container = new PluginContainer<P>(
      info,
      spec as PluginSpec<P> | undefined,
    );
    container.disabledReason = filterReason(info);
    index.set(info.name, container);
  }
  // Names sorted, then looked up. The default order of `sort()` is
  // `compareStrings`' (UTF-16 code units), without calling back into code
  // that is not optimised yet for each of the thousands of comparisons.
  const sorted: Index<P> = new Map();
  const names = [...index.keys()].sort();
  for (let i = 0; i < names.length; i++) {
    sorted.set(names[i]!, index.get(names[i]!)!);
  }
  // The order is worked out again, from this listing.
  previous?.release();
  plan = new LoadPlan(
    namespace,
    sorted,
    listener,
    leftOutOf(namespace, problems),
  );
  known(plan);
  await plan.apply(problems);
  return { plan, problems: reported, incomplete: reported.some(isIncomplete) };
}

/** What the manager knows of a spec before its plugin is loaded. */
function specInfo(spec: PluginSpec): PluginInfo {
  return {
    namespace: spec.namespace,
    name: spec.name,
    ...dependenciesOf(spec),
  };
}

/** The item as a plugin entry, or `undefined` when it is not one. */
function entryInfo(item: unknown): PluginEntry | undefined {
  const entry = item as Partial<PluginEntry> | null;
  return typeof entry === "object" && entry !== null &&
      typeof entry.namespace === "string" &&
      typeof entry.name === "string" && typeof entry.resolve === "function"
    ? entry as PluginEntry
    : undefined;
}
