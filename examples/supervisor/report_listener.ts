import type {
  Plugin,
  PluginInfo,
  PluginLifecycleListener,
  PluginSpec,
} from "@plux/core";

/**
 * A lifecycle listener that reports each plugin's outcome as it happens,
 * one line per event, through `print`.
 */
export class ReportListener implements PluginLifecycleListener {
  readonly #print: (line: string) => void;

  /** @param print Where each line goes. */
  constructor(print: (line: string) => void) {
    this.#print = print;
  }

  onResolveException(
    namespace: string,
    info: PluginInfo | undefined,
    error: unknown,
  ): void {
    const what = info === undefined ? namespace : `${namespace}:${info.name}`;
    this.#print(`  [listener] ${what} could not be resolved: ${text(error)}`);
  }

  onInitException(spec: PluginSpec, error: unknown): void {
    this.#print(`  [listener] ${spec} failed to initialise: ${text(error)}`);
  }

  onLoadAfter(spec: PluginSpec, _plugin: Plugin, value: unknown): void {
    const said = value === undefined ? "" : `: ${value}`;
    this.#print(`  [listener] ${spec} loaded${said}`);
  }

  onLoadException(spec: PluginSpec, _plugin: Plugin, error: unknown): void {
    this.#print(`  [listener] ${spec} failed to load: ${text(error)}`);
  }
}

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
