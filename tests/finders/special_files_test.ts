// A FIFO (or another file that is not a regular file) where discovery reads
// a file: plux.json, deno.json, an import map, a module it scans, a plugin
// directory's files, the known-good set. Reading a FIFO without a writer
// blocks forever, and Deno's synchronous reads block the event loop with it,
// so each is run in a subprocess that is killed if it freezes. Each such
// file is reported as invalid, naming it and the fix; the rest works.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const LIBRARY = new URL("../../mod.ts", import.meta.url).href;
const NS = "t.special";
/** How long a subprocess may run before it counts as frozen. */
const FROZEN_AFTER = 30_000;

async function mkfifo(path: string): Promise<void> {
  const { code } = await new Deno.Command("mkfifo", { args: [path] }).output();
  assert.equal(code, 0, `mkfifo ${path}`);
}

async function write(path: string, text: string): Promise<void> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, text);
}

/** A package folder with one plugin `name` and its index. */
async function pluginPackage(dir: string, name: string): Promise<void> {
  await write(
    join(dir, "mod.ts"),
    `import { plugin } from ${JSON.stringify(LIBRARY)};\n` +
      `export const p = plugin({ namespace: "${NS}", name: "${name}" }, () => "${name}");\n`,
  );
  await write(
    join(dir, "plux.json"),
    JSON.stringify({
      version: 1,
      plugins: { [NS]: [{ name, export: "p", path: "./mod.ts" }] },
    }),
  );
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `deno <args>` in `cwd`; fails the test when it does not end in time. */
async function run(cwd: string, args: string[]): Promise<Run> {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
    signal: AbortSignal.timeout(FROZEN_AFTER),
  }).output();
  const text = new TextDecoder();
  const result = {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
  assert.notEqual(
    output.signal,
    "SIGTERM",
    `froze: killed after ${FROZEN_AFTER} ms\n${result.stderr}`,
  );
  return result;
}

const LIST_APP = `
import { ImportMapFinder, PluginManager } from ${JSON.stringify(LIBRARY)};
const problems = [];
const manager = new PluginManager("${NS}", {
  finder: new ImportMapFinder({ config: Deno.args[0] }),
  listeners: [{ onResolveException: (_ns, _p, e) => { problems.push(e.message); } }],
});
console.log(JSON.stringify({ names: await manager.listNames(), problems }));
`;

Deno.test({
  name:
    "a FIFO named plux.json, deno.json, importMap file or scanned module is reported as invalid, and the other packages are listed",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "plux_fifo_" });
    try {
      await pluginPackage(join(dir, "lib"), "good");
      // A path package whose index is a FIFO.
      await Deno.mkdir(join(dir, "lib2"));
      await mkfifo(join(dir, "lib2", "plux.json"));
      // A path package whose index is a link to a device without an end.
      await Deno.mkdir(join(dir, "lib3"));
      await Deno.symlink("/dev/zero", join(dir, "lib3", "plux.json"));
      // A workspace member whose index leaves its name to its deno.json,
      // which is a FIFO.
      await pluginPackage(join(dir, "members", "named"), "named");
      await mkfifo(join(dir, "members", "named", "deno.json"));
      // A member without an index in a workspace whose root maps the
      // library: discovery scans its exported module, a FIFO.
      await write(
        join(dir, "members", "scanned", "deno.json"),
        JSON.stringify({ name: "@t/scanned", exports: "./mod.ts" }),
      );
      await mkfifo(join(dir, "members", "scanned", "mod.ts"));
      await write(
        join(dir, "deno.json"),
        JSON.stringify({
          lock: false,
          workspace: ["./members/named", "./members/scanned"],
          imports: {
            "@plux/core": LIBRARY,
            "lib/": "./lib/",
            "lib2/": "./lib2/",
            "lib3/": "./lib3/",
          },
        }),
      );
      await write(join(dir, "app.ts"), LIST_APP);
      // --no-config: Deno itself reads every workspace member's deno.json
      // when it starts, and would freeze on the FIFO before the app runs.
      const config = join(dir, "deno.json");
      const listed = await run(dir, [
        "run",
        "--no-config",
        `--allow-read=${dir}`,
        "app.ts",
        config,
      ]);
      assert.equal(listed.code, 0, listed.stderr);
      const { names, problems } = JSON.parse(listed.stdout);
      assert.deepEqual(names, ["good"]);
      const about = (file: string) =>
        problems.find((p: string) => p.includes(file)) ?? "";
      assert.match(
        about(join(dir, "lib2", "plux.json")),
        /is not a valid package: \S+lib2\/plux\.json is not a file: it is a FIFO \(named pipe\), which is never opened; replace it with the plux\.json that `deno task plux:index` writes there$/,
      );
      assert.match(
        about(join(dir, "lib3", "plux.json")),
        /lib3\/plux\.json is not a file: it is a device, which is never opened; replace it/,
      );
      assert.match(
        about(join(dir, "members", "named", "deno.json")),
        /workspace member \S+named\/? is not a valid package: \S+deno\.json is not a file: it is a FIFO \(named pipe\)/,
      );

      // The same listing through the command line.
      const cli = await run(dir, [
        "run",
        "--no-config",
        `--allow-read=${dir}`,
        new URL("../../cli.ts", import.meta.url).href,
        "list",
        "--config",
        config,
      ]);
      assert.equal(cli.code, 0, cli.stderr);
      assert.match(cli.stdout, /^ {2}good /m);
      assert.match(
        cli.stderr,
        /lib2\/plux\.json is not a file: it is a FIFO \(named pipe\)/,
      );

      // An importMap file that is a FIFO: the application config is
      // unusable, and the finder says why instead of freezing.
      await Deno.remove(join(dir, "deno.json"));
      await write(
        join(dir, "deno.json"),
        JSON.stringify({ lock: false, importMap: "./map.json" }),
      );
      await mkfifo(join(dir, "map.json"));
      const mapped = await run(dir, [
        "run",
        "--no-config",
        `--allow-read=${dir}`,
        "app.ts",
        config,
      ]);
      assert.equal(mapped.code, 0, mapped.stderr);
      assert.match(
        JSON.parse(mapped.stdout).problems.join("\n"),
        /cannot use the application config \S+deno\.json: \S+map\.json is not a file: it is a FIFO \(named pipe\), which is never opened; replace it with a JSON text file/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "a plugin directory whose plux.json, deno.json or plugin module is a FIFO, and a known-good file that is a FIFO, are reported, and the other packages load",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "plux_fifo_dir_" });
    try {
      const plugins = join(dir, "plugins");
      const pkg = async (folder: string, name: string) => {
        await pluginPackage(join(plugins, folder), name);
        await write(
          join(plugins, folder, "deno.json"),
          JSON.stringify({ name: `@t/${name}`, version: "1.0.0" }),
        );
      };
      await pkg("good", "good");
      await pkg("index", "index");
      await Deno.remove(join(plugins, "index", "plux.json"));
      await mkfifo(join(plugins, "index", "plux.json"));
      await pkg("config", "config");
      await Deno.remove(join(plugins, "config", "deno.json"));
      await mkfifo(join(plugins, "config", "deno.json"));
      await pkg("module", "module");
      await Deno.remove(join(plugins, "module", "mod.ts"));
      await mkfifo(join(plugins, "module", "mod.ts"));
      await mkfifo(join(dir, "known-good.json"));
      await write(
        join(dir, "app.ts"),
        `
import { describeProblem, PluginDirectoryFinder, PluginManager } from ${
          JSON.stringify(LIBRARY)
        };
const finder = new PluginDirectoryFinder([${JSON.stringify(plugins)}], {
  knownGood: ${JSON.stringify(join(dir, "known-good.json"))},
  failSafe: true,
});
const manager = new PluginManager("${NS}", { finder, reportProblems: false });
const loaded = await manager.loadAll();
console.log(JSON.stringify({
  loaded: loaded.map(String),
  names: await manager.listNames(),
  problems: finder.problems.map(describeProblem),
}));
`,
      );
      const result = await run(dir, ["run", `--allow-read=${dir}`, "app.ts"]);
      assert.equal(result.code, 0, result.stderr);
      const { names, problems } = JSON.parse(result.stdout);
      // Fail-safe mode imports every module before offering anything: the
      // package whose module is a FIFO is left out.
      assert.deepEqual(names, ["good"]);
      const text = problems.join("\n");
      assert.match(
        text,
        /index\/plux\.json is not a file: it is a FIFO \(named pipe\), which is never opened; reinstall the package/,
      );
      assert.match(
        text,
        /config\/deno\.json is not a file: it is a FIFO \(named pipe\), which is never opened; reinstall the package/,
      );
      assert.match(
        text,
        /\(invalid\).*module\/mod\.ts is not a file: it is a FIFO \(named pipe\), which is never opened; reinstall @t\/module@1\.0\.0/,
      );
      assert.match(
        text,
        /known-good set cannot be read \(\S+known-good\.json is not a file: it is a FIFO \(named pipe\), which is never opened; delete it and record the known-good set again\)/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("readKnownGood() takes a byte order mark, refuses bytes that are not UTF-8, and never reads what it may not (no prompt)", async () => {
  const { readKnownGood } = await import("../../mod.ts");
  const dir = await Deno.makeTempDir({ prefix: "plux_known_good_enc_" });
  try {
    const file = join(dir, "known-good.json");
    const set = `{"version":1,"packages":[{"name":"@t/a","version":"1.0.0"}]}`;
    await Deno.writeFile(
      file,
      new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(set)]),
    );
    assert.deepEqual(await readKnownGood(file), [
      { name: "@t/a", version: "1.0.0" },
    ]);
    await Deno.writeFile(
      file,
      new TextEncoder().encode(set.replace("@t/a", "@t/\u00ff"))
        .map((b) => b === 0xc3 ? 0xff : b),
    );
    await assert.rejects(
      readKnownGood(file),
      /known-good\.json is not valid UTF-8 text: delete it and record the known-good set again/,
    );
    // Without read permission: reported with the flag, never prompted for.
    await Deno.writeTextFile(
      join(dir, "read.ts"),
      `import { readKnownGood } from ${JSON.stringify(LIBRARY)};\n` +
        `try { await readKnownGood(${
          JSON.stringify(file)
        }); } catch (e) { console.log(String(e)); }\n`,
    );
    const result = await run(dir, [
      "run",
      `--allow-read=${fileURLToPath(new URL("../../", import.meta.url))}`,
      join(dir, "read.ts"),
    ]);
    assert.match(result.stdout, /NotCapable: Requires read access to/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "plux index in a package whose plux.json is a FIFO says so in one line and exits 1, instead of freezing",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "plux_fifo_index_" });
    try {
      await pluginPackage(dir, "indexed");
      await write(
        join(dir, "deno.json"),
        JSON.stringify({
          name: "@t/indexed",
          version: "1.0.0",
          exports: { ".": "./mod.ts", "./plux.json": "./plux.json" },
          imports: { "@plux/core": LIBRARY },
        }),
      );
      await Deno.remove(join(dir, "plux.json"));
      await mkfifo(join(dir, "plux.json"));
      const result = await run(dir, [
        "run",
        "--no-lock",
        "-A",
        new URL("../../cli.ts", import.meta.url).href,
        "index",
      ]);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(
        result.stderr,
        /plux\.json is not a file: it is a FIFO \(named pipe\), which is never opened; replace it with a regular file/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
