// An index can only name modules of its own package: for any text in an
// index's `path` or `subpath`, the specifier a finder would import stays
// under the package root that discovery established, for every source kind.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import fc from "fast-check";
import { isInsideRoot } from "../../src/finders/_confine.ts";
import { indexEntries } from "../../src/finders/index_entries.ts";
import type { IndexedPackage } from "../../src/finders/index_entries.ts";
import { readPackageIndex } from "../../src/finders/import_map/_read_package_index.ts";
import type { AppConfig } from "../../src/finders/import_map/_deno_config.ts";
import type { PackageCandidate } from "../../src/finders/import_map/_package_sources.ts";
import { readDirectoryEntry } from "../../src/finders/directory/_package.ts";
import { PluginException } from "../../mod.ts";

/** Pieces that URL parsing treats specially, joined into index locations. */
const PIECES = [
  ".",
  "..",
  "/",
  "./",
  "../",
  "\t",
  "\n",
  "\r",
  " ",
  "\u00a0",
  "\u200b",
  "\u0000",
  "\u007f",
  "%2e",
  "%2E%2e",
  "%2f",
  "%",
  "?",
  "#",
  "\\",
  ":",
  "//",
  "a",
  "é",
  "x.ts",
  "file:",
  "http://h/",
  "jsr:@s/n",
  "@s/n",
  // Lone surrogates (URL parsing turns them into U+FFFD, and
  // encodeURIComponent throws on them), and a well-formed pair.
  "\ud800",
  "\udfff",
  "\udc00\ud800",
  "\ud83d\ude00",
];

/** `./` and plain segments (some of them `.` or `..`): mostly valid. */
const wellFormed: fc.Arbitrary<string> = fc.array(
  fc.stringMatching(/^[a-z0-9é_.-]{1,6}$/),
  { minLength: 1, maxLength: 4 },
).map((segments) => `./${segments.join("/")}`);

/** Any text, weighted towards what could escape a package. */
const location: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: wellFormed, weight: 4 },
  {
    arbitrary: fc.tuple(wellFormed, fc.constantFrom(...PIECES), fc.nat()).map(
      ([text, piece, at]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + piece + text.slice(i);
      },
    ),
    weight: 4,
  },
  fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((p) => p.join("")),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((p) =>
    `./${p.join("")}`
  ),
  fc.string({ unit: "binary", maxLength: 12 }).map((s) => `./${s}`),
  fc.string({ unit: "binary", maxLength: 12 }),
);

/**
 * An oracle independent of the code under test: where the specifier leads
 * once Deno parses it, and whether that is inside the root.
 */
function leadsInside(root: string, specifier: string): boolean {
  const url = new URL(specifier); // throws for what Deno could not import
  if (url.search !== "" || url.hash !== "") return false;
  if (root.endsWith("/")) {
    const rootUrl = new URL(root);
    if (url.origin !== rootUrl.origin || url.protocol !== rootUrl.protocol) {
      return false;
    }
    if (url.protocol === "file:") {
      const dir = fileURLToPath(rootUrl);
      const path = fileURLToPath(url);
      return path.startsWith(dir) && path.length > dir.length;
    }
    return url.pathname.startsWith(rootUrl.pathname) &&
      url.pathname.length > rootUrl.pathname.length;
  }
  // jsr:/npm: paths are opaque to URL parsing; Deno joins the rest onto the
  // package, so no segment may be empty, `.`, `..` or escaped.
  if (url.href === root) return true;
  if (!url.href.startsWith(`${root}/`)) return false;
  return url.href.slice(root.length + 1).split("/").every((segment) =>
    !["", ".", ".."].includes(decodeURIComponent(segment)) &&
    !segment.includes("\\")
  );
}

/** The specifier each surviving entry would be imported with. */
function specifiers(pkg: IndexedPackage): (string | undefined)[] {
  return indexEntries(pkg).map((entry) =>
    (entry as unknown as { specifier: string | undefined }).specifier
  );
}

function indexText(path: string, subpath: string): string {
  return JSON.stringify({
    version: 1,
    plugins: {
      "t.ns": [
        { name: "by-path", export: "p", path },
        { name: "by-subpath", export: "p", subpath },
        { name: "both", export: "p", subpath, path },
      ],
    },
  });
}

function appConfig(dir: URL): AppConfig {
  return {
    url: new URL("deno.json", dir),
    dir,
    exports: { ".": "./mod.ts", "./x": "./x.ts" },
    imports: {},
    importBase: {},
    members: [],
    rootIndexTask: false,
  };
}

Deno.test("isInsideRoot() accepts only specifiers that lead inside the root, as Deno parses them", () => {
  const roots = [
    "file:///pkg/",
    "file:///a%20b/%23%25%3F%C3%A9/",
    "https://h.example/pkg/",
    "http://127.0.0.1:4000/",
    "jsr:@s/n@^1",
    "npm:x@1.2.3",
    "npm:@s/n",
  ];
  let checked = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...roots),
      location,
      (root, rest) => {
        const tail = rest.replace(/^\.\//, "");
        for (
          const specifier of [root + rest, root + tail, `${root}/${tail}`, rest]
        ) {
          if (isInsideRoot(root, specifier)) {
            assert.ok(leadsInside(root, specifier), `${root} ${specifier}`);
            checked++;
          }
        }
      },
    ),
    { numRuns: 2000 },
  );
  assert.ok(checked > 100, `only ${checked} specifiers accepted`);
  // It can say yes: the rule is not "refuse everything".
  assert.equal(isInsideRoot("file:///pkg/", "file:///pkg/a/b.ts"), true);
  assert.equal(isInsideRoot("jsr:@s/n@^1", "jsr:@s/n@^1/x"), true);
  assert.equal(isInsideRoot("jsr:@s/n@^1", "jsr:@s/n@^1/\t../x"), false);
  assert.equal(isInsideRoot("npm:x@1", "npm:x@1/a/../../y"), false);
  assert.equal(
    isInsideRoot("file:///pkg/", "file:///pkg/a/%2e%2e/%2e%2e/x"),
    false,
  );
});

Deno.test("for any path or subpath an index holds, jsr:, npm: and URL packages import only inside their root", async () => {
  let run = 0;
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("jsr", "npm", "url"),
      location,
      location,
      async (kind, path, subpath) => {
        run++;
        const root = kind === "jsr"
          ? `jsr:@confine/p${run}@^1`
          : kind === "npm"
          ? `npm:@confine/p${run}@1`
          : `https://confine.example/p${run}/`;
        const candidate = { kind, key: `k${run}`, root } as PackageCandidate;
        const outcome = await readPackageIndex(
          candidate,
          appConfig(new URL("file:///app/")),
          () =>
            Promise.resolve({ default: JSON.parse(indexText(path, subpath)) }),
        );
        for (const specifier of specifiers(outcome.pkg!)) {
          if (specifier !== undefined) {
            assert.ok(leadsInside(root, specifier), `${root} ${specifier}`);
            checked++;
          }
        }
      },
    ),
    { numRuns: 300 },
  );
  // Not vacuous: many generated locations were accepted and imported.
  assert.ok(checked > 100, `only ${checked} specifiers checked`);
});

Deno.test("for any path or subpath an index holds, local packages (app, workspace, path, plugin directory) import only inside their folder", async () => {
  // A folder name with the characters that break string-built URLs.
  const temp = await Deno.makeTempDir({ prefix: "plux_" });
  const base = join(temp, "a #%?é b");
  await Deno.mkdir(base);
  try {
    let run = 0;
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("app", "workspace", "path", "directory"),
        location,
        location,
        async (kind, path, subpath) => {
          const dir = join(base, `p${++run}`);
          await Deno.mkdir(dir);
          await Deno.writeTextFile(
            join(dir, "deno.json"),
            JSON.stringify({
              name: "@confine/p",
              version: "1.0.0",
              exports: { ".": "./mod.ts", "./x": "./x.ts" },
            }),
          );
          await Deno.writeTextFile(
            join(dir, "plux.json"),
            indexText(path, subpath),
          );
          const root = pathToFileURL(dir + "/").href;
          let pkg: IndexedPackage | undefined;
          if (kind === "directory") {
            pkg = (await readDirectoryEntry(base, dir))?.package?.indexed;
          } else {
            const candidate = { kind, key: "k/", root } as PackageCandidate;
            pkg = (await readPackageIndex(candidate, appConfig(new URL(root))))
              .pkg;
          }
          for (const specifier of pkg ? specifiers(pkg) : []) {
            if (specifier !== undefined) {
              assert.ok(leadsInside(root, specifier), `${root} ${specifier}`);
              checked++;
            }
          }
        },
      ),
      { numRuns: 200 },
    );
    assert.ok(checked > 50, `only ${checked} specifiers checked`);
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
});

Deno.test("an index entry that leads outside its package is refused on the resolved URL, even when it passed no validation", async () => {
  const imported: string[] = [];
  const locations = [
    "./\t../\t../x.ts",
    "./a/\n../../x.ts",
    "./%2e%2e/x.ts",
    "../x.ts",
    "https://evil.example/x.ts",
    "data:text/javascript,globalThis.pwned=1",
  ];
  for (const path of locations) {
    // Built by hand, without validateIndex, as a buggy finder might.
    const pkg: IndexedPackage = {
      source: { kind: "path", index: "file:///pkg/plux.json" },
      index: {
        version: 1,
        plugins: { "t.ns": [{ name: "p", export: "p", path }] },
      },
      root: "file:///pkg/",
      specifierOf: (entry) => new URL(entry.path!, "file:///pkg/").href,
    };
    const [entry] = indexEntries(pkg, "t.ns", undefined, (specifier) => {
      imported.push(specifier);
      return Promise.resolve({});
    });
    await assert.rejects(entry!.resolve(), (error: unknown) => {
      assert.ok(error instanceof PluginException);
      assert.match(
        error.message,
        /^plugin t\.ns:p of the package in \/pkg: its index entry leads to ".*", outside the package \(file:\/\/\/pkg\/\), so it is not imported/,
      );
      return true;
    });
    assert.equal(entry!.value?.startsWith("file:"), false, entry!.value);
  }
  assert.deepEqual(imported, []);
  assert.equal((globalThis as { pwned?: number }).pwned, undefined);
});
