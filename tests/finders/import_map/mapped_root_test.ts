// A plainly mapped module ("x": "./vendor/x/src/mod.ts", "../shared/x/mod.ts")
// finds its package root by looking in the folders above it. Those folders
// are confined, on the resolved URLs: never the folder of the file that maps
// it or one above it, never the application's folder or workspace root or
// one above them. So a plux.json of the application, of a parent folder or
// of anyone's folder higher up is never taken for the package's, and its
// plugins are never listed nor imported.
import assert from "node:assert/strict";
import { posix } from "node:path";
import fc from "fast-check";
import { join } from "node:path";
import {
  MAX_LEVELS,
  rootFolders,
} from "../../../src/finders/import_map/_mapped_root.ts";

/** Pieces of a mapping's target, as written in deno.json. */
const PIECES = [
  ".",
  "..",
  "%2e%2e",
  "%2E",
  ".%2e",
  "a",
  "b",
  "app",
  "%61pp",
  "ws",
  "x",
  "é",
  "%C3%A9",
  "a b",
  "\t",
  "",
  // Deno's URL parser never steps above a segment like a drive letter
  // (`new URL("../", "file:///srv/C:/")` stays there); the folders are
  // worked out on the path, so this is a folder like any other.
  "C:",
  "%43:",
];

const segment = fc.constantFrom("a", "b", "app", "ws", "x", "é", "C:");
const folder = fc.array(segment, { minLength: 0, maxLength: 4 }).map((s) =>
  s.length === 0 ? "/" : `/${s.join("/")}/`
);
const target = fc.tuple(
  fc.constantFrom("./", "../", "/", "file:///", "./../"),
  fc.array(fc.constantFrom(...PIECES), { minLength: 0, maxLength: 6 }),
).map(([start, pieces]) =>
  `${start}${pieces.join("/")}${pieces.length ? "/" : ""}mod.ts`
);

/** Whether folder `a` (a path ending in `/`) is `b`'s folder or above it. */
function holds(a: string, b: string): boolean {
  return b.startsWith(a);
}

/** The folder above a folder path ending in `/`. */
function parentOf(path: string): string {
  return path === "/"
    ? "/"
    : posix.dirname(path.slice(0, -1)).replace(/\/?$/, "/");
}

function pathOf(url: URL | string): string {
  return decodeURIComponent(new URL(url).pathname);
}

Deno.test("rootFolders() of any mapping: folders above the module, below the mapping file's folder and never at or above the application's folder or workspace root", () => {
  fc.assert(
    fc.property(
      folder,
      fc.constantFrom("", "config/"),
      folder,
      fc.boolean(),
      target,
      (app, sub, root, inWorkspace, text) => {
        const appDir = new URL(`file://${app}`);
        const rootDir = inWorkspace ? new URL(`file://${root}`) : undefined;
        const base = new URL(`${sub}deno.json`, appDir);
        const module = URL.parse(text, base);
        fc.pre(module !== null); // not a URL: no candidate at all
        const folders = rootFolders(module, base, [appDir, rootDir]);
        assert.ok(folders.length <= MAX_LEVELS);
        if (module.hostname !== "") {
          // "//host/x.ts": not a local path; no folder is looked in.
          assert.deepEqual(folders, []);
          return;
        }
        // As the file system sees it: empty segments collapse.
        const modulePath = posix.normalize(pathOf(module));
        const baseFolder = posix.dirname(pathOf(base)) + "/";
        const fences = [app, ...(rootDir ? [root] : [])];
        let previous: string | undefined;
        for (const found of folders) {
          const path = pathOf(found);
          assert.ok(path.endsWith("/"), path);
          assert.ok(
            holds(path, modulePath),
            `${path} does not hold ${modulePath}`,
          );
          assert.ok(
            !holds(path, baseFolder),
            `${path} holds the mapping file's folder ${baseFolder}`,
          );
          for (const fence of fences) {
            assert.ok(
              !holds(path, fence),
              `${path} is or holds the fenced ${fence}`,
            );
          }
          if (previous !== undefined) assert.equal(parentOf(previous), path);
          previous = path;
        }
        // The module's own folder is offered whenever it is allowed.
        const own = posix.dirname(modulePath).replace(/\/?$/, "/");
        if (
          !holds(own, baseFolder) && !fences.some((f) => holds(own, f))
        ) {
          assert.equal(folders[0] && pathOf(folders[0]), own);
        }
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("rootFolders() works the application's folder out again when the same URL object now names another folder", () => {
  const app = new URL("file:///work/app/");
  const base = new URL("deno.json", app);
  const module = new URL("file:///work/app/vendor/x/mod.ts");
  assert.deepEqual(rootFolders(module, base, [app]), [
    "file:///work/app/vendor/x/",
    "file:///work/app/vendor/",
  ]);
  // The same objects, moved: the fence is now the vendor folder.
  app.pathname = "/work/app/vendor/";
  base.pathname = "/work/app/vendor/deno.json";
  assert.deepEqual(rootFolders(module, base, [app]), [
    "file:///work/app/vendor/x/",
  ]);
});

const LIBRARY = new URL("../../../mod.ts", import.meta.url).href;
const NS = "t.mapped";

/** A package folder with one plugin; its module writes `marker` if imported. */
async function pluginPackage(
  dir: string,
  name: string,
  marker?: string,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const effect = marker === undefined
    ? ""
    : `Deno.writeTextFileSync(${JSON.stringify(marker)}, "ran");\n`;
  await Deno.writeTextFile(
    join(dir, `${name}.ts`),
    `import { plugin } from ${JSON.stringify(LIBRARY)};\n${effect}` +
      `export const p = plugin({ namespace: "${NS}", name: "${name}" }, () => "${name}");\n`,
  );
  await Deno.writeTextFile(
    join(dir, "plux.json"),
    JSON.stringify({
      version: 1,
      plugins: { [NS]: [{ name, export: "p", path: `./${name}.ts` }] },
    }),
  );
}

Deno.test("a plain mapping never takes a plux.json of a folder above the application or above the mapping file for its package's (subprocess)", async () => {
  const top = await Deno.makeTempDir({ prefix: "plux_mapped_" });
  try {
    const app = join(top, "app");
    const marker = join(top, "evil-ran");
    // Anyone's plux.json one level above the application.
    await pluginPackage(top, "evil", marker);
    // A module outside the application, in a folder without an index: its
    // search must stop below the folder its ".." reaches.
    await Deno.mkdir(join(top, "shared", "x"), { recursive: true });
    await Deno.writeTextFile(
      join(top, "shared", "x", "mod.ts"),
      "export {};\n",
    );
    // A vendored package whose module sits one folder below its index.
    await pluginPackage(join(app, "vendor", "y"), "good");
    await Deno.mkdir(join(app, "vendor", "y", "src"));
    await Deno.writeTextFile(
      join(app, "vendor", "y", "src", "mod.ts"),
      "export {};\n",
    );
    await Deno.writeTextFile(
      join(app, "deno.json"),
      JSON.stringify({
        lock: false,
        imports: {
          "@plux/core": LIBRARY,
          "shared": "../shared/x/mod.ts",
          "twice": "./vendor/y/../../../shared/x/mod.ts",
          "y": "./vendor/y/src/mod.ts",
        },
      }),
    );
    await Deno.writeTextFile(
      join(app, "app.ts"),
      `import { PluginManager } from "@plux/core";
const problems = [];
const manager = new PluginManager("${NS}", {
  listeners: [{ onResolveException: (_n, _p, e) => { problems.push(e.message); } }],
});
const loaded = (await manager.loadAll()).map(String);
console.log(JSON.stringify({ names: await manager.listNames(), problems }));
`,
    );
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-lock",
        `--allow-read=${top}`,
        `--allow-write=${marker}`,
        "app.ts",
      ],
      cwd: app,
      env: { NO_COLOR: "1" },
      stdin: "null",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, stderr);
    const result = JSON.parse(new TextDecoder().decode(output.stdout));
    assert.deepEqual(result.names, ["good"]);
    assert.deepEqual(result.problems, []);
    await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);
  } finally {
    await Deno.remove(top, { recursive: true });
  }
});
