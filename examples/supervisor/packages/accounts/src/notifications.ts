import { Plugin, PluginSpec } from "@plux/core";
import { SERVICES, type Supervisor } from "@demo/supervisor-api";

class Notifications extends Plugin {
  override load(supervisor: Supervisor): string {
    return supervisor.start("notifications", 8082);
  }
}

/**
 * A `PluginSpec` with a requirement: notifications are delivered by the
 * webhooks worker, so when that worker fails to load, notifications fail too
 * (and a later `load()` retries both).
 */
export const notifications: PluginSpec = new PluginSpec(
  SERVICES,
  "notifications",
  () => new Notifications(),
  { requires: ["webhooks-worker"] },
);
