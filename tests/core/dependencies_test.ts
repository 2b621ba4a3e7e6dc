// requires and after, declared three ways: a PluginSpec option, static fields
// of a plugin class, plugin() options. Same names, same meaning, same checks.
import assert from "node:assert/strict";
import fc from "fast-check";
import { Plugin, plugin, PluginSpec, PluginSpecResolver } from "../../mod.ts";

const NS = "test.deps";
const resolver = new PluginSpecResolver();

class Noop extends Plugin {}

/** Declares plugin `name` with `declared` in each of the three forms. */
const FORMS: Record<
  string,
  (
    name: string,
    declared: { requires?: unknown; after?: unknown },
  ) => PluginSpec
> = {
  "PluginSpec option": (name, declared) =>
    new PluginSpec(NS, name, () => new Noop(), declared as never),
  "static fields of a Plugin class": (name, declared) => {
    class Declared extends Plugin {
      static namespace = NS;
      static pluginName = name;
      static requires = declared.requires;
      static after = declared.after;
    }
    return resolver.resolve(Declared);
  },
  "plugin() option": (name, declared) =>
    resolver.resolve(
      plugin({ namespace: NS, name, ...declared } as never, () => name),
    ),
};

for (const [form, declare] of Object.entries(FORMS)) {
  Deno.test(`${form}: requires and after are kept sorted, without duplicates, frozen; none by default`, () => {
    const spec = declare("api", {
      requires: ["db", "cache", "db"],
      after: ["metrics"],
    });
    assert.deepEqual(spec.requires, ["cache", "db"]);
    assert.deepEqual(spec.after, ["metrics"]);
    assert.ok(Object.isFrozen(spec.requires) && Object.isFrozen(spec.after));
    const plain = declare("plain", {});
    assert.deepEqual([plain.requires, plain.after], [[], []]);
  });

  Deno.test(`${form}: a malformed requires or after is a TypeError naming the plugin, the field and the fix`, async (t) => {
    const bad: [string, unknown][] = [
      ["a string", "db"],
      ["an object", { db: true }],
      ["null", null],
      ["a number in the list", ["db", 3]],
      ["an empty name", ["db", ""]],
      ["a nested list", [["db"]]],
    ];
    for (const field of ["requires", "after"]) {
      for (const [label, value] of bad) {
        await t.step(`${field}: ${label}`, () => {
          assert.throws(
            () => declare("api", { [field]: value }),
            (error: unknown) => {
              assert.ok(error instanceof TypeError);
              assert.match(error.message, new RegExp(`${NS}:api`));
              assert.match(
                error.message,
                new RegExp(`${field} must be an array`),
              );
              assert.match(error.message, /for example \["db"\]/);
              assert.ok(!error.message.includes("\n"));
              return true;
            },
          );
        });
      }
      await t.step(`${field}: the plugin itself`, () => {
        assert.throws(
          () => declare("api", { [field]: ["db", "api"] }),
          new RegExp(`${field} names the plugin itself \\("api"\\); remove it`),
        );
      });
    }
  });
}

Deno.test("a Plugin class inherits static requires and after from its base class, and may override them", () => {
  abstract class NeedsDb extends Plugin {
    static namespace = NS;
    static requires = ["db"];
  }
  class Api extends NeedsDb {
    static pluginName = "api";
  }
  class Jobs extends NeedsDb {
    static pluginName = "jobs";
    static override requires = ["db", "queue"];
  }
  assert.deepEqual(resolver.resolve(Api).requires, ["db"]);
  assert.deepEqual(resolver.resolve(Jobs).requires, ["db", "queue"]);
});

Deno.test("plugin() checks requires and after when it is called, not when the plugin is resolved", () => {
  assert.throws(
    () => plugin({ namespace: NS, requires: "db" as never }, function api() {}),
    /plugin\(\) test\.deps:api: requires must be an array/,
  );
});

Deno.test("PluginSpec keeps any list of non-empty names as a sorted set (fast-check)", () => {
  const name = fc.string({ minLength: 1, maxLength: 4 });
  fc.assert(
    fc.property(fc.array(name), fc.array(name), (requires, after) => {
      const self = "\u0000self";
      const spec = new PluginSpec(NS, self, () => new Noop(), {
        requires,
        after,
      });
      for (
        const [kept, given] of [[spec.requires, requires], [
          spec.after,
          after,
        ]] as const
      ) {
        assert.deepEqual(new Set(kept), new Set(given));
        assert.equal(kept.length, new Set(given).size);
        assert.deepEqual(
          [...kept],
          [...kept].sort((a, b) => a < b ? -1 : a > b ? 1 : 0),
        );
      }
    }),
  );
});
