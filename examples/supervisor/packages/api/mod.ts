/**
 * What the supervisor hands to its plugins: the API that plugin packages
 * build on. It holds no plugins itself.
 *
 * @module
 */

/** The namespace of the services the supervisor runs. */
export const SERVICES = "supervisor.services";
/** The namespace of the health checks the supervisor runs. */
export const CHECKS = "supervisor.checks";

/** The supervisor, passed to every service plugin's `load()`. */
export interface Supervisor {
  /**
   * Starts a service (simulated: nothing listens) and returns its address.
   *
   * @param service The service's name.
   * @param port The port it listens on.
   * @returns A line describing the running service.
   */
  start(service: string, port: number): string;
  /**
   * A setting of the supervisor, for example a queue's signing secret.
   *
   * @param key The setting's name.
   * @returns Its value, or `undefined` when it is not set.
   */
  setting(key: string): string | undefined;
}

/**
 * What the postgres service's `load()` returns: the services that require
 * postgres get it through their `PluginLoadContext`.
 */
export interface Database {
  /** Where the database listens. */
  readonly url: string;
  /** The line the supervisor prints for the running service. */
  toString(): string;
}
