import assert from "node:assert/strict";
import { PluginDisabled, PluginException } from "../../mod.ts";

Deno.test("PluginDisabled has plux's message form and carries namespace, name and reason", () => {
  const error = new PluginDisabled(
    "my.services",
    "db",
    "no database configured",
  );
  assert.equal(
    error.message,
    "plugin my.services:db is disabled, reason: no database configured",
  );
  assert.equal(error.name, "PluginDisabled");
  assert.equal(error.namespace, "my.services");
  assert.equal(error.pluginName, "db");
  assert.equal(error.reason, "no database configured");
  assert.ok(error instanceof PluginException);
  assert.ok(error instanceof Error);
});

Deno.test("PluginException keeps its cause, and instanceof PluginDisabled tells the two apart", () => {
  const cause = new Error("connection refused");
  const error = new PluginException("plugin a:b failed", {
    namespace: "a",
    pluginName: "b",
    cause,
  });
  assert.equal(error.cause, cause);
  assert.equal(error.name, "PluginException");
  assert.ok(!(error instanceof PluginDisabled));
  assert.ok(!("cause" in new PluginException("no cause")));
  assert.ok(!(new Error("x") instanceof PluginException));
  assert.ok(!({} instanceof PluginException));
});

Deno.test("PluginException subclasses keep ordinary instanceof", () => {
  class TimeoutException extends PluginException {}
  const timeout = new TimeoutException("slow");
  assert.ok(timeout instanceof TimeoutException);
  assert.ok(timeout instanceof PluginException);
  assert.ok(!(new PluginException("other") instanceof TimeoutException));
});
