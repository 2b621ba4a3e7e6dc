/**
 * What a plugin's requirements and `after` plugins mean for loading it:
 * whether it can load at all, as far as they go now; what must load before
 * it; and, once they have, the context its `load()` gets.
 *
 * @module
 */

import { PluginDisabled } from "../core/errors.ts";
import type { Plugin, PluginLoadContext } from "../core/plugin.ts";
import type { PluginContainer } from "./container.ts";
import {
  requirementDisabled,
  requirementFailed,
  requirementsMissing,
} from "./_messages.ts";
import { planLoadOrder } from "./load_order.ts";
import type { LoadPlan } from "./_index.ts";

/** The plugins of a namespace by name. */
type Plugins<P extends Plugin> = ReadonlyMap<string, PluginContainer<P>>;

/**
 * Disables, before anything is imported, each of `roots` (and each plugin
 * they require, and so on) that requires a plugin that is missing or
 * disabled now, with the reason its load would give
 * (`requires <ns>:<name>, which is disabled: <its reason>`; the first such
 * requirement by name). Looked at without recursion, requirements first.
 *
 * @param roots The plugins a call is about to load.
 * @param index The namespace's plugins by name.
 * @param enabledNow Applies the filters as they stand now; whether the
 * plugin is still enabled.
 */
export function disableBlocked<P extends Plugin>(
  roots: Iterable<PluginContainer<P>>,
  index: Plugins<P>,
  enabledNow: (container: PluginContainer<P>) => boolean,
): void {
  const seen = new Set<PluginContainer<P>>();
  for (const root of roots) {
    if (seen.has(root) || !enabledNow(root)) continue;
    seen.add(root);
    const stack = [{ container: root, next: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const { requires } = frame.container;
      if (frame.next < requires.length) {
        const other = index.get(requires[frame.next++]!);
        if (other !== undefined && !seen.has(other) && enabledNow(other)) {
          seen.add(other);
          stack.push({ container: other, next: 0 });
        }
        continue;
      }
      stack.pop();
      const reason = blockedReason(frame.container, index);
      if (reason !== undefined) frame.container.disabledReason = reason;
    }
  }
}

/**
 * Why a plugin cannot load because of a requirement, as things stand: one
 * that is missing or disabled (the first by name).
 *
 * @param container The plugin.
 * @param index The namespace's plugins by name.
 * @returns The reason, or `undefined` when its requirements may load.
 */
export function blockedReason<P extends Plugin>(
  container: PluginContainer<P>,
  index: Plugins<P>,
): string | undefined {
  const { namespace } = container;
  for (const name of container.requires) {
    const other = index.get(name);
    if (other === undefined) return requirementsMissing(namespace, [name]);
    if (other.disabledReason !== undefined) {
      return requirementDisabled(namespace, name, other.disabledReason);
    }
  }
  return undefined;
}

/**
 * What `load(name)` loads, in waves: the plugin's requirements and its
 * present, enabled `after` plugins, theirs, and so on, each after what it
 * waits for; the plugin itself is not included. Plugins an `after` leads to
 * are checked with {@linkcode disableBlocked} first and left out when they
 * cannot load.
 *
 * @param target The plugin; {@linkcode disableBlocked} has looked at it.
 * @param index The namespace's plugins by name.
 * @param enabledNow As for {@linkcode disableBlocked}.
 * @returns The waves of what loads first.
 */
export function loadsFirst<P extends Plugin>(
  target: PluginContainer<P>,
  index: Plugins<P>,
  enabledNow: (container: PluginContainer<P>) => boolean,
): PluginContainer<P>[][] {
  const needed = new Set([target]);
  for (const container of needed) {
    for (const name of container.requires) {
      const other = index.get(name);
      if (other !== undefined && !other.isDisabled) needed.add(other);
    }
    for (const name of container.after) {
      const other = index.get(name);
      if (other === undefined || needed.has(other)) continue;
      disableBlocked([other], index, enabledNow);
      if (!other.isDisabled) needed.add(other);
    }
  }
  needed.delete(target);
  if (needed.size === 0) return [];
  return planLoadOrder(target.namespace, needed).waves.map((wave) =>
    wave.map((name) => index.get(name)!)
  );
}

/** What waiting for one requirement or `after` plugin came to. */
type Settled = { loaded: true } | { loaded: false; error: unknown };

/**
 * Loads a plugin's requirements and present `after` plugins (each through
 * `load`, so with its own attempt, shared with every other caller; usually
 * already settled, as calls load in waves), all at once, and waits for
 * them. A requirement that is disabled disables the plugin
 * (`requires <ns>:<name>, which is disabled: <its reason>`); one that fails
 * fails it: the `PluginException` thrown names the requirement, and its
 * `cause` is the requirement's error. An `after` plugin's outcome does not
 * matter. When several requirements are off, the first by name is named.
 *
 * @param container The plugin.
 * @param index The namespace's plugins by name.
 * @param load Loads another plugin for this call.
 * @returns The context for the plugin's `load()`: what each requirement's
 * `load()` returned; `undefined` for a plugin that requires nothing.
 * @throws {PluginDisabled} When a requirement is disabled or missing.
 * @throws {PluginException} When a requirement fails.
 */
export async function loadFirst<P extends Plugin>(
  container: PluginContainer<P>,
  index: Plugins<P>,
  load: (other: PluginContainer<P>) => Promise<P>,
): Promise<PluginLoadContext | undefined> {
  const { namespace, name, requires, after } = container;
  if (requires.length === 0 && after.length === 0) return undefined;
  const settle = (other: string): Promise<Settled> | undefined => {
    const found = index.get(other);
    return found && load(found).then(
      () => ({ loaded: true }),
      (error) => ({ loaded: false, error }),
    );
  };
  const needed = requires.map(settle);
  await Promise.all([...needed, ...after.map(settle)]);
  const requirements: Record<string, unknown> = Object.create(null);
  for (const [i, requirement] of requires.entries()) {
    const outcome = await needed[i];
    if (outcome === undefined) {
      throw new PluginDisabled(
        namespace,
        name,
        requirementsMissing(namespace, [requirement]),
      );
    }
    if (!outcome.loaded && outcome.error instanceof PluginDisabled) {
      throw new PluginDisabled(
        namespace,
        name,
        requirementDisabled(namespace, requirement, outcome.error.reason),
      );
    }
    if (!outcome.loaded) {
      throw requirementFailed(container, requirement, outcome.error);
    }
    requirements[requirement] = index.get(requirement)!.loadValue;
  }
  if (requires.length === 0) return undefined;
  return Object.freeze({
    namespace,
    name,
    requirements: Object.freeze(requirements),
  });
}

/**
 * Runs `run` over each wave, at most `concurrency` items at once, starting
 * the next item of a wave as soon as one finishes, and the next wave once
 * the whole wave has finished. `stop()` is asked before each item starts;
 * once it says yes, nothing more starts.
 *
 * @param waves The items, wave by wave.
 * @param concurrency How many items run at once.
 * @param run Runs one item; it must not reject.
 * @param stop Whether to start no more items.
 */
export async function runInWaves<T>(
  waves: readonly (readonly T[])[],
  concurrency: number,
  run: (item: T) => Promise<void>,
  stop: () => boolean,
): Promise<void> {
  for (const wave of waves) {
    let next = 0;
    const worker = async () => {
      while (next < wave.length && !stop()) await run(wave[next++]!);
    };
    const workers = Math.min(concurrency, wave.length);
    await Promise.all(Array.from({ length: workers }, worker));
    if (stop()) return;
  }
}

/** What became of one plugin in `loadAll()`. */
export type Outcome<P extends Plugin> = { plugin: P } | { failed: unknown };

/**
 * Loads every plugin of a plan, wave by wave, at most `concurrency` of a
 * wave at once; and again, skipping those already done, while the plan
 * changes under it (a plugin directory that falls back to an older version
 * while loading changes what its plugins declare). Once `stopOn` says yes
 * to a failure, nothing more starts.
 *
 * @param plan The plugins and their order.
 * @param concurrency How many plugins of a wave load at once.
 * @param load Loads one plugin for the call.
 * @param prepare Prepares plugins an order placed anew.
 * @param stopOn Whether a failure stops the loading.
 * @returns What became of each plugin started, in the final load order (a
 * plugin that order no longer places, after the others).
 */
export async function loadPlanned<P extends Plugin>(
  plan: LoadPlan<P>,
  concurrency: number,
  load: (container: PluginContainer<P>) => Promise<P>,
  prepare: (containers: PluginContainer<P>[]) => void,
  stopOn: (error: unknown) => boolean,
): Promise<Map<PluginContainer<P>, Outcome<P>>> {
  const outcomes = new Map<PluginContainer<P>, Outcome<P>>();
  let stop = false;
  let waves: PluginContainer<P>[][];
  let generation: number;
  do {
    generation = plan.generation;
    waves = plan.order.waves.map((wave) =>
      wave.map((name) => plan.index.get(name)!)
    );
    if (generation > 0) prepare(waves.flat());
    await runInWaves(waves, concurrency, async (container) => {
      if (outcomes.has(container)) return;
      try {
        outcomes.set(container, { plugin: await load(container) });
      } catch (error) {
        outcomes.set(container, { failed: error });
        stop ||= stopOn(error);
      }
    }, () => stop);
  } while (!stop && plan.generation !== generation);
  const ordered = new Map<PluginContainer<P>, Outcome<P>>();
  for (const container of [...waves.flat(), ...outcomes.keys()]) {
    const outcome = outcomes.get(container);
    if (outcome !== undefined && !ordered.has(container)) {
      ordered.set(container, outcome);
    }
  }
  return ordered;
}
