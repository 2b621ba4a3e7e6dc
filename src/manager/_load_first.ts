import { PluginDisabled } from "../core/errors.ts";
import type { Plugin, PluginLoadContext } from "../core/plugin.ts";
import type { PluginContainer } from "./container.ts";
import {
  requirementDisabled,
  requirementFailed,
  requirementsMissing,
} from "./_messages.ts";

/** What waiting for one requirement or `after` plugin came to. */
type Settled = { loaded: true } | { loaded: false; error: unknown };

/**
 * Loads a plugin's requirements and present `after` plugins (each through
 * `load`, so with its own attempt, shared with every other caller), all at
 * once, and waits for them. A requirement that is disabled disables the
 * plugin (`requires <ns>:<name>, which is disabled: <its reason>`); one that
 * fails fails it (its error as the `cause`, kept as the plugin's
 * `loadError`); an `after` plugin's outcome does not matter. When several
 * requirements are off, the first by name is named.
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
  index: ReadonlyMap<string, PluginContainer<P>>,
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
      const error = requirementFailed(container, requirement, outcome.error);
      container.loadError = error;
      throw error;
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
