import { Plugin } from "@plux/core";
import { SERVICES, type Supervisor } from "@demo/supervisor-api";

/**
 * A class plugin that disables itself: Redis runs only in clustered setups,
 * and `shouldLoad()` says no for this single-node supervisor.
 */
export class Redis extends Plugin {
  static namespace = SERVICES;
  static pluginName = "redis";
  static readonly clustered = false;

  override shouldLoad(): boolean {
    return Redis.clustered;
  }

  override load(supervisor: Supervisor): string {
    return supervisor.start("redis", 6379);
  }
}
