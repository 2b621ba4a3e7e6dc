import assert from "node:assert/strict";
import fc from "fast-check";
import {
  formatIndex,
  INDEX_VERSION,
  type IndexEntry,
  isInsidePackage,
  isPackageName,
  isVersion,
  parseIndex,
  type PluginIndex,
  validateIndex,
} from "../../src/index/format.ts";

const FILE = "/pkg/plux.json";

/** location → [valid as subpath, valid as path] */
const LOCATIONS: [unknown, boolean, boolean][] = [
  [".", true, false],
  ["./a", true, true],
  ["./a.ts", true, true],
  ["./src/deep/a.ts", true, true],
  ["./.hidden/x.ts", true, true],
  ["./a..b.ts", true, true],
  ["./..a/x.ts", true, true],
  ["./...", true, true],
  ["./", false, false],
  ["", false, false],
  ["..", false, false],
  ["../x.ts", false, false],
  ["./..", false, false],
  ["./../x.ts", false, false],
  ["./a/../b", false, false],
  ["./a/..", false, false],
  ["./a/./b", false, false],
  ["./.", false, false],
  ["./a//b", false, false],
  ["./a/", false, false],
  ["a.ts", false, false],
  ["/abs.ts", false, false],
  ["//host/x.ts", false, false],
  ["https://x", false, false],
  ["https://x/a.ts", false, false],
  ["file:///a.ts", false, false],
  ["jsr:@a/b", false, false],
  ["npm:x", false, false],
  ["./a\\b", false, false],
  ["./..\\x.ts", false, false],
  ["./a?x", false, false],
  ["./a#x", false, false],
  ["./%2e%2e/x", false, false],
  ["./a%20b.ts", false, false],
  // URL parsing drops tabs and newlines: "./\t../x" would import "../x".
  ["./\t../\t../x.ts", false, false],
  ["./a/\n../../x.ts", false, false],
  ["./\r..", false, false],
  ["./a b.ts", false, false],
  [" ./a.ts", false, false],
  ["./a.ts ", false, false],
  ["./a\u00a0b.ts", false, false],
  ["./a\u200bb.ts", false, false],
  ["./a\u2028b.ts", false, false],
  ["./a\u0000.ts", false, false],
  ["./a\u007f.ts", false, false],
  ["./a\u0085.ts", false, false],
  ["./é/ü/名前.ts", true, true],
  [42, false, false],
  [null, false, false],
  [undefined, false, false],
  [["./a.ts"], false, false],
];

Deno.test("isInsidePackage() accepts only ./ locations that stay inside the package", async (t) => {
  for (const [location, subpath, path] of LOCATIONS) {
    await t.step(JSON.stringify(location) ?? "undefined", () => {
      assert.equal(isInsidePackage(location, "subpath"), subpath, "subpath");
      assert.equal(isInsidePackage(location, "path"), path, "path");
    });
  }
});

function index(entries: unknown[], extra: Record<string, unknown> = {}) {
  return { version: 1, plugins: { "t.ns": entries }, ...extra };
}

Deno.test("validateIndex() keeps an entry only when its subpath and path stay inside the package", async (t) => {
  for (const [location, subpath, path] of LOCATIONS) {
    if (location === undefined) continue;
    await t.step(JSON.stringify(location), () => {
      const kinds: [string, boolean][] = [["subpath", subpath], [
        "path",
        path,
      ]];
      for (const [kind, valid] of kinds) {
        const entry = { name: "p", export: "P", [kind]: location };
        const { index: parsed, problems } = validateIndex(index([entry]), FILE);
        assert.equal(parsed.plugins["t.ns"]!.length, valid ? 1 : 0, kind);
        assert.equal(problems.length, valid ? 0 : 1, kind);
        if (!valid) {
          assert.ok(problems[0] instanceof SyntaxError);
          assert.match(
            problems[0]!.message,
            new RegExp(
              `^/pkg/plux\\.json: plugin t\\.ns:p has ${kind} [^]*(points outside its package|holds whitespace or a control character)[^]*plux:index`,
            ),
          );
        }
      }
    });
  }
});

Deno.test("parseIndex() throws SyntaxError naming the file when the text is not a version 1 index", async (t) => {
  const cases: [string, string, RegExp][] = [
    [
      "text that is not JSON",
      "{ version: 1",
      /\/pkg\/plux\.json is not valid JSON/,
    ],
    [
      "a truncated index",
      JSON.stringify(index([])).slice(0, -2),
      /not valid JSON/,
    ],
    [
      "text over two lines that JSON.parse quotes in its message",
      "not json\nat all",
      /is not valid JSON \(Unexpected token .*"not json at all" is not valid JSON\); regenerate/,
    ],
    ["an array", "[]", /expected a JSON object/],
    ["null", "null", /expected a JSON object/],
    ["a string", '"plux"', /expected a JSON object/],
    [
      "no version",
      '{"plugins":{}}',
      /index version undefined, but this @plux\/core reads version 1/,
    ],
    [
      "version 2",
      '{"version":2,"plugins":{}}',
      /index version 2, but this @plux\/core reads version 1/,
    ],
    ["version 0", '{"version":0,"plugins":{}}', /index version 0/],
    ['version "1"', '{"version":"1","plugins":{}}', /index version "1"/],
    ["no plugins", '{"version":1}', /"plugins" must be an object/],
    [
      "plugins an array",
      '{"version":1,"plugins":[]}',
      /"plugins" must be an object/,
    ],
    [
      "plugins null",
      '{"version":1,"plugins":null}',
      /"plugins" must be an object/,
    ],
  ];
  for (const [label, text, pattern] of cases) {
    await t.step(label, () => {
      const error = (() => {
        try {
          parseIndex(text, FILE);
        } catch (error) {
          return error;
        }
      })();
      assert.ok(error instanceof SyntaxError, `${label} throws SyntaxError`);
      assert.match(error.message, pattern);
      assert.match(error.message, /\/pkg\/plux\.json/);
      assert.match(error.message, /deno task plux:index/);
      assert.doesNotMatch(error.message, /\n/, "one line");
    });
  }
});

Deno.test("validateIndex() leaves out each bad entry or namespace, reports it, and keeps the rest", async (t) => {
  const good = { name: "good", export: "Good", path: "./good.ts" };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      "a namespace that is not a list",
      { "t.bad": { name: "x" } },
      /namespace "t\.bad" must be a non-empty name holding a list/,
    ],
    ["a namespace that is a string", { "t.bad": "x" }, /namespace "t\.bad"/],
    [
      "an empty namespace",
      { "": [good] },
      /namespace "" must be a non-empty name/,
    ],
    [
      "an entry that is not an object",
      { "t.bad": [null] },
      /plugin t\.bad\[0\] is not an object/,
    ],
    [
      "an entry that is an array",
      { "t.bad": [[good]] },
      /plugin t\.bad\[0\] is not an object/,
    ],
    [
      "an entry without a name",
      { "t.bad": [{ export: "X", path: "./x.ts" }] },
      /plugin t\.bad\[0\] has no name/,
    ],
    ["an entry with an empty name", {
      "t.bad": [{ name: "", export: "X", path: "./x.ts" }],
    }, /plugin t\.bad: has no name/],
    ["an entry with a numeric name", {
      "t.bad": [{ name: 7, export: "X", path: "./x.ts" }],
    }, /plugin t\.bad\[0\] has no name/],
    [
      "an entry without an export",
      { "t.bad": [{ name: "x", path: "./x.ts" }] },
      /plugin t\.bad:x has no export/,
    ],
    ["an entry with an empty export", {
      "t.bad": [{ name: "x", export: "", path: "./x.ts" }],
    }, /plugin t\.bad:x has no export/],
    ["an entry without subpath and path", {
      "t.bad": [{ name: "x", export: "X" }],
    }, /plugin t\.bad:x has neither a subpath nor a path/],
    ["a subpath that is not a string", {
      "t.bad": [{ name: "x", export: "X", subpath: 1 }],
    }, /plugin t\.bad:x has subpath 1/],
    [
      "a null path",
      { "t.bad": [{ name: "x", export: "X", path: null }] },
      /plugin t\.bad:x has path null/,
    ],
    ["a good subpath with a bad path", {
      "t.bad": [{ name: "x", export: "X", subpath: "./x", path: "../x.ts" }],
    }, /has path "\.\.\/x\.ts"/],
    ["metadata that is an array", {
      "t.bad": [{ name: "x", export: "X", path: "./x.ts", metadata: [1] }],
    }, /plugin t\.bad:x has metadata that is not an object/],
    ["metadata that is a string", {
      "t.bad": [{ name: "x", export: "X", path: "./x.ts", metadata: "d" }],
    }, /metadata that is not an object/],
    ["metadata that is null", {
      "t.bad": [{ name: "x", export: "X", path: "./x.ts", metadata: null }],
    }, /metadata that is not an object/],
    ["requires that is a string", {
      "t.bad": [{ name: "x", export: "X", path: "./x.ts", requires: "db" }],
    }, /plugin t\.bad:x has requires that is not a list of plugin names/],
    ["requires holding an empty name", {
      "t.bad": [{ name: "x", export: "X", path: "./x.ts", requires: [""] }],
    }, /plugin t\.bad:x has requires that is not a list/],
    ["after that is an object", {
      "t.bad": [{ name: "x", export: "X", path: "./x.ts", after: { a: 1 } }],
    }, /plugin t\.bad:x has after that is not a list of plugin names/],
    ["after holding a number", {
      "t.bad": [{ name: "x", export: "X", path: "./x.ts", after: ["a", 1] }],
    }, /plugin t\.bad:x has after that is not a list/],
    ["after that is null", {
      "t.bad": [{ name: "x", export: "X", path: "./x.ts", after: null }],
    }, /plugin t\.bad:x has after that is not a list/],
  ];
  for (const [label, plugins, pattern] of cases) {
    await t.step(label, () => {
      const { index: parsed, problems } = validateIndex(
        { version: 1, plugins: { "t.ok": [good], ...plugins } },
        FILE,
      );
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.ok(problems[0] instanceof SyntaxError);
      assert.match(problems[0]!.message, pattern);
      assert.match(problems[0]!.message, /^\/pkg\/plux\.json: /);
      assert.match(problems[0]!.message, /deno task plux:index/);
      assert.deepEqual(parsed.plugins["t.ok"], [good]);
      for (const entries of Object.values(parsed.plugins)) {
        for (const entry of entries) assert.equal(entry.name, "good");
      }
    });
  }
});

Deno.test("validateIndex() keeps the first of two plugins of one name in a namespace and reports the second", async (t) => {
  for (const size of [3, 40]) {
    await t.step(`${size} entries`, () => {
      const entries = Array.from({ length: size }, (_, i) => ({
        name: `p${i}`,
        export: `E${i}`,
        path: `./p${i}.ts`,
      }));
      entries.splice(2, 0, { name: "p1", export: "Second", path: "./x.ts" });
      entries.push({ name: "p0", export: "Third", path: "./y.ts" });
      const other = { name: "p1", export: "Other", path: "./o.ts" };
      const { index: parsed, problems } = validateIndex(
        { version: 1, plugins: { "t.ns": entries, "t.other": [other] } },
        FILE,
      );
      const kept = parsed.plugins["t.ns"]!;
      assert.equal(kept.length, size);
      assert.equal(kept.find((e) => e.name === "p1")?.export, "E1");
      assert.equal(kept.find((e) => e.name === "p0")?.export, "E0");
      assert.deepEqual(parsed.plugins["t.other"], [other], "per namespace");
      assert.deepEqual(problems.map((p) => p.message), [
        `${FILE}: plugin t.ns:p1 appears twice in this namespace; the first is used; ` +
        "regenerate it with `deno task plux:index` in that package",
        `${FILE}: plugin t.ns:p0 appears twice in this namespace; the first is used; ` +
        "regenerate it with `deno task plux:index` in that package",
      ]);
    });
  }
});

Deno.test("parseIndex() keeps a namespace called __proto__ like any other, and formatIndex() writes it", () => {
  const text =
    '{"version":1,"plugins":{"__proto__":[{"name":"p","export":"P","path":"./p.ts"}]}}';
  const { index: parsed, problems } = parseIndex(text, FILE);
  assert.deepEqual(problems, []);
  assert.deepEqual(Object.keys(parsed.plugins), ["__proto__"]);
  assert.equal(parsed.plugins["__proto__"]![0]!.name, "p");
  assert.match(formatIndex(parsed), /"__proto__": \[\n\s+\{\n\s+"name": "p"/);
});

Deno.test("validateIndex() ignores fields it does not know, so later versions of format 1 can add them", () => {
  const entry = {
    name: "p",
    export: "P",
    path: "./p.ts",
    since: "2.0",
    tags: ["x"],
  };
  const { index: parsed, problems } = validateIndex({
    version: 1,
    generator: "plux 9",
    package: { name: "@t/p", version: "1.0.0", homepage: "https://e.test" },
    plugins: { "t.ns": [entry] },
    signatures: [],
  }, FILE);
  assert.deepEqual(problems, []);
  assert.deepEqual(parsed.package, { name: "@t/p", version: "1.0.0" });
  assert.equal(parsed.plugins["t.ns"]![0]!.name, "p");
  assert.equal(parsed.plugins["t.ns"]![0]!.path, "./p.ts");
  assert.doesNotMatch(formatIndex(parsed), /generator|homepage|since|tags/);
});

Deno.test("validateIndex() reports and ignores a package name that is not a package name", async (t) => {
  for (
    const bad of [
      "data:text/javascript,globalThis.pwned=1",
      "https://evil.example/x.ts",
      "file:///etc/passwd",
      "./local",
      "../up",
      "/abs",
      "@scope/name/extra",
      "@scope/name@1.0.0",
      "name@1",
      "jsr:@a/b",
      "npm:x",
      "with space",
      "tab\tname",
      "",
      "@/x",
      "x".repeat(215),
    ]
  ) {
    await t.step(JSON.stringify(bad.slice(0, 40)), () => {
      const { index: parsed, problems } = validateIndex(
        { version: 1, package: { name: bad, version: "1.0.0" }, plugins: {} },
        FILE,
      );
      assert.equal(parsed.package?.name, undefined);
      assert.equal(parsed.package?.version, "1.0.0");
      assert.equal(problems.length, 1);
      assert.match(
        problems[0]!.message,
        /^\/pkg\/plux\.json: package name .* is not a package name \("@scope\/name" or "name"\), so it is ignored; regenerate it/,
      );
    });
  }
  for (const good of ["@scope/name", "name", "@a-b/c.d_e", "Legacy-Name"]) {
    assert.equal(isPackageName(good), true, good);
  }
});

Deno.test("validateIndex() reports a package version that is not a version, naming the index, and ignores it", () => {
  for (
    const bad of [
      "1.0.0\n  forged  @evil/pkg@6.6.6 (jsr)",
      "1.0",
      "v1.0.0",
      "1.0.0 ",
      "01.0.0",
      "1.0.0-rc\u202e",
      1,
      null,
    ]
  ) {
    const { index, problems } = validateIndex({
      version: 1,
      package: { name: "@t/p", version: bad },
      plugins: {},
    }, FILE);
    assert.deepEqual(index.package, { name: "@t/p", version: undefined });
    assert.equal(problems.length, 1, String(bad));
    assert.match(
      problems[0]!.message,
      /^\/pkg\/plux\.json: package version .* is not a version \("1\.2\.3", "1\.2\.3-rc\.1"\), so it is ignored; regenerate it/,
    );
    assert.equal(problems[0]!.message.includes("\n"), false);
  }
  for (
    const good of [
      "1.2.3",
      "0.0.0",
      "2.0.0-rc.1",
      "1.0.0+build.5",
      "1.0.0-alpha-1",
    ]
  ) {
    assert.equal(isVersion(good), true, good);
  }
});

Deno.test("isVersion() accepts only digits, dots, letters, - and +, whatever the text", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ unit: "binary", maxLength: 20 }),
        fc.stringMatching(/^[0-9.+a-z\n -]{0,12}$/),
      ),
      (text) => {
        if (!isVersion(text)) return;
        assert.match(text, /^\d+\.\d+\.\d+[0-9A-Za-z.+-]*$/, text);
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("isPackageName() accepts no URL, path or specifier, whatever the text", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ unit: "binary", maxLength: 20 }),
        fc.stringMatching(/^[@a-z:/.%\\ ]{0,12}$/),
      ),
      (text) => {
        if (!isPackageName(text)) return;
        assert.doesNotMatch(text, /[:\\%\s?#]/, text);
        assert.ok(!text.startsWith(".") && !text.startsWith("/"), text);
        assert.ok(text.split("/").length <= 2, text);
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("for any location the format accepts, resolving it against a package root stays under that root", () => {
  const roots = [
    "file:///pkg/",
    "file:///a%20%23%25%3F%C3%A9/",
    "https://h.example/p/",
  ];
  const piece = fc.constantFrom(
    ".",
    "..",
    "/",
    "\t",
    "\n",
    " ",
    "%2e",
    "%",
    "\\",
    "a",
    "é",
    "x.ts",
    "\u200b",
    "\u0000",
  );
  let accepted = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...roots),
      fc.oneof(
        fc.array(piece, { maxLength: 10 }).map((p) => `./${p.join("")}`),
        fc.string({ unit: "binary", maxLength: 12 }).map((s) => `./${s}`),
      ),
      (root, location) => {
        if (!isInsidePackage(location, "path")) return;
        accepted++;
        const resolved = new URL(location, root).href;
        // Nothing dropped or normalised away: what the index says is what is imported.
        assert.equal(decodeURI(resolved), decodeURI(root) + location.slice(2));
        assert.ok(resolved.startsWith(root), resolved);
        // A jsr:/npm: specifier (an opaque URL path) keeps it too.
        const jsr = `jsr:@s/n@1/${location.slice(2)}`;
        assert.equal(decodeURI(new URL(jsr).href), jsr);
      },
    ),
    { numRuns: 3000 },
  );
  assert.ok(accepted > 100, `only ${accepted} accepted`);
});

Deno.test("validateIndex() drops a package name or version that is not a string", () => {
  const { index: parsed } = validateIndex(
    { version: 1, package: { name: 1, version: ["1"] }, plugins: {} },
    FILE,
  );
  assert.deepEqual(parsed.package, { name: undefined, version: undefined });
  assert.equal(
    validateIndex({ version: 1, package: "x", plugins: {} }, FILE).index
      .package,
    undefined,
  );
});

const SAMPLE: PluginIndex = {
  version: 1,
  package: { name: "@t/p", version: "1.2.3" },
  plugins: {
    "t.b": [
      { name: "zeta", export: "Zeta", subpath: "./zeta", path: "./src/z.ts" },
      {
        name: "alpha",
        export: "default",
        path: "./a.ts",
        metadata: { z: 1, a: { y: [{ d: 1, c: 2 }], b: null }, m: "x" },
      },
    ],
    "t.a": [{ name: "only", export: "Only", subpath: "." }],
  },
};

/** The same index with every list and key order reversed. */
function reversed(index: PluginIndex): PluginIndex {
  const flip = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(flip)
      : typeof value === "object" && value !== null
      ? Object.fromEntries(
        Object.entries(value).reverse().map(([k, v]) => [k, flip(v)]),
      )
      : value;
  const plugins: Record<string, IndexEntry[]> = {};
  for (const namespace of Object.keys(index.plugins).reverse()) {
    plugins[namespace] = [...index.plugins[namespace]!].reverse().map((e) =>
      flip(e) as IndexEntry
    );
  }
  return { plugins, package: index.package, version: index.version };
}

Deno.test("formatIndex() writes the same bytes whatever the order of namespaces, plugins and metadata keys", () => {
  const text = formatIndex(SAMPLE);
  assert.equal(formatIndex(reversed(SAMPLE)), text);
  assert.equal(
    text,
    `{
  "version": 1,
  "package": {
    "name": "@t/p",
    "version": "1.2.3"
  },
  "plugins": {
    "t.a": [
      {
        "name": "only",
        "export": "Only",
        "subpath": "."
      }
    ],
    "t.b": [
      {
        "name": "alpha",
        "export": "default",
        "path": "./a.ts",
        "metadata": {
          "a": {
            "b": null,
            "y": [
              {
                "c": 2,
                "d": 1
              }
            ]
          },
          "m": "x",
          "z": 1
        }
      },
      {
        "name": "zeta",
        "export": "Zeta",
        "subpath": "./zeta",
        "path": "./src/z.ts"
      }
    ]
  }
}
`,
  );
});

Deno.test("parseIndex() reads back what formatIndex() wrote, and formatting it again gives the same bytes", () => {
  const text = formatIndex(SAMPLE);
  const { index: parsed, problems } = parseIndex(text, FILE);
  assert.deepEqual(problems, []);
  assert.equal(parsed.version, INDEX_VERSION);
  assert.deepEqual(parsed.package, SAMPLE.package);
  assert.deepEqual(
    Object.keys(parsed.plugins),
    Object.keys(SAMPLE.plugins).sort(),
  );
  assert.deepEqual(parsed.plugins["t.a"], SAMPLE.plugins["t.a"]);
  assert.equal(formatIndex(parsed), text);
  assert.equal(
    formatIndex(
      parseIndex(formatIndex({ version: 1, plugins: {} }), FILE).index,
    ),
    '{\n  "version": 1,\n  "plugins": {}\n}\n',
  );
});

const name = fc.stringMatching(/^[a-z][a-z0-9._-]{0,8}$/);
const version = fc.stringMatching(
  /^(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})(-[a-z0-9-]{1,5}(\.[a-z0-9-]{1,5}){0,2})?$/,
);
const location = fc.array(
  fc.stringMatching(/^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,6}$/),
  {
    minLength: 1,
    maxLength: 3,
  },
).map((segments) => `./${segments.join("/")}`);
const entry = fc.record({
  name,
  export: fc.stringMatching(/^[A-Za-z_$][\w$]{0,8}$/),
  subpath: fc.option(location, { nil: undefined }),
  path: location,
  requires: fc.option(fc.array(name, { maxLength: 3 }), { nil: undefined }),
  after: fc.option(fc.array(name, { maxLength: 3 }), { nil: undefined }),
  metadata: fc.option(fc.dictionary(name, fc.jsonValue({ maxDepth: 2 })), {
    nil: undefined,
  }),
}, { requiredKeys: ["name", "export", "path"] });
const anyIndex = fc.record({
  version: fc.constant(1),
  package: fc.option(fc.record({ name, version }), { nil: undefined }),
  plugins: fc.dictionary(
    name,
    fc.uniqueArray(entry, { selector: (e) => e.name, maxLength: 5 }),
    { maxKeys: 4 },
  ),
}, { requiredKeys: ["version", "plugins"] });

Deno.test("formatIndex() and parseIndex() round-trip any valid index to the same bytes", () => {
  fc.assert(
    fc.property(anyIndex, (index) => {
      const text = formatIndex(index);
      const { index: parsed, problems } = parseIndex(text, FILE);
      assert.deepEqual(problems, []);
      assert.equal(formatIndex(parsed), text);
      assert.equal(formatIndex(reversed(index)), text);
      const count = (i: PluginIndex) =>
        Object.values(i.plugins).reduce((n, list) => n + list.length, 0);
      assert.equal(count(parsed), count(index));
    }),
    { numRuns: 100 },
  );
});

Deno.test("formatIndex() writes requires and after sorted and without duplicates, and only when not empty", () => {
  const text = formatIndex({
    version: 1,
    plugins: {
      "t.deps": [
        {
          name: "api",
          export: "Api",
          path: "./api.ts",
          requires: ["db", "cache", "db"],
          after: ["metrics"],
        },
        { name: "db", export: "Db", path: "./db.ts", requires: [], after: [] },
      ],
    },
  });
  const written = JSON.parse(text).plugins["t.deps"];
  assert.deepEqual(written[0], {
    name: "api",
    export: "Api",
    path: "./api.ts",
    requires: ["cache", "db"],
    after: ["metrics"],
  });
  assert.deepEqual(Object.keys(written[1]), ["name", "export", "path"]);
  // Key order: where the code is, then the order, then metadata.
  assert.ok(text.indexOf('"path"') < text.indexOf('"requires"'));
  assert.ok(text.indexOf('"requires"') < text.indexOf('"after"'));
});

Deno.test("validateIndex() reads an index written before requires and after existed: its plugins declare none", () => {
  const old = {
    version: 1,
    plugins: { "t.old": [{ name: "a", export: "A", path: "./a.ts" }] },
  };
  const { index, problems } = validateIndex(old, FILE);
  assert.deepEqual(problems, []);
  const [entry] = index.plugins["t.old"]!;
  assert.equal(entry!.requires, undefined);
  assert.equal(entry!.after, undefined);
  assert.equal(formatIndex(index), formatIndex(old));
});

Deno.test("validateIndex() keeps an entry whose requires names itself: the manager reports that as a cycle", () => {
  const { index, problems } = validateIndex({
    version: 1,
    plugins: {
      "t.self": [{ name: "a", export: "A", path: "./a.ts", requires: ["a"] }],
    },
  }, FILE);
  assert.deepEqual(problems, []);
  assert.deepEqual(index.plugins["t.self"]![0]!.requires, ["a"]);
});

/** Any UTF-16 text: code points of every plane, and lone surrogates. */
const anyUtf16 = fc.string({
  unit: fc.oneof(
    {
      arbitrary: fc.constantFrom("a", "b", "é", "名", "\ud83d\ude00"),
      weight: 12,
    },
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    fc.constantFrom("/", "."),
  ),
  minLength: 1,
  maxLength: 6,
});

Deno.test("validateIndex() keeps an entry only when every name, export, path and requirement is well-formed Unicode, and names the index and the entry of each it refuses, for any UTF-16 text", () => {
  let refused = 0;
  let kept = 0;
  fc.assert(
    fc.property(
      anyUtf16,
      fc.record({
        name: anyUtf16,
        export: anyUtf16,
        subpath: fc.option(anyUtf16.map((s) => `./${s}`), { nil: undefined }),
        path: fc.option(anyUtf16.map((s) => `./${s}`), { nil: undefined }),
        requires: fc.option(fc.array(anyUtf16, { maxLength: 2 }), {
          nil: undefined,
        }),
      }),
      (namespace, entry) => {
        const file = "jsr:@s/n@^1/plux.json";
        const { index, problems } = validateIndex(
          { version: 1, plugins: { [namespace]: [entry] } },
          file,
        );
        const strings = [
          namespace,
          entry.name,
          entry.export,
          entry.subpath,
          entry.path,
          ...entry.requires ?? [],
        ].filter((s) => s !== undefined);
        const kept_ = index.plugins[namespace]?.length === 1;
        if (kept_) {
          kept++;
          for (const text of strings) assert.ok(text.isWellFormed());
          assert.equal(problems.length, 0);
          return;
        }
        refused++;
        assert.equal(problems.length, 1);
        const message = problems[0]!.message;
        assert.ok(message.startsWith(`${file}: `), message);
        // The entry is named, its lone surrogates written as escapes.
        const shown = (s: string) => JSON.stringify(s).slice(1, -1);
        assert.ok(
          message.includes(`${namespace}:`) ||
            message.includes(shown(namespace)),
          message,
        );
        // Refused for its lone surrogate when nothing else is wrong with it.
        const repaired = validateIndex({
          version: 1,
          plugins: {
            [namespace.toWellFormed()]: [{
              ...entry,
              name: entry.name.toWellFormed(),
              export: entry.export.toWellFormed(),
              subpath: entry.subpath?.toWellFormed(),
              path: entry.path?.toWellFormed(),
              requires: entry.requires?.map((s) => s.toWellFormed()),
            }],
          },
        }, file);
        if (
          repaired.problems.length === 0 &&
          !strings.every((text) => text.isWellFormed())
        ) {
          assert.match(message, /not well-formed Unicode/);
        }
      },
    ),
    { numRuns: 2000 },
  );
  assert.ok(kept > 50 && refused > 50, `kept ${kept}, refused ${refused}`);
});
