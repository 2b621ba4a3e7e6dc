import assert from "node:assert/strict";
import {
  PluginDisabled,
  type PluginEntry,
  PluginException,
  type PluginLifecycleListener,
  PluginManager,
  PluginSpec,
} from "../../mod.ts";
import { countingSpec, delay, finderOf } from "./_helpers.ts";

const NS = "test.listeners";

/**
 * A listener whose every hook waits before it records `<tag> <event> <name>`,
 * so that a manager that does not await it records events out of order.
 */
function slowListener(tag: string, events: string[]): PluginLifecycleListener {
  const record = (event: string, name: string | undefined) => async () => {
    await delay(3);
    events.push(`${tag} ${event} ${name ?? "-"}`);
  };
  return {
    onResolveException: (_ns, info) =>
      record("onResolveException", info?.name)(),
    onResolveAfter: (spec) => record("onResolveAfter", spec.name)(),
    onInitException: (spec) => record("onInitException", spec.name)(),
    onInitAfter: (spec) => record("onInitAfter", spec.name)(),
    onLoadBefore: (spec) => record("onLoadBefore", spec.name)(),
    onLoadAfter: (spec) => record("onLoadAfter", spec.name)(),
    onLoadException: (spec) => record("onLoadException", spec.name)(),
  };
}

Deno.test("PluginManager calls all seven listener events in order and awaits each listener", async () => {
  const events: string[] = [];
  const ok = countingSpec(NS, "ok");
  const badInit = countingSpec(NS, "bad-init", { failInit: () => true });
  const badLoad = countingSpec(NS, "bad-load", { failLoad: () => true });
  const unresolvable: PluginEntry = {
    namespace: NS,
    name: "lazy",
    resolve: () => Promise.reject(new Error("module not found")),
  };
  // The plugins record their steps in the same list, after the listeners.
  const spy = (name: string, spec: PluginSpec) =>
    new PluginSpec(NS, name, async () => {
      const plugin = await spec.factory();
      events.push(`plugin init ${name}`);
      const load = plugin.load.bind(plugin);
      plugin.load = async (...args: unknown[]) => {
        events.push(`plugin load ${name}`);
        return await load(...args);
      };
      return plugin;
    });
  const manager = new PluginManager(NS, {
    finder: finderOf(
      spy("ok", ok.spec),
      badInit.spec,
      spy("bad-load", badLoad.spec),
      unresolvable,
    ),
    listeners: [slowListener("first", events), slowListener("second", events)],
  });

  await manager.load("ok");
  assert.deepEqual(events.splice(0), [
    "first onResolveAfter ok",
    "second onResolveAfter ok",
    "plugin init ok",
    "first onInitAfter ok",
    "second onInitAfter ok",
    "first onLoadBefore ok",
    "second onLoadBefore ok",
    "plugin load ok",
    "first onLoadAfter ok",
    "second onLoadAfter ok",
  ]);

  await assert.rejects(manager.load("bad-init"), PluginException);
  assert.deepEqual(events.splice(0), [
    "first onResolveAfter bad-init",
    "second onResolveAfter bad-init",
    "first onInitException bad-init",
    "second onInitException bad-init",
  ]);

  await assert.rejects(manager.load("bad-load"), PluginException);
  assert.deepEqual(events.splice(0), [
    "first onResolveAfter bad-load",
    "second onResolveAfter bad-load",
    "plugin init bad-load",
    "first onInitAfter bad-load",
    "second onInitAfter bad-load",
    "first onLoadBefore bad-load",
    "second onLoadBefore bad-load",
    "plugin load bad-load",
    "first onLoadException bad-load",
    "second onLoadException bad-load",
  ]);

  await assert.rejects(manager.load("lazy"), /could not be resolved/);
  assert.deepEqual(events.splice(0), [
    "first onResolveException lazy",
    "second onResolveException lazy",
  ]);
});

Deno.test("PluginManager.addListener() adds a listener called after those given to the constructor", async () => {
  const events: string[] = [];
  const manager = new PluginManager(NS, {
    finder: finderOf(countingSpec(NS, "a").spec),
    listeners: [{ onLoadAfter: () => void events.push("first") }],
  });
  manager.addListener({ onLoadAfter: () => void events.push("added") });
  await manager.load("a");
  assert.deepEqual(events, ["first", "added"]);
});

Deno.test("PluginManager reports a listener that throws a plain error with console.error and ignores it", async () => {
  // In a subprocess, so that console.error is the real one.
  const mod = new URL("../../mod.ts", import.meta.url).href;
  const code = `
    import { Plugin, PluginManager, PluginSpec } from "${mod}";
    class P extends Plugin { load() { return "value"; } }
    const manager = new PluginManager("ns", {
      finder: { findPlugins: () => [new PluginSpec("ns", "a", () => new P())] },
      listeners: [
        { onLoadBefore: () => { throw new Error("listener broke"); } },
        { onLoadAfter: (_s, _p, value) => console.log("second listener saw", value) },
      ],
    });
    await manager.load("a");
    console.log("loaded", await manager.isLoaded("a"));
  `;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-lock", code],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  assert.equal(stdout, "second listener saw value\nloaded true\n");
  // One line: the error, where it was thrown, and the fix.
  assert.match(
    stderr,
    /^plux: a lifecycle listener failed in onLoadBefore: listener broke \(at [^\n]*eval[^\n]*:\d+:\d+\)\); fix the listener, or give the manager an onListenerError\n$/,
  );
});

Deno.test("PluginManager passes what a listener throws to onListenerError, with the event, and goes on", async () => {
  const seen: [unknown, string][] = [];
  const broken = new Error("listener broke");
  const manager = new PluginManager(NS, {
    finder: finderOf(countingSpec(NS, "a").spec),
    listeners: [{
      onInitAfter: () => {
        throw broken;
      },
    }],
    onListenerError: (error, event) => seen.push([error, event]),
  });
  await manager.load("a");
  assert.deepEqual(seen, [[broken, "onInitAfter"]]);
  assert.equal(await manager.isLoaded("a"), true);
});

Deno.test("PluginManager passes a PluginException thrown by a listener to the caller of load()", async () => {
  const manager = new PluginManager(NS, {
    finder: finderOf(countingSpec(NS, "a").spec),
    listeners: [{
      onLoadBefore: () => {
        throw new PluginException("not now", { namespace: NS });
      },
    }],
  });
  await assert.rejects(manager.load("a"), (error: unknown) => {
    assert.ok(error instanceof PluginException);
    assert.equal((error.cause as Error).message, "not now");
    return true;
  });
  assert.equal(await manager.isLoaded("a"), false);
});

Deno.test("PluginManager disables a plugin when onResolveException, onInitException or onLoadException throws PluginDisabled, as plux does", async (t) => {
  const cases = [
    {
      event: "onResolveException",
      item: (): PluginEntry => ({
        namespace: NS,
        name: "bad",
        resolve: () => Promise.reject(new Error("module not found")),
      }),
    },
    {
      event: "onInitException",
      item: () => countingSpec(NS, "bad", { failInit: () => true }),
    },
    {
      event: "onLoadException",
      item: () => countingSpec(NS, "bad", { failLoad: () => true }),
    },
  ] as const;
  for (const { event, item } of cases) {
    await t.step(event, async () => {
      const made = item();
      const counts = "counts" in made ? made.counts : undefined;
      const good = countingSpec(NS, "good");
      const manager = new PluginManager(NS, {
        finder: finderOf("spec" in made ? made.spec : made, good.spec),
        listeners: [{
          [event]: () => {
            throw new PluginDisabled(NS, "bad", "the listener said no");
          },
        }],
      });
      await assert.rejects(manager.load("bad"), (error: unknown) => {
        assert.ok(error instanceof PluginDisabled);
        assert.equal(error.reason, "the listener said no");
        assert.equal(
          error.message,
          `plugin ${NS}:bad is disabled, reason: the listener said no`,
        );
        return true;
      });
      const container = (await manager.getContainer("bad"))!;
      assert.equal(container.isDisabled, true);
      assert.equal(container.disabledReason, "the listener said no");
      const before = { ...counts };
      // Disabled now and later: nothing of the plugin runs again, and a
      // propagating loadAll() skips it like any disabled plugin.
      await assert.rejects(manager.load("bad"), PluginDisabled);
      const loaded = await manager.loadAll({ propagateExceptions: true });
      assert.equal(loaded.length, 1);
      assert.deepEqual({ ...counts }, before);
    });
  }
});

Deno.test("PluginManager keeps a successful load when onListenerError itself throws or rejects", async (t) => {
  const logged: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    for (
      const [what, onListenerError] of [
        ["throws", () => {
          throw new Error("handler broke");
        }],
        ["rejects", () => Promise.reject(new Error("handler broke"))],
      ] as const
    ) {
      await t.step(what, async () => {
        logged.length = 0;
        const manager = new PluginManager(NS, {
          finder: finderOf(countingSpec(NS, "a").spec),
          listeners: [{
            onLoadAfter: () => {
              throw new Error("listener broke");
            },
          }],
          onListenerError: onListenerError as () => void,
        });
        await manager.load("a");
        assert.equal(await manager.isLoaded("a"), true);
        await delay(5);
        assert.equal(logged.length, 1);
        assert.equal(logged[0]!.length, 1, "one line");
        assert.match(
          String(logged[0]![0]),
          /^plux: onListenerError failed while handling an error of a listener in onLoadAfter: handler broke \(at [^\n]+\); the listener's error was: listener broke \(at [^\n]+\)$/,
        );
      });
    }
  } finally {
    console.error = original;
  }
});
