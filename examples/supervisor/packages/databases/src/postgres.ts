import { Plugin } from "@plux/core";
import { type Database, SERVICES, type Supervisor } from "@demo/supervisor-api";

/**
 * A class plugin: PostgreSQL, started by the supervisor. Its load value is
 * the database, which the services that require postgres receive.
 */
export class Postgres extends Plugin {
  static namespace = SERVICES;
  static pluginName = "postgres";

  override load(supervisor: Supervisor): Database {
    const line = supervisor.start("postgres", 5432);
    return {
      url: "postgres://127.0.0.1:5432/supervisor",
      toString: () => line,
    };
  }
}
