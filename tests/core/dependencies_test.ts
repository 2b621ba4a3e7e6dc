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

/** How each form's messages name the declaration. */
const OWNERS: Record<string, string> = {
  "PluginSpec option": `PluginSpec ${NS}:api`,
  "static fields of a Plugin class": `Plugin class Declared (${NS}:api)`,
  "plugin() option": `plugin() ${NS}:api`,
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
      ["an array of empty slots (new Array(2))", new Array(2)],
      // deno-lint-ignore no-sparse-arrays
      ["an empty slot after a name", ["db", ,]],
      ["undefined in the list", ["db", undefined]],
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
      for (const [label, value] of bad) {
        await t.step(
          `${field}: ${label}, named by the declaration itself`,
          () => {
            assert.throws(
              () => declare("api", { [field]: value }),
              (error: unknown) =>
                error instanceof TypeError &&
                error.message.startsWith(`${OWNERS[form]}: `),
            );
          },
        );
      }
      const names: [string, unknown, RegExp][] = [
        ["a blank name", ["db", "  "], /\[1\] is " {2}", a blank name/],
        ["a tab", ["\t"], /\[0\] is "\\t", a blank name/],
        [
          "a name of the same namespace, written with it",
          [`${NS}:db`],
          new RegExp(`\\[0\\] is "${NS}:db", which holds ":"; .*: write "db"`),
        ],
        [
          "a name of another namespace",
          ["other.ns:db"],
          /which holds ":"; .*a plugin cannot require or come after one of another namespace/,
        ],
      ];
      for (const [label, value, pattern] of names) {
        await t.step(`${field}: ${label}`, () => {
          assert.throws(
            () => declare("api", { [field]: value }),
            (error: unknown) => {
              assert.ok(error instanceof TypeError);
              assert.ok(error.message.startsWith(`${OWNERS[form]}: `));
              assert.match(error.message, pattern);
              assert.match(
                error.message,
                /names are plugin names in the same namespace/,
              );
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
  const name = fc.string({ minLength: 1, maxLength: 4 }).filter((n) =>
    n.trim() !== "" && !n.includes(":")
  );
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

Deno.test('PluginSpec refuses any list holding a blank name, a name with ":" or an empty slot (fast-check)', () => {
  const good = fc.string({ minLength: 1, maxLength: 4 }).filter((n) =>
    n.trim() !== "" && !n.includes(":")
  );
  const bad = fc.oneof(
    fc.stringMatching(/^\s+$/),
    fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}:${b}`),
    fc.constant(undefined),
    fc.constant(""),
  );
  fc.assert(
    fc.property(
      fc.array(good),
      bad,
      fc.nat(),
      fc.boolean(),
      (names, wrong, at, hole) => {
        const list: unknown[] = [...names];
        const i = at % (list.length + 1);
        list.splice(i, 0, wrong);
        if (hole) delete list[i];
        assert.throws(
          () =>
            new PluginSpec(NS, "me", () => new Noop(), {
              after: list as string[],
            }),
          (error: unknown) =>
            error instanceof TypeError &&
            error.message.startsWith(`PluginSpec ${NS}:me: `) &&
            !error.message.includes("\n"),
        );
      },
    ),
  );
});

Deno.test("PluginSpec and plugin() refuse options that are not an object, with a TypeError naming the declaration", async (t) => {
  for (const options of [null, "x", 5, ["db"]]) {
    await t.step(JSON.stringify(options), () => {
      assert.throws(
        () => new PluginSpec(NS, "me", () => new Noop(), options as never),
        new RegExp(
          `^TypeError: PluginSpec ${NS}:me: options must be an object such as \\{ requires: \\["db"\\] \\}, got ${
            options === "x"
              ? '"x"'
              : Array.isArray(options)
              ? '\\["db"\\]'
              : String(options)
          }$`,
        ),
      );
      assert.throws(
        () => plugin(options as never, function me() {}),
        /^TypeError: plugin\(\): options must be an object such as \{ namespace: "my\.ns" \}, got /,
      );
    });
  }
});

Deno.test("plux's resolver names a plugin class whose static requires has an empty slot, at resolve", () => {
  class Holey extends Plugin {
    static namespace = NS;
    static pluginName = "holey";
    static requires = new Array(1);
  }
  assert.throws(
    () => resolver.resolve(Holey),
    new RegExp(
      `^TypeError: Plugin class Holey \\(${NS}:holey\\): static requires must be an array .*static requires\\[0\\] is an empty slot`,
    ),
  );
});
