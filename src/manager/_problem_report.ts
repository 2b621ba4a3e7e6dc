/**
 * The default report of discovery and resolve problems: what reaches
 * `onResolveException` when no listener implements it is written, once per
 * process, as one `plux:` line on stderr (or handed to the function the
 * application gave instead).
 *
 * @module
 */

import { errorText, terminalText } from "../core/_error_text.ts";
import { PluginDisabled, PluginException } from "../core/errors.ts";
import {
  CompositePluginLifecycleListener,
  type CompositePluginLifecycleListenerOptions,
  type PluginLifecycleEvent,
  type PluginLifecycleListener,
} from "../core/listener.ts";
import type { PluginInfo } from "../core/plugin_info.ts";

/**
 * Where problems no listener handles go: `true` writes them to stderr,
 * `false` drops them, a function receives each line instead.
 */
export type ProblemReport =
  | boolean
  | ((line: string, error: unknown) => void);

/** Lines already written to stderr by any manager of this process. */
const written = new Set<string>();
/** Lines already given to each reporting function. */
const given = new WeakMap<
  (line: string, error: unknown) => void,
  Set<string>
>();

/**
 * The one line that reports a problem: `plux: ` and the error's text on one
 * line, preceded by the plugin's `namespace:name` when the text does not
 * already name it.
 *
 * @param plugin The plugin, or `undefined` for a problem of a whole package.
 * @param error The problem.
 * @returns For example `plux: workspace member /app/greeters: cannot read ...`.
 */
export function problemLine(
  plugin: PluginInfo | undefined,
  error: unknown,
): string {
  const text = terminalText(errorText(error));
  const id = plugin === undefined
    ? undefined
    : `${plugin.namespace}:${plugin.name}`;
  return id === undefined || text.includes(terminalText(id))
    ? `plux: ${text}`
    : `plux: plugin ${terminalText(id)}: ${text}`;
}

/**
 * Reports one problem the way `report` says, skipping a line this process
 * has already written (or given to the same function): managers of several
 * namespaces share the default finder and meet the same problems.
 *
 * @param report The manager's `reportProblems` option.
 * @param plugin The plugin the problem belongs to, if any.
 * @param error The problem.
 */
export function reportProblem(
  report: ProblemReport,
  plugin: PluginInfo | undefined,
  error: unknown,
): void {
  if (report === false) return;
  const line = problemLine(plugin, error);
  let seen = written;
  if (typeof report === "function") {
    seen = given.get(report) ?? new Set();
    given.set(report, seen);
  }
  if (seen.has(line)) return;
  seen.add(line);
  if (typeof report === "function") report(line, error);
  else console.error(line);
}

/**
 * The manager's listeners: a resolve problem that none of them handles (no
 * listener has `onResolveException`, at the time of the problem) is
 * reported with {@linkcode reportProblem}.
 */
export class ReportingListener extends CompositePluginLifecycleListener {
  readonly #report: ProblemReport;
  readonly #onListenerError: CompositePluginLifecycleListenerOptions[
    "onListenerError"
  ];

  /**
   * @param listeners The application's listeners.
   * @param options Where errors of listeners go.
   * @param report Where unhandled problems go.
   */
  constructor(
    listeners: Iterable<PluginLifecycleListener>,
    options: CompositePluginLifecycleListenerOptions,
    report: ProblemReport,
  ) {
    super(listeners, options);
    this.#report = report;
    this.#onListenerError = options.onListenerError;
  }

  /**
   * Tells the listeners of a problem met while listing a namespace. The
   * listing goes on whatever they throw: a `PluginDisabled` disables the
   * plugin the problem is about (or, for a problem of no one plugin, the
   * plugin of the namespace it names) and nothing else; any other
   * `PluginException`, or a `PluginDisabled` that names no plugin of the
   * namespace, goes to `onListenerError`, as other errors of listeners do.
   *
   * @param namespace The namespace being listed.
   * @param plugin The plugin the problem is about, if any.
   * @param error The problem.
   * @param plugins The namespace's plugins by name, so far.
   */
  async onListingProblem(
    namespace: string,
    plugin: PluginInfo | undefined,
    error: unknown,
    plugins: ReadonlyMap<
      string,
      { disabledReason: string | undefined; readonly isLoaded: boolean }
    >,
  ): Promise<void> {
    try {
      await this.onResolveException(namespace, plugin, error);
    } catch (thrown) {
      const name = plugin?.name ??
        (thrown instanceof PluginException && thrown.namespace === namespace
          ? thrown.pluginName
          : undefined);
      const target = name === undefined ? undefined : plugins.get(name);
      if (thrown instanceof PluginDisabled && target !== undefined) {
        if (!target.isLoaded) target.disabledReason = String(thrown.reason);
      } else this.#listenerFailed(thrown, "onResolveException");
    }
  }

  /** What the base class does with an error of a listener, for one it let through. */
  #listenerFailed(error: unknown, event: PluginLifecycleEvent): void {
    try {
      if (this.#onListenerError !== undefined) {
        const result: unknown = this.#onListenerError(error, event);
        Promise.resolve(result).catch(() => {});
        return;
      }
    } catch {
      // A broken handler: logged below.
    }
    console.error(terminalText(
      `plux: a lifecycle listener failed in ${event}: ${errorText(error)}; ` +
        "fix the listener, or give the manager an onListenerError",
    ));
  }

  /** Calls `onResolveException` of every listener, or reports the problem. */
  override onResolveException(
    namespace: string,
    plugin: PluginInfo | undefined,
    error: unknown,
  ): Promise<void> {
    const handled = this.listeners.some((listener) =>
      typeof listener.onResolveException === "function"
    );
    if (!handled) reportProblem(this.#report, plugin, error);
    return super.onResolveException(namespace, plugin, error);
  }

  /**
   * Reports a failed init or load that `loadAll()` stepped over (no caller
   * sees it thrown), unless a listener implements the hook that was told of
   * it (`onInitException`, `onLoadException`).
   *
   * @param step Which step failed.
   * @param plugin The plugin.
   * @param error What `loadAll()` caught.
   */
  reportSkipped(
    step: "init" | "load",
    plugin: PluginInfo,
    error: unknown,
  ): void {
    const hook = step === "init" ? "onInitException" : "onLoadException";
    const handled = this.listeners.some((listener) =>
      typeof listener[hook] === "function"
    );
    if (!handled) reportProblem(this.#report, plugin, error);
  }
}
