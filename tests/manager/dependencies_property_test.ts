// For random DAGs of requires and after, with plugins that fail or disable
// themselves, loadAll() under any concurrency never starts a plugin's load()
// before what it requires or comes after has finished, runs each load()
// once, and loads exactly the plugins whose requirements all loaded.
import assert from "node:assert/strict";
import fc from "fast-check";
import { PluginManager } from "../../mod.ts";
import { type Declaration, FORMS, newLog } from "./_declared.ts";
import { finderOf } from "./_helpers.ts";

const NS = "test.dag";

/** A random DAG: plugin i may only name plugins below i (and missing ones). */
const dags = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.array(
    fc.record({
      requires: fc.uniqueArray(fc.integer({ min: 0, max: n }), {
        maxLength: 3,
      }),
      after: fc.uniqueArray(fc.integer({ min: 0, max: n }), { maxLength: 3 }),
      outcome: fc.constantFrom("ok", "ok", "ok", "fail", "disabled"),
      wait: fc.integer({ min: 0, max: 3 }),
    }),
    { minLength: n, maxLength: n },
  ).map((rows) =>
    rows.map((row, i): [string, Declaration] => {
      // Plugin n does not exist: naming it names a missing plugin.
      const below = (to: number) => to < i || to === rows.length;
      return [`p${i}`, {
        requires: row.requires.filter(below).map((to) => `p${to}`),
        after: row.after.filter(below).map((to) => `p${to}`),
        fail: row.outcome === "fail" ? () => true : undefined,
        shouldLoad: row.outcome !== "disabled",
        wait: row.wait,
      }];
    })
  )
);

Deno.test("PluginManager.loadAll() on random DAGs, any concurrency, any form: nothing loads before what it requires or comes after, each load() runs once (fast-check)", async () => {
  await fc.assert(
    fc.asyncProperty(
      dags,
      fc.constantFrom(1, 2, 3, 8, Infinity),
      fc.constantFrom(...Object.keys(FORMS)),
      async (plugins, concurrency, form) => {
        const log = newLog();
        const manager = new PluginManager(NS, {
          finder: finderOf(
            ...plugins.map(([name, declared]) =>
              FORMS[form]!(NS, name, declared, log)
            ),
          ),
          reportProblems: false,
        });
        await manager.loadAll({ concurrency });
        const at = (event: string) => log.events.indexOf(event);
        const declared = new Map(plugins);
        // Whether a plugin's requirements (all the way down) load.
        const loads = (name: string): boolean => {
          const plugin = declared.get(name);
          return plugin !== undefined && plugin.fail === undefined &&
            plugin.shouldLoad !== false && plugin.requires!.every(loads);
        };
        for (const [name, plugin] of plugins) {
          const started = at(`start ${name}`);
          const reachable = plugin.shouldLoad !== false &&
            plugin.requires!.every(loads);
          assert.equal(started >= 0, reachable, `${name} started`);
          assert.equal(await manager.isLoaded(name), loads(name), name);
          assert.ok((log.loads.get(name) ?? 0) <= 1, `${name} loaded once`);
          if (started < 0) continue;
          for (const other of [...plugin.requires!, ...plugin.after!]) {
            const finished = Math.max(at(`end ${other}`), at(`fail ${other}`));
            if (declared.get(other)?.shouldLoad === false) continue;
            if (!declared.has(other)) continue;
            if (!plugin.requires!.includes(other) && at(`start ${other}`) < 0) {
              continue; // an after plugin that never started (disabled)
            }
            assert.ok(
              finished >= 0 && finished < started,
              `${name} started before ${other} finished: ${log.events}`,
            );
          }
        }
      },
    ),
    { numRuns: 150 },
  );
});
