/**
 * Database services for the supervisor, declared as plugin classes.
 *
 * @module
 */
export { Postgres } from "./src/postgres.ts";
export { Redis } from "./src/redis.ts";
