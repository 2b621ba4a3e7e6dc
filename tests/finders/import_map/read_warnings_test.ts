// Warnings are for what discovery uses: a folder above a plainly mapped
// module that the process may not read is not the application's concern
// (only the module's own folder is), and a broken index entry of another
// namespace is not reported to a listing of one namespace. Each warning that
// remains is one line naming the file and the fix. Run as users run it: an
// application and the CLI in subprocesses, with narrow --allow-read flags.
import assert from "node:assert/strict";
import { join } from "node:path";

const LIBRARY = new URL("../../../mod.ts", import.meta.url).href;
const CLI = new URL("../../../cli.ts", import.meta.url).href;

async function write(path: string, text: string): Promise<void> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, text);
}

async function deno(cwd: string, args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-lock", ...args],
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
  }).output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}

const APP = (namespace: string) => `
import { PluginManager } from "@plux/core";
const problems = [];
const manager = new PluginManager("${namespace}", {
  listeners: [{ onResolveException: (_n, _p, e) => { problems.push(e.message); } }],
});
console.log(JSON.stringify({ names: await manager.listNames(), problems }));
`;

Deno.test("a plain mapping warns about its module's own folder only, not about an unreadable folder above it", async () => {
  const top = await Deno.makeTempDir({ prefix: "plux_warn_" });
  try {
    const app = join(top, "app");
    const src = join(top, "outside", "x", "src");
    await write(join(src, "mod.ts"), "export const x = 1;\n");
    await write(
      join(app, "deno.json"),
      JSON.stringify({
        lock: false,
        imports: { "@plux/core": LIBRARY, "x": "../outside/x/src/mod.ts" },
      }),
    );
    await write(join(app, "app.ts"), APP("t.warn"));
    // The module's folder may be read, the folder above it may not.
    const narrow = await deno(app, [`--allow-read=${app},${src}`, "app.ts"]);
    assert.equal(narrow.code, 0, narrow.stderr);
    assert.deepEqual(JSON.parse(narrow.stdout), { names: [], problems: [] });
    // The module's own folder may not be read: that is the application's
    // to fix, and the warning names the file and the flag.
    const none = await deno(app, [`--allow-read=${app}`, "app.ts"]);
    assert.equal(none.code, 0, none.stderr);
    const { problems } = JSON.parse(none.stdout);
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(
      problems[0],
      /^package "x" \(\S+\): cannot read \S+\/outside\/x\/src\/plux\.json: Requires read access to "\S+", which was not granted; run the application with --allow-read=\S+\/outside\/? \(or a folder that contains it\)$/,
    );
  } finally {
    await Deno.remove(top, { recursive: true });
  }
});

Deno.test("the flag a plain mapping's unreadable folder is told to add finds its root above the module (following it lists the plugin)", async () => {
  const top = await Deno.makeTempDir({ prefix: "plux_warn_up_" });
  try {
    const app = join(top, "app");
    const pkg = join(top, "lib", "y");
    await write(join(pkg, "src", "mod.ts"), "export class Y {}\n");
    await write(
      join(pkg, "plux.json"),
      JSON.stringify({
        version: 1,
        package: { name: "@t/y", version: "1.0.0" },
        plugins: {
          "t.warn": [{ name: "y", export: "Y", path: "./src/mod.ts" }],
        },
      }),
    );
    await write(
      join(app, "deno.json"),
      JSON.stringify({
        lock: false,
        imports: { "@plux/core": LIBRARY, "y": "../lib/y/src/mod.ts" },
      }),
    );
    await write(join(app, "app.ts"), APP("t.warn"));
    const narrow = await deno(app, [`--allow-read=${app}`, "app.ts"]);
    assert.equal(narrow.code, 0, narrow.stderr);
    const { problems } = JSON.parse(narrow.stdout);
    assert.equal(problems.length, 1, problems.join("\n"));
    const flag = problems[0].match(/ --allow-read=(\S+) \(or a folder/)?.[1];
    assert.ok(flag !== undefined, problems[0]);
    // The module's own folder alone (lib/y/src) would not do: the index is
    // one level up.
    assert.notEqual(flag.replace(/\/$/, ""), join(pkg, "src"));
    const followed = await deno(app, [`--allow-read=${app},${flag}`, "app.ts"]);
    assert.equal(followed.code, 0, followed.stderr);
    assert.deepEqual(JSON.parse(followed.stdout), {
      names: ["y"],
      problems: [],
    });
  } finally {
    await Deno.remove(top, { recursive: true });
  }
});

Deno.test("a broken index entry is reported to listings of its namespace only (application and plux list)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_warn_ns_" });
  try {
    await write(
      join(dir, "lib", "plux.json"),
      JSON.stringify({
        version: 1,
        plugins: {
          "t.good": [{ name: "a", export: "a", path: "./a.ts" }],
          "t.broken": [{ name: "b", export: "b", path: "../b.ts" }],
        },
      }),
    );
    await write(
      join(dir, "deno.json"),
      JSON.stringify({
        lock: false,
        imports: { "@plux/core": LIBRARY, "lib/": "./lib/" },
      }),
    );
    await write(join(dir, "good.ts"), APP("t.good"));
    await write(join(dir, "broken.ts"), APP("t.broken"));
    const read = `--allow-read=${dir}`;
    const good = await deno(dir, [read, "good.ts"]);
    assert.deepEqual(JSON.parse(good.stdout), { names: ["a"], problems: [] });
    const broken = await deno(dir, [read, "broken.ts"]);
    const { names, problems } = JSON.parse(broken.stdout);
    assert.deepEqual(names, []);
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(
      problems[0],
      /^package "lib\/" \(\S+\): \S+\/lib\/plux\.json: plugin t\.broken:b .*; regenerate it/,
    );

    const cli = (args: string[]) => deno(dir, [read, CLI, "list", ...args]);
    const listGood = await cli(["t.good"]);
    assert.equal(listGood.code, 0, listGood.stderr);
    assert.equal(listGood.stderr, "");
    const listAll = await cli([]);
    assert.equal(listAll.code, 0, listAll.stderr);
    assert.match(listAll.stderr, /^warning: .*plugin t\.broken:b .*$/m);
    assert.equal(listAll.stderr.trim().split("\n").length, 1, listAll.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
