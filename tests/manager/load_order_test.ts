import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type OrderedPlugin,
  planLoadOrder,
} from "../../src/manager/load_order.ts";
import { requirementDisabled } from "../../src/manager/_messages.ts";

const NS = "t.order";

function p(name: string, requires: string[] = [], after: string[] = []) {
  return { name, requires, after };
}

Deno.test("planLoadOrder() without declarations is one wave in name order", () => {
  const order = planLoadOrder(NS, [p("c"), p("a"), p("b")]);
  assert.deepEqual(order.waves, [["a", "b", "c"]]);
  assert.equal(order.blocked.size, 0);
  assert.deepEqual(order.cycles, []);
});

Deno.test("planLoadOrder() puts requirements and present after plugins in earlier waves, ties by name", () => {
  const order = planLoadOrder(NS, [
    p("api", ["cache"], ["metrics"]),
    p("cache", ["db"]),
    p("db"),
    p("metrics"),
    p("jobs", [], ["nowhere"]),
    p("admin", ["api"]),
  ]);
  assert.deepEqual(order.waves, [
    ["db", "jobs", "metrics"],
    ["cache"],
    ["api"],
    ["admin"],
  ]);
  assert.equal(order.blocked.size, 0);
});

Deno.test("planLoadOrder() blocks a plugin whose requirement is missing, and its dependents, naming the fix; after a missing plugin is ignored", () => {
  const order = planLoadOrder(NS, [
    p("api", ["db", "queue"]),
    p("admin", ["api"]),
    p("jobs", [], ["api"]),
    p("queue"),
  ]);
  assert.deepEqual(order.waves, [["jobs", "queue"]]);
  assert.deepEqual([...order.blocked], [
    [
      "admin",
      "requires t.order:api, which is disabled: requires t.order:db, which " +
      "is missing: add the package that offers it to the application, or " +
      "remove it from requires",
    ],
    [
      "api",
      "requires t.order:db, which is missing: add the package that offers " +
      "it to the application, or remove it from requires",
    ],
  ]);
  const two = planLoadOrder(NS, [p("api", ["db", "cache"])]);
  assert.match(
    two.blocked.get("api")!,
    /^requires t\.order:cache and t\.order:db, which are missing: add the packages that offer them/,
  );
});

Deno.test("planLoadOrder() blocks every plugin on a cycle of length 1 to 3, through requires and after, and reports each cycle once", async (t) => {
  const cases: [string, OrderedPlugin[], string][] = [
    ["length 1", [p("a", ["a"])], "t.order:a → t.order:a (a requires a)"],
    [
      "length 2, requires and after",
      [p("a", ["b"]), p("b", [], ["a"])],
      "t.order:a → t.order:b → t.order:a (a requires b; b after a)",
    ],
    [
      "length 3, after only",
      [p("c", [], ["a"]), p("a", [], ["b"]), p("b", [], ["c"])],
      "t.order:a → t.order:b → t.order:c → t.order:a " +
      "(a after b; b after c; c after a)",
    ],
  ];
  for (const [label, plugins, cycle] of cases) {
    await t.step(label, () => {
      const order = planLoadOrder(NS, [
        ...plugins,
        p("free"),
        p("needs", [plugins[0]!.name]),
        p("later", [], [plugins[0]!.name]),
      ]);
      const names = plugins.map((x) => x.name).sort();
      const reason = `on a load-order cycle: ${cycle}; remove one of these ` +
        "requires/after declarations";
      for (const name of names) assert.equal(order.blocked.get(name), reason);
      assert.equal(
        order.blocked.get("needs"),
        `requires t.order:${plugins[0]!.name}, which is disabled: ${reason}`,
      );
      assert.deepEqual(order.waves, [["free", "later"]]);
      assert.equal(order.cycles.length, 1);
      assert.ok(order.cycles[0]!.includes(cycle), order.cycles[0]);
      assert.match(
        order.cycles[0]!,
        new RegExp(
          `^plugins? ${
            names.map((n) => `t\\.order:${n}`).join(", ")
          } (is|are) disabled, `,
        ),
      );
    });
  }
});

Deno.test("planLoadOrder() tells each plugin of tangled cycles the shortest cycle through it", () => {
  const order = planLoadOrder(NS, [
    p("a", ["b"]),
    p("b", ["c"]),
    p("c", ["a", "b"]),
  ]);
  assert.match(
    order.blocked.get("a")!,
    /t\.order:a → t\.order:b → t\.order:c → t\.order:a /,
  );
  assert.match(
    order.blocked.get("b")!,
    /t\.order:b → t\.order:c → t\.order:b /,
  );
  assert.equal(order.cycles.length, 1);
});

Deno.test("planLoadOrder() uses the first of two plugins with one name", () => {
  const order = planLoadOrder(NS, [p("a", ["b"]), p("a"), p("b")]);
  assert.deepEqual(order.waves, [["b"], ["a"]]);
});

Deno.test("planLoadOrder() handles a chain of 20,000 plugins and keeps each reason short", () => {
  const chain = Array.from(
    { length: 20_000 },
    (_, i) => p(`p${i}`, i === 0 ? ["missing"] : [`p${i - 1}`]),
  );
  const order = planLoadOrder(NS, chain);
  assert.equal(order.blocked.size, 20_000);
  const last = order.blocked.get("p19999")!;
  assert.ok(last.length <= 600, `${last.length}`);
  assert.ok(last.startsWith("requires t.order:p19998, which is disabled: "));
  assert.ok(last.endsWith("remove it from requires"), last);
  const ok = planLoadOrder(NS, chain.map((x, i) => i === 0 ? p("p0") : x));
  assert.equal(ok.waves.length, 20_000);
  const cycle = planLoadOrder(
    NS,
    chain.map((x, i) => i === 0 ? p("p0", ["p19999"]) : x),
  );
  assert.equal(cycle.blocked.size, 20_000);
});

Deno.test("requirementDisabled() has plux's form and keeps the start and the root cause of a long chain", () => {
  assert.equal(
    requirementDisabled(NS, "db", "shouldLoad() returned false"),
    "requires t.order:db, which is disabled: shouldLoad() returned false",
  );
  const long = requirementDisabled(NS, "x", "y".repeat(1000) + " root");
  assert.ok(long.length <= 600);
  assert.ok(long.startsWith("requires t.order:x, which is disabled: yyy"));
  assert.ok(long.endsWith("y root"));
});

/** Random graphs: `n` plugins, edges to any plugin or to names nobody has. */
const graphs = (acyclic: boolean) =>
  fc.integer({ min: 1, max: 14 }).chain((n) =>
    fc.array(
      fc.record({
        requires: fc.uniqueArray(fc.integer({ min: 0, max: n + 1 }), {
          maxLength: 3,
        }),
        after: fc.uniqueArray(fc.integer({ min: 0, max: n + 1 }), {
          maxLength: 3,
        }),
      }),
      { minLength: n, maxLength: n },
    ).map((rows) =>
      rows.map((row, i) => {
        // Acyclic: edges only to lower numbers (n and n+1 are missing names).
        const keep = (to: number) => !acyclic || to < i || to >= n;
        return p(
          `p${i}`,
          row.requires.filter(keep).map((to) => `p${to}`),
          row.after.filter(keep).map((to) => `p${to}`),
        );
      })
    )
  );

Deno.test("planLoadOrder() on random DAGs: every plugin in one place, each after what it requires or comes after, blocked exactly when a requirement is missing (fast-check)", () => {
  fc.assert(
    fc.property(graphs(true), (plugins) => {
      const order = planLoadOrder(NS, plugins);
      const byName = new Map(plugins.map((x) => [x.name, x]));
      const wave = new Map<string, number>();
      order.waves.forEach((names, i) => names.forEach((n) => wave.set(n, i)));
      assert.equal(wave.size + order.blocked.size, plugins.length);
      assert.deepEqual(order.cycles, []);
      const blocked = (name: string): boolean =>
        !byName.has(name) || byName.get(name)!.requires.some(blocked);
      for (const plugin of plugins) {
        assert.equal(order.blocked.has(plugin.name), blocked(plugin.name));
        if (!wave.has(plugin.name)) continue;
        const at = wave.get(plugin.name)!;
        const before = [...plugin.requires, ...plugin.after]
          .filter((to) => wave.has(to)).map((to) => wave.get(to)!);
        for (const other of before) assert.ok(other < at);
        // Waves are levels: nothing waits longer than it must.
        assert.equal(at, before.length === 0 ? 0 : Math.max(...before) + 1);
      }
      for (const names of order.waves) {
        assert.deepEqual(names, [...names].sort());
      }
    }),
    { numRuns: 300 },
  );
});

Deno.test("planLoadOrder() on random graphs: exactly the plugins on a cycle are blocked for it, and each reason shows a real cycle through the plugin (fast-check)", () => {
  fc.assert(
    fc.property(graphs(false), (plugins) => {
      const order = planLoadOrder(NS, plugins);
      const byName = new Map(plugins.map((x) => [x.name, x]));
      const edges = (name: string) =>
        [...byName.get(name)!.requires, ...byName.get(name)!.after]
          .filter((to) => byName.has(to));
      const reaches = (from: string, to: string) => {
        const seen = new Set<string>();
        const todo = edges(from);
        while (todo.length > 0) {
          const next = todo.pop()!;
          if (next === to) return true;
          if (!seen.has(next)) {
            seen.add(next);
            todo.push(...edges(next));
          }
        }
        return false;
      };
      for (const plugin of plugins) {
        const onCycle = reaches(plugin.name, plugin.name);
        const reason = order.blocked.get(plugin.name) ?? "";
        assert.equal(reason.startsWith("on a load-order cycle: "), onCycle);
        if (!onCycle) continue;
        // A long cycle is shown with "… N more …" in its middle.
        const shown = / cycle: (.*?) \(/.exec(reason)![1]!.split(" → ")
          .map((id) => id.startsWith("… ") ? id : id.slice(NS.length + 1));
        assert.equal(shown[0], shown[shown.length - 1]);
        assert.ok(shown.includes(plugin.name));
        for (let i = 0; i + 1 < shown.length; i++) {
          const [from, to] = [shown[i]!, shown[i + 1]!];
          if (from.startsWith("… ") || to.startsWith("… ")) continue;
          assert.ok(edges(from).includes(to), reason);
        }
      }
      // What is left loads in an order that respects every edge.
      const wave = new Map<string, number>();
      order.waves.forEach((names, i) => names.forEach((n) => wave.set(n, i)));
      for (const [name, at] of wave) {
        for (const to of edges(name)) {
          if (wave.has(to)) assert.ok(wave.get(to)! < at);
          if (byName.get(name)!.requires.includes(to)) assert.ok(wave.has(to));
        }
      }
    }),
    { numRuns: 300 },
  );
});
