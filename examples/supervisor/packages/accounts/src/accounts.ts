import { Plugin, type PluginLoadContext } from "@plux/core";
import { type Database, SERVICES, type Supervisor } from "@demo/supervisor-api";

/**
 * A class plugin with dependencies: it requires postgres (loaded first, and
 * its connection handed over), and comes after redis when redis runs (in
 * this demo redis is disabled, so accounts starts without it).
 */
export class Accounts extends Plugin {
  static namespace = SERVICES;
  static pluginName = "accounts";
  static requires = ["postgres"];
  static after = ["redis"];

  override load(
    supervisor: Supervisor,
    { requirements }: PluginLoadContext,
  ): string {
    const db = requirements.postgres as Database;
    return `${supervisor.start("accounts", 8081)}, data in ${db.url}`;
  }
}
