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
          "a name with a space before it",
          ["cache", " db"],
          /\[1\] is " db", which has whitespace at its start or end; .*: write "db"$/,
        ],
        [
          "a name with a line break after it",
          ["db\n"],
          /\[0\] is "db\\n", which has whitespace at its start or end; .*: write "db"$/,
        ],
        [
          "a name with a lone surrogate",
          ["db\ud800"],
          /\[0\] is "db\\ud800", which is not well-formed Unicode/,
        ],
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

Deno.test("PluginSpec keeps any list of names as a sorted set (fast-check)", () => {
  const name = fc.string({ minLength: 1, maxLength: 4 }).filter((n) =>
    n.trim() === n && !n.includes(":")
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

Deno.test('PluginSpec refuses any list holding a blank or padded name, a name with ":" or an empty slot (fast-check)', () => {
  const good = fc.string({ minLength: 1, maxLength: 4 }).filter((n) =>
    n.trim() === n && !n.includes(":")
  );
  const bad = fc.oneof(
    fc.stringMatching(/^\s+$/),
    good.map((n) => ` ${n}`),
    good.map((n) => `${n}\n`),
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

/**
 * The rule, written out plainly: what `requires` or `after` of plugin `self`
 * may hold. Names are plugin names of the same namespace: strings, not
 * empty, without `:`, without whitespace at either end, well-formed, not the
 * plugin itself; no empty slots.
 */
function isNameList(value: unknown, self: string): boolean {
  if (value === undefined) return true;
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) return false;
    const name: unknown = value[i];
    if (
      typeof name !== "string" || name === "" || name.trim() !== name ||
      name.includes(":") || !name.isWellFormed() || name === self
    ) {
      return false;
    }
  }
  return true;
}

/** Names and near-names, with lone surrogates and every kind of whitespace. */
const nameLike = fc.oneof(
  fc.constantFrom(
    "db",
    "cache",
    "api",
    "d b",
    " db",
    "db ",
    "\tdb",
    "db\u00a0",
    "",
    " ",
    "\u2028",
    "d\u2028b",
    "\u0085db",
    `${NS}:db`,
    "other.ns:db",
    ":",
    "\ud800",
    "db\udfff",
  ),
  fc.string({ maxLength: 4 }),
  fc.string({ unit: "binary", maxLength: 3 }),
);

/** Any value, and lists (dense, sparse, mixed) of near-names. */
const listLike = fc.oneof(
  fc.anything(),
  fc.array(nameLike, { maxLength: 5 }),
  fc.sparseArray(nameLike, { maxLength: 5 }),
  fc.array(fc.oneof(nameLike, fc.anything()), { maxLength: 4 }),
);

for (const [form, declare] of Object.entries(FORMS)) {
  Deno.test(`${form}: any value as requires or after is kept as a sorted set when it is a list of names, else a one-line TypeError naming the plugin, the field and the fix (fast-check)`, () => {
    fc.assert(
      fc.property(
        listLike,
        fc.constantFrom("requires", "after") as fc.Arbitrary<
          "requires" | "after"
        >,
        (value, field) => {
          let spec: PluginSpec | undefined;
          let error: unknown;
          try {
            spec = declare("api", { [field]: value });
          } catch (e) {
            error = e;
          }
          if (isNameList(value, "api")) {
            assert.equal(error, undefined);
            const given = (value ?? []) as string[];
            assert.deepEqual(
              [...spec![field]],
              [...new Set(given)].sort((a, b) => a < b ? -1 : a > b ? 1 : 0),
            );
            return;
          }
          assert.ok(error instanceof TypeError, String(error));
          const message = error.message;
          assert.ok(message.startsWith(`${OWNERS[form]}: `), message);
          assert.ok(message.includes(field), message);
          assert.match(
            message,
            /for example \["db"\]|: write "|remove it from|cannot require or come after one of another namespace/,
          );
          assert.ok(!/[\n\r\u0085\u2028\u2029]/.test(message), message);
          assert.ok(message.length < 400, message);
        },
      ),
      { numRuns: 500 },
    );
  });
}

Deno.test("PluginSpec takes any object (or nothing) as options and refuses any other value with a one-line TypeError naming it (fast-check)", () => {
  fc.assert(
    fc.property(fc.anything(), (options) => {
      const isObject = typeof options === "object" && options !== null &&
        !Array.isArray(options);
      const declared = (isObject ? options : {}) as Record<string, unknown>;
      const valid = (options === undefined || isObject) &&
        isNameList(declared.requires, "me") &&
        isNameList(declared.after, "me");
      let error: unknown;
      try {
        new PluginSpec(NS, "me", () => new Noop(), options as never);
      } catch (e) {
        error = e;
      }
      if (valid) return assert.equal(error, undefined);
      assert.ok(error instanceof TypeError);
      assert.ok(error.message.startsWith(`PluginSpec ${NS}:me: `));
      assert.ok(!error.message.includes("\n"));
      let thrown: unknown;
      try {
        plugin(options as never, function me() {});
      } catch (e) {
        thrown = e;
      }
      if (!isObject) {
        assert.ok(thrown instanceof TypeError);
        assert.match(
          thrown.message,
          /^plugin\(\): options must be an object such as \{ namespace: "my\.ns" \}, got /,
        );
      }
    }),
    { numRuns: 500 },
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
