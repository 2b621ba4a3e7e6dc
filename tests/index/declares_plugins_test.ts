// declaresPlugins() over generated TypeScript: every form a plugin can be
// declared in (type arguments, modifiers, annotations, layout) is seen, and
// the same text commented out, or the names used otherwise, is not.
import assert from "node:assert/strict";
import fc from "fast-check";
import { declaresPlugins } from "../../src/index/declares_plugins.ts";

const space = fc.constantFrom(" ", "  ", "\n", "\n  ", "\t", " \n\t");
const gap = fc.oneof(fc.constant(""), space);
const typeArgs = fc.constantFrom(
  "",
  "<Greeter>",
  "<Greeter<string>>",
  "<() => Greeter>",
  "<Record<string, (x: number) => void>>",
  "<[string, number]>",
  "<typeof Greeter>",
);
const qualifier = fc.constantFrom("", "plux.", "lib.plux.");
const value = fc.constantFrom(
  '"english"',
  "'a'",
  "`b`",
  "NAME",
  '"x" as const',
);

/** `new PluginSpec...(`, with type arguments and layout varied. */
const newSpec = fc.tuple(space, qualifier, gap, typeArgs, gap, value).map(
  ([s, q, g1, t, g2, v]) =>
    `export const spec = new${s}${q}PluginSpec${g1}${t}${g2}("ns",${v}, () => new Greeter());`,
);

/** A class's static `pluginName`, with TypeScript's modifiers in their order. */
const staticName = fc.tuple(
  fc.constantFrom("", "public ", "protected ", "private "),
  fc.constantFrom("", "override ", "readonly ", "override readonly "),
  fc.constantFrom("", "?", "!"),
  fc.constantFrom("", ": string", ':"a" | "b"', ": Name", " : string"),
  gap,
  gap,
  value,
  fc.boolean(),
).map(([access, mods, mark, type, g1, g2, v, getter]) =>
  getter
    ? `class A extends Plugin {\n  ${access}static ${
      mods.replace("readonly ", "")
    }get${g1 === "" ? " " : g1}pluginName()${type} { return ${v}; }\n}`
    : `class A extends Plugin {\n  ${access}static ${mods}pluginName${mark}${type}${g1}=${g2}${v};\n}`
);

/** `plugin(...)` with an options object holding `namespace`. */
const pluginCall = fc.tuple(
  qualifier,
  typeArgs,
  gap,
  fc.shuffledSubarray(
    ['name: "a"', "load: () => { return 1; }", "shouldLoad() { return true; }"],
  ),
  fc.constantFrom('namespace: "ns"', "namespace", "namespace : NS"),
  fc.nat(3),
  space,
).map(([q, t, g, others, ns, at, s]) => {
  const entries = [...others];
  entries.splice(Math.min(at, entries.length), 0, ns);
  return `export const f = ${q}plugin${t}${g}({${s}${
    entries.join(`,${s}`)
  }${s}}, function f() {});`;
});

const declaration = fc.oneof(newSpec, staticName, pluginCall);

/** Code around a declaration: imports, other statements, strings with `//`. */
const around = fc.constantFrom(
  "",
  'import { Plugin, PluginSpec, plugin } from "@plux/core";\n',
  'const url = "https://example.com/a//b"; // a comment\n',
  "/** Greets. */\n",
);

Deno.test("declaresPlugins() sees every TypeScript form of a plugin declaration", () => {
  fc.assert(
    fc.property(around, declaration, around, (before, code, after) => {
      assert.ok(declaresPlugins(before + code + after), code);
    }),
    { numRuns: 500 },
  );
});

Deno.test("declaresPlugins() ignores declarations in comments, and the names used otherwise", () => {
  const commented = declaration.chain((code) =>
    fc.constantFrom(
      code.split("\n").map((line) => `// ${line}`).join("\n"),
      `/* ${code.replaceAll("*/", "")} */`,
      `/**\n * @example\n * ${
        code.replaceAll("*/", "").split("\n").join("\n * ")
      }\n */`,
    )
  );
  const otherUses = fc.constantFrom(
    "const spec: PluginSpec<Greeter> = make();",
    'import { PluginSpec } from "@plux/core";',
    "type S = PluginSpec<Greeter>;",
    'this.pluginName = "a";',
    "class A { pluginName = 'a'; }",
    "class A { static namespace = 'ns'; }",
    'export const f = plugin({ name: "a" }, function f() {});',
    "export const f = plugin(options, function f() {});",
    "export function plugin() {}",
    'const text = "static pluginName = 1";',
  );
  fc.assert(
    fc.property(around, fc.oneof(commented, otherUses), (before, code) => {
      assert.ok(!declaresPlugins(before + code), code);
    }),
    { numRuns: 300 },
  );
});
