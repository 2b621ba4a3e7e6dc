/**
 * A property test of discovery over random workspaces whose `plux.json`
 * files mix valid and invalid entries, and some of which are wholly broken.
 * What should be found is worked out by a small model of the format rules
 * (`_model*` below), written from the format's documentation rather than
 * from its code.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { ImportMapFinder } from "../../../src/finders/import_map/import_map_finder.ts";

type Json = unknown;

function _isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function _isName(value: Json): boolean {
  return typeof value === "string" && value !== "";
}

/** `../../runtime/` then segments that are not empty, `.` or `..`, without `\ ? # %`; a subpath may be `.`. */
function _modelLocation(value: Json, kind: "subpath" | "path"): boolean {
  if (typeof value !== "string") return false;
  if (kind === "subpath" && value === ".") return true;
  if (!value.startsWith("./")) return false;
  return value.slice(2).split("/").every((segment) =>
    segment !== "" && segment !== "." && segment !== ".." &&
    !/[\\?#%]/.test(segment)
  );
}

function _modelEntry(entry: Json): boolean {
  if (!_isObject(entry)) return false;
  if (!_isName(entry.name) || !_isName(entry.export)) return false;
  if (!("subpath" in entry) && !("path" in entry)) return false;
  if ("subpath" in entry && !_modelLocation(entry.subpath, "subpath")) {
    return false;
  }
  if ("path" in entry && !_modelLocation(entry.path, "path")) return false;
  return !("metadata" in entry) || _isObject(entry.metadata);
}

/** What discovery should make of one package's plux.json text. */
interface Expected {
  /** How many problems it should report for the package. */
  readonly problems: number;
  /** `namespace:name#export` of each plugin it should list, in order. */
  readonly plugins: readonly string[];
}

function _model(text: string | undefined): Expected {
  if (text === undefined) return { problems: 0, plugins: [] };
  let data: Json;
  try {
    data = JSON.parse(text);
  } catch {
    return { problems: 1, plugins: [] };
  }
  if (!_isObject(data) || data.version !== 1 || !_isObject(data.plugins)) {
    return { problems: 1, plugins: [] };
  }
  // A package version that is not a version is reported and ignored.
  const pkg = _isObject(data.package) ? data.package : undefined;
  let problems = typeof pkg?.version === "string" &&
      !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(pkg.version)
    ? 1
    : 0;
  const plugins: string[] = [];
  for (const [namespace, entries] of Object.entries(data.plugins)) {
    if (namespace === "" || !Array.isArray(entries)) {
      problems++;
      continue;
    }
    const seen = new Set<string>();
    for (const entry of entries) {
      if (!_modelEntry(entry)) {
        problems++;
      } else {
        const { name, export: exportName } = entry as Record<string, string>;
        if (seen.has(name!)) {
          problems++;
        } else {
          seen.add(name!);
          plugins.push(`${namespace}:${name}#${exportName}`);
        }
      }
    }
  }
  return { problems, plugins };
}

// Names from a small pool, so that duplicates within a namespace happen.
const name = fc.oneof(
  fc.constantFrom("a", "b", "c"),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,5}$/),
);
const segment = fc.stringMatching(/^\.?[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,5}$/);
const location = fc.array(segment, { minLength: 1, maxLength: 3 })
  .map((segments) => `./${segments.join("/")}`);
const escaping = fc.constantFrom(
  "",
  ".",
  "./",
  "..",
  "../x.ts",
  "./a/../../x.ts",
  "./a/./b.ts",
  "./a//b.ts",
  "x.ts",
  "/abs.ts",
  "https://e.test/x.ts",
  "jsr:@a/b",
  "./a\\..\\x.ts",
  "./%2e%2e/x.ts",
  "./a?x",
  "./a#x",
);
const json = fc.jsonValue({ maxDepth: 2 });
const FIELDS = ["name", "export", "subpath", "path", "metadata"] as const;

const validEntry = fc.record({
  name,
  export: fc.stringMatching(/^[A-Za-z_$][\w$]{0,6}$/),
  subpath: fc.option(fc.oneof(fc.constant("."), location), { nil: undefined }),
  path: fc.option(location, { nil: undefined }),
  metadata: fc.option(fc.dictionary(name, json, { maxKeys: 3 }), {
    nil: undefined,
  }),
}, { requiredKeys: ["name", "export"] }).map((entry) =>
  entry.subpath === undefined && entry.path === undefined
    ? { ...entry, path: "./mod.ts" }
    : entry
);

type Entry = Record<string, Json>;
const mutation = fc.oneof(
  fc.constantFrom(...FIELDS, "subpath+path").map((field) => (e: Entry) => {
    const copy = { ...e };
    for (const key of field.split("+")) delete copy[key];
    return copy;
  }),
  fc.tuple(fc.constantFrom(...FIELDS), json).map(
    ([field, value]) => (e: Entry) => ({ ...e, [field]: value }),
  ),
  fc.tuple(fc.constantFrom("subpath", "path"), escaping).map(
    ([field, value]) => (e: Entry) => ({ ...e, [field]: value }),
  ),
);
const entry = fc.oneof(
  { arbitrary: validEntry, weight: 4 },
  {
    arbitrary: fc.tuple(validEntry, mutation).map(([e, mutate]) => mutate(e)),
    weight: 4,
  },
  { arbitrary: json, weight: 1 },
);
const plugins = fc.dictionary(
  fc.constantFrom("prop.a", "prop.b", "__proto__", ""),
  fc.oneof(
    { arbitrary: fc.array(entry, { maxLength: 5 }), weight: 8 },
    { arbitrary: json, weight: 1 },
  ),
  { maxKeys: 3 },
);
const shaped = fc.record({
  version: fc.constant<Json>(1),
  package: fc.option(
    fc.record({
      name,
      version: fc.constantFrom("1.0.0", "0.2.0-rc.1", "1.0", "1.0.0\nx"),
    }),
    { nil: undefined },
  ),
  plugins,
  generator: fc.option(json, { nil: undefined }),
}, { requiredKeys: ["version", "plugins"] });
const text = (data: Json, indent: number) => JSON.stringify(data, null, indent);

/** A package's plux.json text, or `undefined` for a package without one. */
const indexFile = fc.oneof(
  {
    arbitrary: fc.tuple(shaped, fc.constantFrom(0, 2)).map(([d, i]) =>
      text(d, i)
    ),
    weight: 8,
  },
  {
    arbitrary: shaped.map((d) => text(d, 2)).chain((t) =>
      fc.nat(t.length - 1).map((end) => t.slice(0, end))
    ),
    weight: 1,
  },
  {
    arbitrary: fc.tuple(shaped, fc.option(json, { nil: undefined })).map((
      [d, version],
    ) => text({ ...d, version }, 0)),
    weight: 1,
  },
  { arbitrary: json.map((d) => text(d, 0)), weight: 1 },
  { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
  { arbitrary: fc.constant(undefined), weight: 1 },
);

/** The export of a `<module>#<export>` value: module specifiers hold no `#`, exports may. */
function _exportOf(value: string): string {
  return value.slice(value.indexOf("#") + 1);
}

async function writeWorkspace(
  dir: string,
  files: readonly (string | undefined)[],
): Promise<string> {
  await Deno.mkdir(dir);
  for (const [i, file] of files.entries()) {
    const member = join(dir, `m${i}`);
    await Deno.mkdir(member);
    await Deno.writeTextFile(
      join(member, "deno.json"),
      JSON.stringify({ name: `@prop/m${i}`, version: "1.0.0" }),
    );
    if (file !== undefined) {
      await Deno.writeTextFile(join(member, "plux.json"), file);
    }
  }
  const config = join(dir, "deno.json");
  await Deno.writeTextFile(
    config,
    JSON.stringify({ workspace: files.map((_, i) => `./m${i}`) }),
  );
  return config;
}

Deno.test("ImportMapFinder.findPlugins() lists exactly the valid entries of indexes that mix valid and invalid ones, and reports each bad entry and file", async () => {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "plux_" }),
  );
  let run = 0;
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.array(indexFile, { maxLength: 5 }),
        async (files) => {
          const dir = join(root, `run${run++}`);
          const config = await writeWorkspace(dir, files);
          const expected = files.map(_model);
          const problems: Error[] = [];
          const found = await new ImportMapFinder({ config }).findPlugins({
            report: (e) => problems.push(e),
          });
          for (const problem of problems) assert.ok(problem instanceof Error);
          expected.forEach((want, i) => {
            const member = join(dir, `m${i}`) + "/";
            assert.equal(
              problems.filter((p) => p.message.includes(member)).length,
              want.problems,
              `problems of m${i} (${files[i]}):\n` +
                problems.map((p) => p.message).join("\n"),
            );
          });
          assert.equal(
            problems.length,
            expected.reduce((n, want) => n + want.problems, 0),
          );
          const all = expected.flatMap((want, i) =>
            want.plugins.map((p) => `m${i}|${p}`)
          );
          const listed = (items: Awaited<typeof found>) =>
            items.map((e) =>
              `${/\/(m\d+)\//.exec(e.source!.index!)![1]}|` +
              `${e.namespace}:${e.name}#${_exportOf(e.value!)}`
            );
          assert.deepEqual(listed(found), all);
          const narrowed = await new ImportMapFinder({ config }).findPlugins({
            namespace: "prop.a",
            report: () => {},
          });
          assert.deepEqual(
            listed(narrowed),
            all.filter((p) => p.includes("|prop.a:")),
          );
        },
      ),
      { numRuns: 40 },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
