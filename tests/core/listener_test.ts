import assert from "node:assert/strict";
import {
  CompositePluginLifecycleListener,
  Plugin,
  PluginDisabled,
  type PluginLifecycleEvent,
  PluginSpec,
} from "../../mod.ts";

class Noop extends Plugin {}
const spec = new PluginSpec("test.listener", "noop", () => new Noop());

Deno.test("CompositePluginLifecycleListener calls its listeners in order, awaiting each", async () => {
  const events: string[] = [];
  const composite = new CompositePluginLifecycleListener([
    {
      onLoadAfter: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push("first");
      },
    },
    {},
  ]);
  composite.add({ onLoadAfter: () => void events.push("added") });
  await composite.onLoadAfter(spec, new Noop(), undefined);
  assert.deepEqual(events, ["first", "added"]);
  assert.equal(composite.listeners.length, 3);
});

Deno.test("CompositePluginLifecycleListener reports what a listener throws to onListenerError and goes on", async () => {
  const reported: [unknown, PluginLifecycleEvent][] = [];
  const events: string[] = [];
  const broken = new Error("broken listener");
  const composite = new CompositePluginLifecycleListener([
    {
      onInitAfter: () => {
        throw broken;
      },
    },
    { onInitAfter: () => void events.push("second") },
  ], { onListenerError: (error, event) => void reported.push([error, event]) });
  await composite.onInitAfter(spec, new Noop());
  assert.deepEqual(reported, [[broken, "onInitAfter"]]);
  assert.deepEqual(events, ["second"]);
});

Deno.test("CompositePluginLifecycleListener rethrows a PluginException and stops the event", async () => {
  const events: string[] = [];
  const reported: unknown[] = [];
  const composite = new CompositePluginLifecycleListener([
    {
      onLoadBefore: () => {
        throw new PluginDisabled("test.listener", "noop", "not today");
      },
    },
    { onLoadBefore: () => void events.push("second") },
  ], { onListenerError: (error) => void reported.push(error) });
  await assert.rejects(
    composite.onLoadBefore(spec, new Noop(), []),
    /is disabled, reason: not today/,
  );
  assert.deepEqual(events, []);
  assert.deepEqual(reported, []);
});
