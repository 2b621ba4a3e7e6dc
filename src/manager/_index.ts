import {
  isIncomplete,
  type PluginEntry,
  type PluginFinder,
} from "../core/finder.ts";
import type { CompositePluginLifecycleListener } from "../core/listener.ts";
import type { Plugin } from "../core/plugin.ts";
import type { PluginInfo } from "../core/plugin_info.ts";
import { PluginException } from "../core/errors.ts";
import { dependenciesOf, PluginSpec } from "../core/plugin_spec.ts";
import { PluginContainer } from "./container.ts";
import type { PluginLifecycle } from "./_lifecycle.ts";
import { conflict } from "./_messages.ts";
import { type LoadOrder, planLoadOrder } from "./load_order.ts";

/** The plugins of one namespace by name, in name order. */
export type Index<P extends Plugin> = Map<string, PluginContainer<P>>;

/** What listing found: the index, the load order and the finder's problems. */
export interface Listing<P extends Plugin> {
  /** The plugins by name, in name order. */
  index: Index<P>;
  /** The load waves and the plugins that can never load, from the declarations. */
  order: LoadOrder;
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
  listener: CompositePluginLifecycleListener;
  /** Told the listing, to load requirements first. */
  lifecycle: PluginLifecycle<P>;
  /** Why the filters disable a plugin, if they do. */
  filterReason: (info: PluginInfo) => string | undefined;
  /**
   * The index of an incomplete listing made before: its containers are kept
   * (with their state) for the plugins listed again.
   */
  previous?: Index<P>;
}

/**
 * Lists a namespace's plugins from a finder into one container each, in name
 * order, without importing plugin code, and works out their load order from
 * their `requires` and `after`: a plugin on a cycle, or requiring a missing
 * plugin (or one of those), is disabled with the reason. Entries that are not
 * plugins, second entries of one name, each cycle and each missing
 * requirement are reported to `onResolveException`, once the list is
 * complete; problems the finder meets later, right away.
 *
 * @param sources The finder, the listeners, the lifecycle and the filters.
 * @returns The index and the problems the finder reported while listing.
 * @throws What the finder throws.
 */
export async function buildIndex<P extends Plugin>(
  sources: IndexSources<P>,
): Promise<Listing<P>> {
  const { namespace, finder, listener, lifecycle, filterReason, previous } =
    sources;
  const problems: Error[] = [];
  const reported: Error[] = [];
  let listed = false;
  // Problems met while listing are reported once the list is complete;
  // those a finder meets later (a fallback while resolving) right away.
  const report = (error: Error) => {
    if (!listed) {
      problems.push(error);
      reported.push(error);
    } else {
      listener.onResolveException(namespace, undefined, error)
        .catch(() => {});
    }
  };
  const found = await finder.findPlugins({
    namespace: namespace,
    report,
  });
  const index: Index<P> = new Map();
  for (const item of found) {
    const entry = toEntry(item);
    if (entry === undefined) {
      problems.push(
        new TypeError(
          `a plugin finder of ${namespace} returned ${typeof item}, ` +
            "which is neither a PluginSpec nor a plugin entry (namespace, name, resolve())",
        ),
      );
      continue;
    }
    if (entry.info.namespace !== namespace) continue;
    const existing = index.get(entry.info.name);
    if (existing !== undefined) {
      problems.push(conflict(existing.info, entry.info));
      continue;
    }
    const kept = previous?.get(entry.info.name);
    if (kept !== undefined) {
      index.set(entry.info.name, kept);
      continue;
    }
    const container = new PluginContainer<P>(
      entry.info,
      entry.spec as PluginSpec<P> | undefined,
    );
    // A lazy entry is the container's info: the lifecycle resolves it there.
    container.disabledReason = filterReason(entry.info);
    index.set(entry.info.name, container);
  }
  listed = true;
  // Names sorted, then looked up. The default order of `sort()` is
  // `compareStrings`' (UTF-16 code units), without calling back into code
  // that is not optimised yet for each of the thousands of comparisons.
  const sorted: Index<P> = new Map();
  for (const name of [...index.keys()].sort()) {
    sorted.set(name, index.get(name)!);
  }
  const order = planLoadOrder(namespace, sorted.values());
  for (const cycle of order.cycles) {
    problems.push(new PluginException(cycle, { namespace }));
  }
  const missing: PluginContainer<P>[] = [];
  for (const [name, reason] of order.blocked) {
    const container = sorted.get(name)!;
    container.disabledReason ??= reason;
    if (container.requires.some((to) => !sorted.has(to))) {
      missing.push(container);
    }
  }
  lifecycle.know(sorted);
  for (const problem of problems) {
    await listener.onResolveException(
      namespace,
      undefined,
      problem,
    );
  }
  for (const container of missing) {
    await listener.onResolveException(
      namespace,
      container.info,
      new PluginException(
        `plugin ${namespace}:${container.name} cannot load: ` +
          order.blocked.get(container.name),
        { namespace, pluginName: container.name },
      ),
    );
  }
  return {
    index: sorted,
    order,
    problems: reported,
    incomplete: reported.some(isIncomplete),
  };
}

function toEntry(
  item: unknown,
): { info: PluginInfo; spec?: PluginSpec } | undefined {
  if (item instanceof PluginSpec) {
    const info = {
      namespace: item.namespace,
      name: item.name,
      ...dependenciesOf(item),
    };
    return { info, spec: item };
  }
  const entry = item as Partial<PluginEntry> | null;
  if (
    typeof entry === "object" && entry !== null &&
    typeof entry.namespace === "string" &&
    typeof entry.name === "string" && typeof entry.resolve === "function"
  ) {
    return { info: entry as PluginEntry };
  }
  return undefined;
}
