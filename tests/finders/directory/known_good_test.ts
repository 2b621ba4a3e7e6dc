import assert from "node:assert/strict";
import { join } from "node:path";
import {
  PluginDirectoryFinder,
  type PluginDirectoryFinderOptions,
  PluginManager,
  readKnownGood,
  writeKnownGood,
} from "../../../mod.ts";
import { importedUnder, withTempDir, writePackage } from "./_plugin_dirs.ts";

async function run(
  dir: string | string[],
  options: PluginDirectoryFinderOptions = {},
) {
  const finder = new PluginDirectoryFinder([dir].flat(), options);
  const manager = new PluginManager("app.tools", { finder });
  await manager.loadAll();
  const containers = await manager.listContainers();
  const loaded = Object.fromEntries(
    containers.filter((c) => c.isLoaded).map((c) => [c.name, c.loadValue]),
  );
  return { finder, containers, loaded };
}

Deno.test("PluginDirectoryFinder.recordKnownGood() records the versions plugins actually loaded from", async () => {
  await withTempDir(async (dir) => {
    const plugins = { "app.tools": ["a", "b"] };
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0", plugins });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      plugins,
      broken: ["b"],
    });
    await writePackage(dir, "c-1", {
      name: "@u/c",
      version: "1.0.0",
      plugins: { "app.tools": ["c"] },
    });
    await writePackage(dir, "d-1", {
      name: "@u/d",
      version: "1.0.0",
      plugins: { "app.tools": ["d"] },
      failing: ["d"],
    });
    await writePackage(dir, "e-1", {
      name: "@u/e",
      version: "1.0.0",
      plugins: { "app.themes": ["e"] },
    });
    const { finder, containers, loaded } = await run(join(dir));
    assert.deepEqual(loaded, {
      a: "@u/a@1.0.0",
      b: "@u/a@1.0.0",
      c: "@u/c@1.0.0",
    });
    const file = join(dir, "known-good.json");
    const recorded = await finder.recordKnownGood(file, containers);
    // 2.0.0 failed to import, d's plugin failed to load, and e was never
    // imported (no manager of app.themes): none of them is known good.
    const expected = [
      { name: "@u/a", version: "1.0.0" },
      { name: "@u/c", version: "1.0.0" },
    ];
    assert.deepEqual(recorded, expected);
    assert.deepEqual(await readKnownGood(file), expected);
  });
});

Deno.test("PluginDirectoryFinder in fail-safe mode uses the known-good set when the directories have a problem", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "plugins");
    const file = join(root, "known-good.json");
    const b = { "app.tools": ["b"] };
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "b-1", {
      name: "@u/b",
      version: "1.0.0",
      plugins: b,
    });
    const first = await run(dir, { knownGood: file, failSafe: true });
    assert.equal(first.finder.problems.length, 0);
    await first.finder.recordKnownGood(file, first.containers);

    // The user installs a new b, a broken a and a new package c.
    await writePackage(dir, "b-2", {
      name: "@u/b",
      version: "2.0.0",
      plugins: b,
    });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      index: "[]",
    });
    await writePackage(dir, "c-1", {
      name: "@u/c",
      version: "1.0.0",
      plugins: { "app.tools": ["c"] },
    });
    const normal = await run(dir);
    assert.deepEqual(normal.loaded, {
      tool: "@u/a@1.0.0",
      b: "@u/b@2.0.0",
      c: "@u/c@1.0.0",
    });
    const safe = await run(dir, { knownGood: file, failSafe: true });
    assert.deepEqual(safe.loaded, { tool: "@u/a@1.0.0", b: "@u/b@1.0.0" });
    assert.deepEqual(
      safe.finder.problems.map((p) => [p.kind, p.package, p.version]),
      [
        ["invalid", "@u/a", "2.0.0"],
        ["fail-safe", undefined, undefined],
        ["known-good", "@u/c", "1.0.0"],
      ],
    );
    assert.match(
      safe.finder.problems[1]!.reason,
      /have 1 failure\(s\); using the known-good set recorded in .*known-good\.json instead/,
    );
    assert.match(safe.finder.problems[2]!.reason, /not in the known-good set/);
  });
});

Deno.test("PluginDirectoryFinder in fail-safe mode says so and goes on when the known-good set is missing or bad", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      index: "{",
    });
    const file = join(dir, "..", `${dir.split("/").pop()}-known-good.json`);
    for (
      const [label, content, reason] of [
        [
          "missing",
          undefined,
          /^1 failure\(s\), but no known-good set has been recorded yet in .*known-good\.json \(the application records one with recordKnownGood\(\)\); using the plugin directories as they are$/,
        ],
        [
          "bad",
          '{ "version": 1 }',
          /cannot be read \(.*is not a known-good set/,
        ],
      ] as const
    ) {
      try {
        if (content !== undefined) await Deno.writeTextFile(file, content);
        const { finder, loaded } = await run(dir, {
          knownGood: file,
          failSafe: true,
        });
        assert.deepEqual(loaded, { tool: "@u/a@1.0.0" }, label);
        const notice = finder.problems.find((p) => p.kind === "fail-safe");
        assert.match(notice!.reason, reason, label);
      } finally {
        await Deno.remove(file).catch(() => {});
      }
    }
    const { finder } = await run(dir, { failSafe: true });
    assert.match(finder.problems[1]!.reason, /no knownGood file is set/);
  });
});

Deno.test("readKnownGood() rejects a file that is not a known-good set", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "kg.json");
    for (
      const text of [
        "nope",
        "[]",
        '{ "version": 1, "packages": [{ "name": "a", "version": "x" }] }',
      ]
    ) {
      await Deno.writeTextFile(file, text);
      await assert.rejects(readKnownGood(file), SyntaxError, text);
    }
    await writeKnownGood(file, [
      { name: "b", version: "1.0.0" },
      { name: "a", version: "1.0.0" },
      { name: "b", version: "1.0.0" },
    ]);
    assert.deepEqual(await readKnownGood(file), [
      { name: "a", version: "1.0.0" },
      { name: "b", version: "1.0.0" },
    ]);
  });
});

Deno.test("PluginDirectoryFinder in fail-safe mode checks every module up front and uses the known-good set when one fails to import", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "plugins");
    const file = join(root, "known-good.json");
    const b = { "app.tools": ["b"] };
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "b-1", {
      name: "@u/b",
      version: "1.0.0",
      plugins: b,
    });
    const first = await run(dir, { knownGood: file, failSafe: true });
    await first.finder.recordKnownGood(file, first.containers);

    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      broken: ["tool"],
    });
    await writePackage(dir, "b-2", {
      name: "@u/b",
      version: "2.0.0",
      plugins: b,
    });
    const finder = new PluginDirectoryFinder([dir], {
      knownGood: file,
      failSafe: true,
    });
    const entries = await finder.findPlugins({ namespace: "app.tools" });
    // Listing imported the newest versions to check them, then chose the set.
    assert.ok(importedUnder(dir).includes("a-2/app.tools.tool.ts"));
    assert.ok(importedUnder(dir).includes("b-2/app.tools.b.ts"));
    assert.deepEqual(
      entries.map((e) => [e.name, e.source?.version]),
      [["tool", "1.0.0"], ["b", "1.0.0"]],
    );
    assert.deepEqual(
      finder.problems.map((p) => [p.kind, p.package, p.version]),
      [
        ["import", "@u/a", "2.0.0"],
        ["fail-safe", undefined, undefined],
      ],
    );
    assert.match(
      finder.problems[1]!.reason,
      /have 1 failure\(s\); using the known-good set/,
    );
  });
});

Deno.test("PluginDirectoryFinder in fail-safe mode does not engage for an unmet requirement or a duplicate, so new packages get recorded", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "plugins"), extra = join(root, "extra");
    const file = join(root, "known-good.json");
    const options = { knownGood: file, failSafe: true };
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    const first = await run(dir, options);
    await first.finder.recordKnownGood(file, first.containers);

    await writePackage(dir, "a-2", {
      name: "@u/a",
      version: "2.0.0",
      requires: { "my-app": ">=3" },
    });
    await writePackage(extra, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "c-1", {
      name: "@u/c",
      version: "1.0.0",
      plugins: { "app.tools": ["c"] },
    });
    const second = await run([dir, extra], options);
    assert.deepEqual(second.loaded, { tool: "@u/a@1.0.0", c: "@u/c@1.0.0" });
    assert.deepEqual(
      second.finder.problems.map((p) => [p.kind, p.version]),
      [["duplicate", "1.0.0"], ["requirement", "2.0.0"]],
    );
    assert.deepEqual(
      await second.finder.recordKnownGood(file, second.containers),
      [{ name: "@u/a", version: "1.0.0" }, { name: "@u/c", version: "1.0.0" }],
    );
  });
});

Deno.test("PluginDirectoryFinder.recordKnownGood() in fail-safe mode also records packages checked but not loaded", async () => {
  await withTempDir(async (dir) => {
    await writePackage(dir, "a-1", { name: "@u/a", version: "1.0.0" });
    await writePackage(dir, "e-1", {
      name: "@u/e",
      version: "1.0.0",
      plugins: { "app.themes": ["e"] },
    });
    const file = join(dir, "..", `${dir.split("/").pop()}-kg.json`);
    try {
      const { finder, containers } = await run(dir, {
        knownGood: file,
        failSafe: true,
      });
      assert.deepEqual(await finder.recordKnownGood(file, containers), [
        { name: "@u/a", version: "1.0.0" },
        { name: "@u/e", version: "1.0.0" },
      ]);
    } finally {
      await Deno.remove(file).catch(() => {});
    }
  });
});

Deno.test("writeKnownGood() replaces the file atomically: concurrent readers see whole sets, and no temporary file is left", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "known-good.json");
    const sets = Array.from(
      { length: 40 },
      (_, i) =>
        Array.from({ length: 200 + i }, (_, j) => ({
          name: `@u/p${j}`,
          version: `1.0.${i}`,
        })),
    );
    await writeKnownGood(file, sets[0]!);
    // A reader that opened the file before a write keeps the whole old set:
    // the new set is a new file renamed over it, not the old one rewritten.
    const before = await Deno.readTextFile(file);
    const open = await Deno.open(file);
    await writeKnownGood(file, [{ name: "@u/new", version: "2.0.0" }]);
    const held = new TextDecoder().decode(
      await new Response(open.readable).bytes(),
    );
    assert.equal(held, before);
    await writeKnownGood(file, sets[0]!);
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        // Every read parses: never an empty or half-written file.
        const packages = await readKnownGood(file);
        assert.ok(packages.length >= 200);
        reads++;
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    })().catch((error) => error);
    await Promise.all(sets.map((set) => writeKnownGood(file, set)));
    writing = false;
    assert.equal(await reader, undefined);
    assert.ok(reads > 0);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(names, ["known-good.json"]);
  });
});

Deno.test("writeKnownGood() leaves the old file and no temporary file when it cannot write, and says what to do", async () => {
  await withTempDir(async (dir) => {
    // The target is a folder: said so, and nothing is written.
    const target = join(dir, "known-good.json");
    await Deno.mkdir(target);
    await assert.rejects(
      writeKnownGood(target, [{ name: "a", version: "1.0.0" }]),
      (error: Error) => {
        assert.equal(
          error.message,
          `cannot write the known-good set ${target}: it is a folder; ` +
            `give the path of a file, for example ${target}/known-good.json`,
        );
        return true;
      },
    );
    assert.equal((await Deno.stat(target)).isDirectory, true);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [
      "known-good.json",
    ]);
    assert.deepEqual([...Deno.readDirSync(target)], []);
    const missing = join(dir, "no-such-folder", "known-good.json");
    await assert.rejects(
      writeKnownGood(missing, []),
      /; create the folder .*no-such-folder, or choose a file in an existing one$/,
    );
  });
});

Deno.test("writeKnownGood() refuses an empty path and a path ending in a separator with a TypeError, writing nothing", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "sets"));
    for (
      const file of [
        "",
        `${dir}/sets/`,
        `${dir}/absent/`,
        `${dir}/sets/.`,
        `${dir}/sets/..`,
        `${dir}\\sets\\`,
      ]
    ) {
      await assert.rejects(
        writeKnownGood(file, [{ name: "a", version: "1.0.0" }]),
        (error: unknown) => {
          assert.ok(error instanceof TypeError, String(error));
          assert.match(
            error.message,
            file === ""
              ? /^writeKnownGood\(\): the file is an empty path; give the path of a file, for example "known-good\.json"$/
              : /^writeKnownGood\(\): the file ".*" names a folder, not a file; give the path of a file in it, for example ".*known-good\.json"$/,
          );
          return true;
        },
      );
    }
    assert.deepEqual([...Deno.readDirSync(join(dir, "sets"))], []);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["sets"]);
  });
});

Deno.test("writeKnownGood() writes through a symbolic link to the file it leads to, keeping the link", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "real"));
    await Deno.mkdir(join(dir, "app"));
    const real = join(dir, "real", "known-good.json");
    await Deno.writeTextFile(real, "{}");
    // A relative link, through a second link, and a dangling one.
    await Deno.symlink("../real/known-good.json", join(dir, "app", "one.json"));
    await Deno.symlink("one.json", join(dir, "app", "two.json"));
    await Deno.symlink("../real/later.json", join(dir, "app", "later.json"));
    const set = [{ name: "a", version: "1.0.0" }];
    for (
      const [link, target] of [
        ["two.json", real],
        ["later.json", join(dir, "real", "later.json")],
      ]
    ) {
      await writeKnownGood(join(dir, "app", link!), set);
      assert.equal((await Deno.lstat(join(dir, "app", link!))).isSymlink, true);
      assert.deepEqual(await readKnownGood(target!), set);
    }
    assert.deepEqual(
      [...Deno.readDirSync(join(dir, "app"))].map((e) => e.name).sort(),
      ["later.json", "one.json", "two.json"],
    );
    assert.deepEqual(
      [...Deno.readDirSync(join(dir, "real"))].map((e) => e.name).sort(),
      ["known-good.json", "later.json"],
    );
    // A link to a folder is a folder; a loop of links is said to be one.
    await Deno.symlink("../real", join(dir, "app", "folder.json"));
    await assert.rejects(
      writeKnownGood(join(dir, "app", "folder.json"), set),
      /: it is a folder; give the path of a file/,
    );
    await Deno.symlink("loop-b.json", join(dir, "app", "loop-a.json"));
    await Deno.symlink("loop-a.json", join(dir, "app", "loop-b.json"));
    await assert.rejects(
      writeKnownGood(join(dir, "app", "loop-a.json"), set),
      /: its symbolic links lead in a loop; point .*loop-a\.json at a file/,
    );
  });
});

Deno.test("writeKnownGood() in a subprocess with read and write access to the link's folder only asks for the target's folder", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "real"));
    await Deno.mkdir(join(dir, "app"));
    await Deno.symlink("../real/kg.json", join(dir, "app", "kg.json"));
    const mod = new URL("../../../mod.ts", import.meta.url).href;
    const app = join(dir, "app");
    const code = `import { writeKnownGood } from ${JSON.stringify(mod)};\n` +
      `await writeKnownGood("kg.json", [{ name: "a", version: "1.0.0" }]);\n`;
    await Deno.writeTextFile(join(app, "main.ts"), code);
    const run = (flags: string[]) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "--no-lock", ...flags, "main.ts"],
        cwd: app,
        stdout: "piped",
        stderr: "piped",
      }).output();
    const denied = await run([`--allow-read=${app}`, `--allow-write=${app}`]);
    const stderr = new TextDecoder().decode(denied.stderr);
    assert.notEqual(denied.code, 0);
    assert.match(
      stderr,
      /cannot write the known-good set kg\.json: .*; run the application with --allow-read=\.\.\/real --allow-write=\.\.\/real /,
    );
    const granted = await run([`--allow-read=${dir}`, `--allow-write=${dir}`]);
    assert.equal(granted.code, 0, new TextDecoder().decode(granted.stderr));
    assert.deepEqual(await readKnownGood(join(dir, "real", "kg.json")), [
      { name: "a", version: "1.0.0" },
    ]);
  });
});
