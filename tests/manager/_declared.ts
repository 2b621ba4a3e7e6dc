/**
 * Plugins that declare `requires` and `after` in each of the three forms
 * (a `PluginSpec` option, static fields of a `Plugin` class, `plugin()`
 * options) and log what happens to them, for the dependency tests.
 *
 * @module
 */

import {
  Plugin,
  plugin,
  type PluginEntry,
  type PluginLoadContext,
  PluginSpec,
  PluginSpecResolver,
} from "../../mod.ts";
import { delay } from "./_helpers.ts";

/** What a declared plugin does when it is loaded. */
export interface Behaviour {
  /** `load()` throws while this returns true (attempts count from 1). */
  fail?: (attempt: number) => boolean;
  /** What `shouldLoad()` returns. @default true */
  shouldLoad?: boolean;
  /** Milliseconds `load()` takes. @default 0 */
  wait?: number;
  /** Whether `load()` returns without waiting for a timer at all. */
  sync?: boolean;
}

/** What a test declares about one plugin. */
export interface Declaration extends Behaviour {
  /** The plugins it requires. */
  requires?: string[];
  /** The plugins it comes after. */
  after?: string[];
}

/** What happened, in order: `init x`, `start x`, `end x`, `fail x`. */
export interface Log {
  /** The events, in order. */
  readonly events: string[];
  /** The last argument each plugin's `load()` got, by name. */
  readonly contexts: Map<string, unknown>;
  /** How often each plugin's `load()` ran, by name. */
  readonly loads: Map<string, number>;
}

/** An empty log. */
export function newLog(): Log {
  return { events: [], contexts: new Map(), loads: new Map() };
}

/** The value a declared plugin's `load()` returns. */
export function valueOf(name: string): { plugin: string } {
  return { plugin: name };
}

async function run(
  name: string,
  declared: Declaration,
  log: Log,
  args: unknown[],
): Promise<unknown> {
  const attempt = (log.loads.get(name) ?? 0) + 1;
  log.loads.set(name, attempt);
  log.contexts.set(name, args[args.length - 1]);
  log.events.push(`start ${name}`);
  if (!declared.sync) await delay(declared.wait ?? 0);
  if (declared.fail?.(attempt)) {
    log.events.push(`fail ${name}`);
    throw new Error(`${name} broke (attempt ${attempt})`);
  }
  log.events.push(`end ${name}`);
  return valueOf(name);
}

const resolver = new PluginSpecResolver();

/** Makes plugin `name` of namespace `ns`, declared in one form. */
export type Form = (
  ns: string,
  name: string,
  declared: Declaration,
  log: Log,
) => PluginSpec | PluginEntry;

/** The three declaration forms, by name. */
export const FORMS: Record<string, Form> = {
  // Code at hand: the finder returns the spec itself.
  "PluginSpec": (ns, name, declared, log) =>
    new PluginSpec(ns, name, () => {
      log.events.push(`init ${name}`);
      return new Logged(name, declared, log);
    }, { requires: declared.requires, after: declared.after }),
  // As from an index: the entry carries what the class declares.
  "Plugin class": (ns, name, declared, log) => {
    class Declared extends Plugin {
      static namespace = ns;
      static pluginName = name;
      static requires = declared.requires;
      static after = declared.after;
      constructor() {
        super();
        log.events.push(`init ${name}`);
      }
      override shouldLoad(): boolean {
        return declared.shouldLoad ?? true;
      }
      override load(...args: unknown[]): Promise<unknown> {
        return run(name, declared, log, args);
      }
    }
    return lazy(resolver.resolve(Declared));
  },
  "plugin()": (ns, name, declared, log) => {
    const fn = plugin({
      namespace: ns,
      name,
      requires: declared.requires,
      after: declared.after,
      shouldLoad: () => {
        log.events.push(`init ${name}`);
        return declared.shouldLoad ?? true;
      },
      load: (...args: unknown[]) => run(name, declared, log, args),
    }, () => name);
    return lazy(resolver.resolve(fn));
  },
};

class Logged extends Plugin {
  constructor(
    readonly pluginName: string,
    readonly declared: Declaration,
    readonly log: Log,
  ) {
    super();
  }
  override shouldLoad(): boolean {
    return this.declared.shouldLoad ?? true;
  }
  override load(...args: unknown[]): Promise<unknown> {
    return run(this.pluginName, this.declared, this.log, args);
  }
}

/** A lazy entry for a spec, listing what it declares, as an index would. */
export function lazy(spec: PluginSpec): PluginEntry {
  return {
    namespace: spec.namespace,
    name: spec.name,
    requires: spec.requires,
    after: spec.after,
    resolve: () => Promise.resolve(spec),
  };
}

/** Whether `value` is a load context holding `requirements`. */
export function contextOf(value: unknown): PluginLoadContext | undefined {
  const context = value as PluginLoadContext | undefined;
  return typeof context === "object" && context !== null &&
      "requirements" in context
    ? context
    : undefined;
}
