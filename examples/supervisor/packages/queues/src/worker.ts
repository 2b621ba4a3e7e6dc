import { Plugin, PluginSpec } from "@plux/core";
import { SERVICES, type Supervisor } from "@demo/supervisor-api";

/** Options of {@linkcode queueWorker}. */
export interface QueueWorkerOptions {
  /** How many messages the worker handles at once. */
  readonly concurrency: number;
  /** A setting that must hold the queue's signing secret, if it needs one. */
  readonly secretSetting?: string;
}

/** A worker consuming one queue; made by {@linkcode queueWorker}. */
export class QueueWorker extends Plugin {
  readonly #queue: string;
  readonly #options: QueueWorkerOptions;

  /**
   * @param queue The queue's name.
   * @param options Concurrency and secret.
   */
  constructor(queue: string, options: QueueWorkerOptions) {
    super();
    this.#queue = queue;
    this.#options = options;
  }

  override load(supervisor: Supervisor): string {
    const secret = this.#options.secretSetting;
    if (secret !== undefined && supervisor.setting(secret) === undefined) {
      throw new Error(
        `queue "${this.#queue}" needs a signing secret, but the setting ` +
          `${secret} is not set; add it to the supervisor's settings`,
      );
    }
    return `consuming queue "${this.#queue}" with ${this.#options.concurrency} workers`;
  }
}

/**
 * A reusable `PluginSpec` factory: one spec per queue, all sharing the
 * worker class. Each exported spec is a plugin of its own.
 *
 * @param queue The queue's name, also the plugin's name.
 * @param options Concurrency and secret.
 * @returns The spec of the queue's worker.
 */
export function queueWorker(
  queue: string,
  options: QueueWorkerOptions,
): PluginSpec {
  return new PluginSpec(
    SERVICES,
    `${queue}-worker`,
    () => new QueueWorker(queue, options),
  );
}
