import { compareStrings } from "../core/_values.ts";
import { requirementDisabled, requirementsMissing } from "./_messages.ts";

/** A plugin as the load order sees it: its name and what it declares. */
export interface OrderedPlugin {
  /** The plugin's name. */
  readonly name: string;
  /** Plugins it requires; absent means none. */
  readonly requires?: readonly string[];
  /** Plugins it comes after when present; absent means none. */
  readonly after?: readonly string[];
}

/** The load order of one namespace's plugins, known before any code is imported. */
export interface LoadOrder {
  /**
   * The plugins that can load, in waves: each plugin's requirements and
   * present `after` plugins are in earlier waves. Each wave is sorted by
   * name.
   */
  readonly waves: readonly (readonly string[])[];
  /**
   * The plugins that cannot load whatever happens at run time, by name (in
   * name order), with the reason: on a cycle, requiring a plugin that is
   * missing, or requiring one of these.
   */
  readonly blocked: ReadonlyMap<string, string>;
  /** One message per group of plugins on cycles, for `onResolveException`. */
  readonly cycles: readonly string[];
  /**
   * Each plugin whose `requires` names plugins that are not there (also one
   * on a cycle), by name, with the reason that names them; in name order.
   */
  readonly missing: ReadonlyMap<string, string>;
}

/**
 * Works out the load order of a namespace's plugins from their `requires`
 * and `after`. A cycle (through either) blocks every plugin on it; a
 * requirement that is missing or blocked blocks the plugin; an `after` name
 * that is missing or blocked is ignored. The first of two plugins with the
 * same name is used.
 *
 * @param namespace The namespace, for messages.
 * @param plugins The plugins, in any order.
 * @param leftOut Why a finder left out the entries of some names (a
 * malformed index entry), for the reasons of the plugins requiring them.
 * @returns The waves, the blocked plugins, the cycles and the missing
 * requirements.
 */
export function planLoadOrder(
  namespace: string,
  plugins: Iterable<OrderedPlugin>,
  leftOut: ReadonlyMap<string, string> = NOTHING,
): LoadOrder {
  const list = [...plugins];
  if (plainSorted(list)) {
    // The common case, a manager's listing: no declarations, names sorted
    // and unique. One wave in name order, without a table of thousands.
    return {
      waves: list.length === 0 ? [] : [list.map((plugin) => plugin.name)],
      blocked: NOTHING,
      cycles: [],
      missing: NOTHING,
    };
  }
  const nodes = new Map<string, OrderedPlugin>();
  let declares = false;
  for (const plugin of list) {
    if (nodes.has(plugin.name)) continue;
    nodes.set(plugin.name, plugin);
    declares ||= (plugin.requires?.length ?? 0) + (plugin.after?.length ?? 0) >
      0;
  }
  if (!declares) {
    // The common case, on the listing path: one wave in name order.
    const names = [...nodes.keys()];
    if (!isSorted(names)) names.sort(compareStrings);
    return {
      waves: names.length === 0 ? [] : [names],
      blocked: NOTHING,
      cycles: [],
      missing: NOTHING,
    };
  }
  const id = (name: string) => `${namespace}:${name}`;
  const edgeLists = new Map<string, string[]>();
  for (const [name, plugin] of nodes) {
    edgeLists.set(name, declared(plugin).filter((to) => nodes.has(to)));
  }
  const edges = (name: string) => edgeLists.get(name)!;

  const blocked = new Map<string, string>();
  const cycles: string[] = [];
  for (const group of cyclicGroups([...nodes.keys()], edges)) {
    const members = new Set(group);
    const reason = (cycle: readonly string[]) =>
      `on a load-order cycle: ${describeCycle(cycle, nodes, id)}; remove ` +
      "one of these requires/after declarations";
    const first = shortestCycle(group[0]!, edges, members);
    const onFirst = new Set(first);
    const firstReason = reason(first);
    // Each plugin is told the shortest cycle through it; in a large tangle
    // (finding each would take long) every plugin is told the first one.
    const large = group.length > MAX_CYCLE_SEARCH;
    for (const name of group) {
      blocked.set(
        name,
        large && !onFirst.has(name)
          ? `caught in a tangle of ${group.length} plugins whose ` +
            `requires/after form cycles, among them ${firstReason}`
          : large
          ? firstReason
          : reason(shortestCycle(name, edges, members)),
      );
    }
    const others = group.filter((name) => !onFirst.has(name));
    cycles.push(
      `${group.length === 1 ? "plugin" : "plugins"} ${listed(group.map(id))} ${
        group.length === 1 ? "is" : "are"
      } disabled, ${reason(first)}` +
        (others.length === 0
          ? ""
          : ` (${listed(others.map(id))} on other cycles with it)`),
    );
  }

  const missing = new Map<string, string>();
  for (const [name, plugin] of nodes) {
    const absent = (plugin.requires ?? []).filter((to) => !nodes.has(to));
    if (absent.length === 0) continue;
    missing.set(
      name,
      requirementsMissing(namespace, absent.sort(compareStrings), leftOut),
    );
  }

  // Requirements come before their dependents in this order, so each
  // requirement's reason is known when its dependents are looked at.
  const blockedBefore = blocked.size;
  const acyclicWaves = levels(
    [...nodes.keys()].filter((name) => !blocked.has(name)),
    (name) => edges(name).filter((to) => !blocked.has(to)),
  );
  const acyclic = acyclicWaves.flat();
  for (const name of acyclic) {
    const requires = nodes.get(name)!.requires ?? [];
    if (requires.length === 0) continue;
    const sorted = isSorted(requires)
      ? requires
      : [...requires].sort(compareStrings);
    const absent = missing.get(name);
    if (absent !== undefined) {
      blocked.set(name, absent);
      continue;
    }
    const off = sorted.find((to) => blocked.has(to));
    if (off !== undefined) {
      blocked.set(name, requirementDisabled(namespace, off, blocked.get(off)!));
    }
  }
  // Without blocked plugins outside cycles, the levels are the waves.
  const waves = blocked.size === blockedBefore ? acyclicWaves : levels(
    acyclic.filter((name) => !blocked.has(name)),
    (name) => edges(name).filter((to) => !blocked.has(to)),
  );
  const sortedBlocked = new Map(
    [...blocked].sort(([a], [b]) => compareStrings(a, b)),
  );
  const sortedMissing = new Map(
    [...missing].sort(([a], [b]) => compareStrings(a, b)),
  );
  return { waves, blocked: sortedBlocked, cycles, missing: sortedMissing };
}

/** An empty map, shared. */
const NOTHING: ReadonlyMap<string, string> = new Map();

/**
 * Why a plugin cannot load, for listings: its reason, and the requirements
 * it misses when that reason does not name them (a plugin on a cycle).
 *
 * @param order The load order.
 * @param name The plugin's name.
 * @returns The text, or `undefined` when the plugin can load.
 */
export function blockedText(
  order: LoadOrder,
  name: string,
): string | undefined {
  const reason = order.blocked.get(name);
  const missing = order.missing.get(name);
  return reason === undefined || missing === undefined || reason === missing
    ? reason
    : `${reason}; also ${missing}`;
}

/** Up to this many plugins caught in cycles, each is told its own cycle. */
const MAX_CYCLE_SEARCH = 64;
/** Names shown of a long list or cycle: the first ones and the last ones. */
const SHOWN = 8;

/** `a, b, c`, or for long lists the first and last few with a count between. */
function listed(names: readonly string[], separator = ", "): string {
  if (names.length <= SHOWN + 2) return names.join(separator);
  const head = names.slice(0, SHOWN - 2);
  const tail = names.slice(names.length - 2);
  return [...head, `… ${names.length - SHOWN} more …`, ...tail]
    .join(separator);
}

/** Whether no plugin declares anything and the names strictly increase. */
function plainSorted(plugins: readonly OrderedPlugin[]): boolean {
  for (let i = 0; i < plugins.length; i++) {
    const plugin = plugins[i]!;
    if (
      (plugin.requires?.length ?? 0) + (plugin.after?.length ?? 0) > 0 ||
      (i > 0 && compareStrings(plugins[i - 1]!.name, plugin.name) >= 0)
    ) {
      return false;
    }
  }
  return true;
}

function isSorted(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) {
    if (compareStrings(names[i - 1]!, names[i]!) > 0) return false;
  }
  return true;
}

function declared(plugin: OrderedPlugin): string[] {
  return [...new Set([...(plugin.requires ?? []), ...(plugin.after ?? [])])];
}

/**
 * Kahn's algorithm by levels: level 0 has no edges, level k only edges into
 * earlier levels. `names` must form an acyclic graph under `edges`.
 */
function levels(
  names: readonly string[],
  edges: (name: string) => string[],
): string[][] {
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const name of names) {
    const to = edges(name);
    waiting.set(name, to.length);
    for (const target of to) {
      const list = dependents.get(target);
      if (list === undefined) dependents.set(target, [name]);
      else list.push(name);
    }
  }
  const result: string[][] = [];
  let wave = names.filter((name) => waiting.get(name) === 0);
  while (wave.length > 0) {
    wave.sort(compareStrings);
    result.push(wave);
    const next: string[] = [];
    for (const name of wave) {
      for (const dependent of dependents.get(name) ?? []) {
        const left = waiting.get(dependent)! - 1;
        waiting.set(dependent, left);
        if (left === 0) next.push(dependent);
      }
    }
    wave = next;
  }
  return result;
}

/**
 * The strongly connected components that hold a cycle (more than one plugin,
 * or one that names itself), each sorted, in order of their first name.
 * Tarjan's algorithm without recursion, so long chains do not overflow.
 */
function cyclicGroups(
  names: readonly string[],
  edges: (name: string) => string[],
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  for (const start of names) {
    if (index.has(start)) continue;
    const work: { name: string; next: string[]; i: number }[] = [];
    const visit = (name: string) => {
      index.set(name, counter);
      low.set(name, counter++);
      stack.push(name);
      onStack.add(name);
      work.push({ name, next: edges(name), i: 0 });
    };
    visit(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.next.length) {
        const to = frame.next[frame.i++]!;
        if (!index.has(to)) visit(to);
        else if (onStack.has(to)) {
          low.set(frame.name, Math.min(low.get(frame.name)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) {
        low.set(
          parent.name,
          Math.min(low.get(parent.name)!, low.get(frame.name)!),
        );
      }
      if (low.get(frame.name) !== index.get(frame.name)) continue;
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== frame.name);
      if (group.length > 1 || frame.next.includes(frame.name)) {
        groups.push(group.sort(compareStrings));
      }
    }
  }
  return groups.sort((a, b) => compareStrings(a[0]!, b[0]!));
}

/**
 * The shortest cycle through `start` inside its group, breadth first, as the
 * names in order, starting at the smallest so that every member tells it
 * alike.
 */
function shortestCycle(
  start: string,
  edges: (name: string) => string[],
  group: ReadonlySet<string>,
): string[] {
  const from = new Map<string, string>();
  let frontier = [start];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const name of frontier) {
      for (const to of [...edges(name)].sort(compareStrings)) {
        if (to === start) {
          const cycle = [name];
          while (cycle[cycle.length - 1] !== start) {
            cycle.push(from.get(cycle[cycle.length - 1]!)!);
          }
          return fromSmallest(cycle.reverse());
        }
        if (!group.has(to) || from.has(to)) continue;
        from.set(to, name);
        next.push(to);
      }
    }
    frontier = next;
  }
  return [start]; // unreachable: every member of a group is on a cycle
}

function fromSmallest(cycle: readonly string[]): string[] {
  let smallest = 0;
  cycle.forEach((name, i) => {
    if (compareStrings(name, cycle[smallest]!) < 0) smallest = i;
  });
  return [...cycle.slice(smallest), ...cycle.slice(0, smallest)];
}

/** `ns:a → ns:b → ns:a (a requires b; b after a)`. */
function describeCycle(
  cycle: readonly string[],
  nodes: ReadonlyMap<string, OrderedPlugin>,
  id: (name: string) => string,
): string {
  const steps = cycle.map((name, i) => {
    const to = cycle[(i + 1) % cycle.length]!;
    const how = nodes.get(name)!.requires?.includes(to) ? "requires" : "after";
    return `${name} ${how} ${to}`;
  });
  return `${listed([...cycle, cycle[0]!].map(id), " → ")} (${
    listed(steps, "; ")
  })`;
}
