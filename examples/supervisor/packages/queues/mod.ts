/**
 * Queue workers for the supervisor: plugins declared as `PluginSpec`s made
 * by one reusable factory.
 *
 * @module
 */
import type { PluginSpec } from "@plux/core";
import { queueWorker } from "./src/worker.ts";

export { queueWorker, type QueueWorkerOptions } from "./src/worker.ts";

/** Sends the outgoing mail. */
export const emails: PluginSpec = queueWorker("emails", { concurrency: 4 });

/** Renders invoices. */
export const invoices: PluginSpec = queueWorker("invoices", { concurrency: 2 });

/**
 * Delivers webhooks; it needs a signing secret the demo does not set, so it
 * fails to load.
 */
export const webhooks: PluginSpec = queueWorker("webhooks", {
  concurrency: 8,
  secretSetting: "WEBHOOK_SIGNING_SECRET",
});
