/**
 * Health checks for the supervisor, declared as plain functions with
 * `plugin()`.
 *
 * @module
 */
import { plugin } from "@plux/core";
import { CHECKS } from "@demo/supervisor-api";

/** Checks that the data volume has room left. */
export const diskSpace: () => string = plugin(
  { namespace: CHECKS, name: "disk-space" },
  function diskSpace(): string {
    return "data volume 41% full";
  },
);

/** Checks that every running service answers. */
export const servicesUp: (running: readonly string[]) => string = plugin(
  { namespace: CHECKS, name: "services-up" },
  function servicesUp(running: readonly string[]): string {
    return `${running.length} services answer (${running.join(", ")})`;
  },
);
