import { PluginDisabled } from "../core/errors.ts";
import type { PluginEntry } from "../core/finder.ts";
import type { CompositePluginLifecycleListener } from "../core/listener.ts";
import type { Plugin } from "../core/plugin.ts";
import {
  dependenciesOf,
  dependencyDifference,
  PluginSpec,
} from "../core/plugin_spec.ts";
import type { PluginContainer } from "./container.ts";
import { listenerHangFix, pluginHangFix, unresolved } from "./_messages.ts";
import { errorText } from "../core/_error_text.ts";
import { settleWithin, WaitEnded, type WaitLimits } from "./_wait.ts";

/** Told of a spec resolved from a finder's entry, before anyone gets it. */
type Resolved<P extends Plugin> = (
  spec: PluginSpec<P>,
  container: PluginContainer<P>,
) => Promise<void> | undefined;

/**
 * The import of a plugin's code and the listener calls after it, shared by
 * every caller, and when the import began.
 */
interface Pending<P extends Plugin> {
  /** The plugin's code: rejects with what went wrong. */
  imported: Promise<PluginSpec<P>>;
  /** Then `onResolveAfter` (or `onResolveException`) told. */
  told: Promise<PluginSpec<P>>;
  startedAt: number;
}

/**
 * The first step of the lifecycle: a plugin's code imported and turned into
 * its spec, once, whoever asks, with `onResolveAfter` or
 * `onResolveException` told.
 *
 * @typeParam P The type of the namespace's plugins.
 */
export class PluginResolution<P extends Plugin> {
  readonly #namespace: string;
  readonly #listener: CompositePluginLifecycleListener;
  readonly #pending = new Map<PluginContainer<P>, Pending<P>>();
  readonly #resolved: Resolved<P>;

  /**
   * @param namespace The namespace, for listener calls.
   * @param listener The manager's listeners.
   * @param resolved Told of each spec resolved from a finder's entry,
   * before anyone gets it (the load plan takes up what it declares).
   */
  constructor(
    namespace: string,
    listener: CompositePluginLifecycleListener,
    resolved: Resolved<P>,
  ) {
    this.#namespace = namespace;
    this.#listener = listener;
    this.#resolved = resolved;
  }

  /**
   * Resolves a plugin's code once: every call gets the same outcome.
   *
   * @param container The plugin.
   * @returns Its spec.
   */
  resolve(container: PluginContainer<P>): Promise<PluginSpec<P>> {
    return this.#start(container).told;
  }

  /**
   * Waits for a plugin's code within the limits; the timeout counts from
   * when its import began. A wait that ends early is reported to
   * `onResolveException` like a failed import, and a later call waits again.
   *
   * @param container The plugin.
   * @param limits The call's signal and timeout.
   * @returns Its spec.
   * @throws {PluginException} When it cannot be resolved in time.
   */
  async resolveWithin(
    container: PluginContainer<P>,
    limits: WaitLimits,
  ): Promise<PluginSpec<P>> {
    const { imported, told, startedAt } = this.#start(container);
    let failed = false;
    try {
      await settleWithin(
        imported,
        "the import of its module",
        limits,
        startedAt,
        () => pluginHangFix(container, limits.timeoutFrom),
      );
    } catch (error) {
      if (!(error instanceof WaitEnded)) failed = true;
      else {
        container.resolveError = error.cause;
        return this.#endedEarly(container, error, limits, true);
      }
    }
    // The module is in (or failed): what is left to wait for is the
    // application's listeners, and a wait that ends here is theirs.
    const hook = failed ? "onResolveException" : "onResolveAfter";
    try {
      return await settleWithin(
        told,
        `the ${hook} listeners`,
        limits,
        startedAt,
        () => listenerHangFix(hook, limits.timeoutFrom),
      );
    } catch (error) {
      if (!(error instanceof WaitEnded)) throw error;
      // A failed import was told to onResolveException already.
      return this.#endedEarly(container, error, limits, !failed);
    }
  }

  /**
   * A wait of {@linkcode resolveWithin} that ended early: told to
   * `onResolveException` when `tell`, then thrown as the plugin's failure.
   */
  async #endedEarly(
    container: PluginContainer<P>,
    ended: WaitEnded,
    limits: WaitLimits,
    tell: boolean,
  ): Promise<never> {
    if (tell) {
      await report(
        container,
        this.#listener.onResolveException(
          this.#namespace,
          container.info,
          ended.cause,
        ),
        limits,
      );
    }
    throw unresolved(container, ended.message, ended.cause);
  }

  #start(container: PluginContainer<P>): Pending<P> {
    let pending = this.#pending.get(container);
    if (pending === undefined) {
      const imported = this.#import(container);
      pending = {
        imported,
        told: imported.then(
          async (spec) => {
            await disablingOn(
              container,
              () => this.#listener.onResolveAfter(spec),
            );
            return spec;
          },
          async (error) => {
            await disablingOn(
              container,
              () =>
                this.#listener.onResolveException(
                  this.#namespace,
                  container.info,
                  error,
                ),
            );
            throw unresolved(container, errorText(error), error);
          },
        ),
        startedAt: performance.now(),
      };
      imported.catch(() => {}); // `told` handles it
      this.#pending.set(container, pending);
    }
    return pending;
  }

  /** The plugin's spec: its code imported and checked against its entry. */
  async #import(container: PluginContainer<P>): Promise<PluginSpec<P>> {
    const entry = lazyEntryOf(container);
    if (container.spec !== undefined && entry === undefined) {
      return container.spec;
    }
    try {
      const spec = await entry!.resolve() as PluginSpec<P>;
      if (!(spec instanceof PluginSpec)) {
        throw new TypeError(
          `the finder resolved it to ${typeof spec}, not a PluginSpec`,
        );
      }
      if (
        spec.namespace !== container.namespace || spec.name !== container.name
      ) {
        throw new TypeError(
          `its code declares ${spec.namespace}:${spec.name} instead; ` +
            staleFix(container),
        );
      }
      // What the finder's entry lists now: a plugin directory that fell
      // back to an older version lists that version's declarations.
      const difference = dependencyDifference(
        dependenciesOf(spec),
        container.info,
        "its finder",
      );
      if (difference !== undefined) {
        throw new TypeError(`${difference}; ${staleFix(container)}`);
      }
      container.spec = spec;
      // The load order follows what the code in use declares.
      await this.#resolved(spec, container);
      container.resolveError = undefined;
      return spec;
    } catch (error) {
      container.spec = undefined;
      container.resolveError = error;
      throw error;
    }
  }
}

/**
 * Runs a listener call; a `PluginDisabled` it throws disables the plugin
 * (and is thrown on).
 *
 * @param container The plugin.
 * @param call The listener call.
 */
async function disablingOn<P extends Plugin>(
  container: PluginContainer<P>,
  call: () => Promise<void>,
): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (error instanceof PluginDisabled) {
      container.disabledReason = error.reason;
    }
    throw error;
  }
}

/**
 * Awaits the listeners told of a failure for at most the timeout, and not
 * cut short by the signal: a failure is reported even when the call was
 * aborted. A `PluginDisabled` they throw disables the plugin, as in plux.
 *
 * @param container The plugin.
 * @param call The listener call, already started.
 * @param limits The call's limits; only the timeout applies.
 */
export async function report<P extends Plugin>(
  container: PluginContainer<P>,
  call: Promise<void>,
  limits: WaitLimits,
): Promise<void> {
  await disablingOn(
    container,
    () =>
      settleWithin(call, "the listeners", {
        signal: undefined,
        timeout: limits.timeout,
      }).catch((error) => {
        if (!(error instanceof WaitEnded)) throw error;
      }),
  );
}

/**
 * The finder's lazy entry a container was listed from: its `info` itself
 * (a container made from a spec at hand has a plain `info`).
 */
function lazyEntryOf(container: PluginContainer): PluginEntry | undefined {
  const info = container.info as Partial<PluginEntry>;
  return typeof info.resolve === "function" ? info as PluginEntry : undefined;
}

/**
 * What to do about an index whose entry declares other `requires` or `after`
 * than the code: regenerate that index, named when the finder says which.
 */
function staleFix(container: PluginContainer): string {
  const source = container.info.source;
  if (source?.index === undefined) {
    return "the finder that lists it is out of date: make its entry list " +
      "what the code declares";
  }
  const where = source.package === undefined
    ? "that package"
    : `${source.package}${source.version ? `@${source.version}` : ""}`;
  return `the index ${source.index} that lists it is stale: regenerate it ` +
    `with \`deno task plux:index\` in ${where} (\`plux index\`)`;
}
