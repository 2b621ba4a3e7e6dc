/**
 * Helpers shared by the manager tests: plugins that count their calls, a
 * listener that records events, and a finder over values at hand.
 *
 * @module
 */

import {
  Plugin,
  type PluginEntry,
  type PluginFinder,
  type PluginLifecycleListener,
  PluginSpec,
} from "../../mod.ts";

/** Resolves after `ms` milliseconds; used to make listeners and plugins slow. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A finder that returns the given specs and entries, in this order. */
export function finderOf(...items: (PluginSpec | PluginEntry)[]): PluginFinder {
  return { findPlugins: () => items };
}

/** How often each step of a {@linkcode CountingPlugin} ran. */
export interface Counts {
  init: number;
  shouldLoad: number;
  load: number;
}

/** Options of {@linkcode countingSpec}. */
export interface CountingOptions {
  /** Thrown by the factory while this returns true. */
  failInit?: (attempt: number) => boolean;
  /** Thrown by `load()` while this returns true. */
  failLoad?: (attempt: number) => boolean;
  /** What `shouldLoad()` returns. */
  shouldLoad?: boolean;
  /** Milliseconds each step waits, so that concurrent callers overlap. */
  wait?: number;
}

/** A plugin whose `load()` returns `loaded <name> with <args>`. */
export class CountingPlugin extends Plugin {
  constructor(
    readonly pluginName: string,
    readonly counts: Counts,
    readonly options: CountingOptions,
  ) {
    super();
  }

  override async shouldLoad(): Promise<boolean> {
    this.counts.shouldLoad++;
    await delay(this.options.wait ?? 0);
    return this.options.shouldLoad ?? true;
  }

  override async load(...args: unknown[]): Promise<string> {
    const attempt = ++this.counts.load;
    await delay(this.options.wait ?? 0);
    if (this.options.failLoad?.(attempt)) {
      throw new Error(`load of ${this.pluginName} failed (attempt ${attempt})`);
    }
    return `loaded ${this.pluginName} with ${args.join(",")}`;
  }
}

/**
 * A spec whose async factory makes a {@linkcode CountingPlugin}.
 *
 * @returns The spec and the counts of its steps.
 */
export function countingSpec(
  namespace: string,
  name: string,
  options: CountingOptions = {},
): { spec: PluginSpec<CountingPlugin>; counts: Counts } {
  const counts: Counts = { init: 0, shouldLoad: 0, load: 0 };
  const spec = new PluginSpec(namespace, name, async () => {
    const attempt = ++counts.init;
    await delay(options.wait ?? 0);
    if (options.failInit?.(attempt)) {
      throw new Error(`factory of ${name} failed (attempt ${attempt})`);
    }
    return new CountingPlugin(name, counts, options);
  });
  return { spec, counts };
}

/** A listener that records each event as `<event> <name>`. */
export function recordingListener(
  events: string[],
): Required<PluginLifecycleListener> {
  return {
    onResolveException: (_namespace, plugin, error) => {
      events.push(
        `onResolveException ${plugin?.name ?? "-"} ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    },
    onResolveAfter: (spec) => {
      events.push(`onResolveAfter ${spec.name}`);
    },
    onInitException: (spec) => {
      events.push(`onInitException ${spec.name}`);
    },
    onInitAfter: (spec) => {
      events.push(`onInitAfter ${spec.name}`);
    },
    onLoadBefore: (spec) => {
      events.push(`onLoadBefore ${spec.name}`);
    },
    onLoadAfter: (spec) => {
      events.push(`onLoadAfter ${spec.name}`);
    },
    onLoadException: (spec) => {
      events.push(`onLoadException ${spec.name}`);
    },
  };
}
