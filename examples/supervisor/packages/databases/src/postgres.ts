import { Plugin } from "@plux/core";
import { SERVICES, type Supervisor } from "@demo/supervisor-api";

/** A class plugin: PostgreSQL, started by the supervisor. */
export class Postgres extends Plugin {
  static namespace = SERVICES;
  static pluginName = "postgres";

  override load(supervisor: Supervisor): string {
    return supervisor.start("postgres", 5432);
  }
}
