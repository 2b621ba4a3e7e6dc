/**
 * Services that depend on other services: `accounts` requires the postgres
 * database of @demo/databases and reaches what its `load()` returned;
 * `notifications` requires the webhooks worker of @demo/queues. Both
 * packages are known from the indexes, before any plugin code is imported.
 *
 * @module
 */
export { Accounts } from "./src/accounts.ts";
export { notifications } from "./src/notifications.ts";
