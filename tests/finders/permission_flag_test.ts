// The flag a permission failure needs comes from Deno's own sentence: in
// process against the texts Deno 2.9.6 gives (measured), and end to end by
// an application whose plugin modules need env, net, read, write, run, sys
// and ffi access at import.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import {
  allowFlag,
  flagPath,
  permissionHint,
  shellQuote,
} from "../../src/finders/_permission_flag.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const APP = fileURLToPath(
  new URL("../fixtures/discovery/permission_app/", import.meta.url),
);

function denied(text: string): Error {
  return new Deno.errors.NotCapable(text);
}

Deno.test("permissionHint() names the flag and value Deno asked for", async (t) => {
  const cases: [string, string][] = [
    [
      'Requires env access to "BOOM_OK", run again with the --allow-env flag',
      "--allow-env=BOOM_OK",
    ],
    ["Requires env access, run again with the --allow-env flag", "--allow-env"],
    [
      'Requires net access to "example.invalid:80", run again with the --allow-net flag',
      "--allow-net=example.invalid:80",
    ],
    [
      'Requires write access to "/tmp/x.txt", run again with the --allow-write flag',
      "--allow-write=/tmp/x.txt",
    ],
    [
      'Requires run access to "ls", run again with the --allow-run flag',
      "--allow-run=ls",
    ],
    [
      'Requires ffi access to "/lib/libc.so.6", run again with the --allow-ffi flag',
      "--allow-ffi=/lib/libc.so.6",
    ],
    [
      'Requires sys access to "osRelease", run again with the --allow-sys flag',
      "--allow-sys=osRelease",
    ],
  ];
  for (const [text, flag] of cases) {
    await t.step(flag, () => {
      assert.equal(
        permissionHint(denied(text), "/pkg"),
        `; run the application with ${flag}`,
      );
    });
  }
});

Deno.test("permissionHint() widens a denied read inside the package folder to the folder, and keeps one outside it", () => {
  const inside = denied(
    'Requires read access to "/app/pkg/src/a.ts", run again with the --allow-read flag',
  );
  assert.equal(
    permissionHint(inside, "file:///app/pkg/"),
    "; run the application with --allow-read=/app/pkg (or a folder that contains it)",
  );
  const outside = denied(
    'Requires read access to "/etc/hostname", run again with the --allow-read flag',
  );
  assert.equal(
    permissionHint(outside, "/app/pkg"),
    "; run the application with --allow-read=/etc/hostname (or a folder that contains it)",
  );
  // A sibling folder whose name starts like the package's is outside it.
  const sibling = denied('Requires read access to "/app/pkg2/a.ts"');
  assert.match(permissionHint(sibling, "/app/pkg"), /--allow-read=\/app\/pkg2/);
});

Deno.test("permissionHint() names the import host and jsr.io, says who runs, and is empty for other failures", () => {
  const imports = new TypeError(
    'Requires import access to "127.0.0.1:9", run again with the --allow-import flag',
  );
  assert.match(
    permissionHint(
      imports,
      undefined,
      (flag) => `run \`plux index\` with ${flag}`,
    ),
    /^; run `plux index` with --allow-import=127\.0\.0\.1:9,jsr\.io /,
  );
  assert.equal(permissionHint(new Error("boom"), "/pkg"), "");
  // A NotCapable error without Deno's sentence gets no guessed flag.
  assert.equal(permissionHint(denied("not allowed"), "/pkg"), "");
});

Deno.test("PluginManager.load() names the flag each plugin module needs at import, not --allow-read of its folder", async () => {
  const names = ["env", "env-all", "ffi", "net", "read", "run", "sys", "write"];
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-read=${APP},${REPO}`,
      "app.ts",
      "load",
      "demo.perm",
      "fine",
      ...names,
    ],
    cwd: APP,
    env: { NO_COLOR: "1" },
    stdin: "null",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.equal(
    output.code,
    0,
    stdout + new TextDecoder().decode(output.stderr),
  );
  const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
  assert.equal(result.fine, "fine works", "the other plugins still load");
  const expected: Record<string, string> = {
    env: "--allow-env=BOOM_OK",
    "env-all": "--allow-env",
    ffi: "--allow-ffi=/plux-no-such-lib.so",
    net: "--allow-net=example.invalid:80",
    read: "--allow-read=/etc/hostname (or a folder that contains it)",
    run: "--allow-run=ls",
    sys: "--allow-sys=hostname",
    write: "--allow-write=/plux-never-written",
  };
  for (const name of names) {
    const error: string = result[name].error;
    assert.ok(
      error.endsWith(`; run the application with ${expected[name]}`),
      error,
    );
    assert.ok(!error.includes("\n"), error);
  }
});

Deno.test("allowFlag() quotes a value a shell would split or expand, and permissionHint() uses it", () => {
  assert.equal(allowFlag("read"), "--allow-read");
  assert.equal(allowFlag("read", ["/app", "/lib"]), "--allow-read=/app,/lib");
  assert.equal(
    allowFlag("read", ["/tmp/dir with space/x.txt"]),
    "--allow-read='/tmp/dir with space/x.txt'",
  );
  assert.equal(allowFlag("write", ["/a/it's"]), `--allow-write='/a/it'\\''s'`);
  assert.equal(allowFlag("env", ["A$B"]), "--allow-env='A$B'");
  // Deno splits at commas and has no escape: the folder above is named.
  assert.equal(allowFlag("read", ["/tmp/a,b/x.txt"]), "--allow-read=/tmp");
  const denied = new Deno.errors.NotCapable(
    'Requires read access to "/tmp/dir with space/x.txt", run again with the --allow-read flag',
  );
  assert.equal(
    permissionHint(denied, "/pkg"),
    "; run the application with --allow-read='/tmp/dir with space/x.txt' " +
      "(or a folder that contains it)",
  );
  const module = new Deno.errors.NotCapable(
    'Requires read access to "/my libs/$HOME/m.ts", run again with the --allow-read flag',
  );
  assert.match(permissionHint(module), /--allow-read='\/my libs\/\$HOME' /);
});

Deno.test("shellQuote() gives one word that sh reads back as the value", async () => {
  const values = fc.string({
    unit: fc.constantFrom(..."ab/. -_'\"$`\\*?;&|<>(){}[]!#~=,:@%+\t"),
    minLength: 1,
    maxLength: 12,
  });
  const samples = fc.sample(values, { numRuns: 60, seed: 10 });
  const script = samples.map((value) => `printf '%s\\0' ${shellQuote(value)}`)
    .join("\n");
  const output = await new Deno.Command("sh", { args: ["-c", script] })
    .output();
  const words = new TextDecoder().decode(output.stdout).split("\0");
  assert.deepEqual(words.slice(0, -1), samples);
});

Deno.test("flagPath() names a path relative to the folder a command runs in, when inside it", () => {
  assert.equal(flagPath("/p/plux.json", "/p"), "plux.json");
  assert.equal(flagPath("/p/a/deno.json", "/p/"), "a/deno.json");
  assert.equal(flagPath("/p", "/p"), ".");
  assert.equal(flagPath("/pq/x", "/p"), "/pq/x");
  assert.equal(flagPath("/q/x", undefined), "/q/x");
});

Deno.test("the flag a plugin module needs for a path with spaces and $ can be pasted into a shell as it is given", async () => {
  const root = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const app = join(root, "my app");
    const data = join(root, "data $dir", "x y.txt");
    await Deno.mkdir(app);
    await Deno.mkdir(join(root, "data $dir"));
    await Deno.writeTextFile(data, "hello");
    await Deno.writeTextFile(
      join(app, "deno.json"),
      JSON.stringify({ imports: { "@plux/core": join(REPO, "mod.ts") } }),
    );
    await Deno.writeTextFile(
      join(app, "plux.json"),
      JSON.stringify({
        version: 1,
        plugins: {
          "space.ns": [{ name: "reader", export: "p", path: "./reader.ts" }],
        },
      }),
    );
    await Deno.writeTextFile(
      join(app, "reader.ts"),
      `import { plugin } from "@plux/core";\n` +
        `const text = Deno.readTextFileSync(${JSON.stringify(data)});\n` +
        `export const p = plugin({ namespace: "space.ns", name: "reader" }, () => text);\n`,
    );
    await Deno.writeTextFile(
      join(app, "app.ts"),
      'import { PluginManager } from "@plux/core";\n' +
        'const manager = new PluginManager<() => string>("space.ns");\n' +
        "try {\n" +
        '  console.log((await manager.load("reader"))());\n' +
        "} catch (error) {\n" +
        "  console.log(`failed: ${(error as Error).message}`);\n" +
        "}\n",
    );
    const run = async (flags: string) => {
      const command = `'${Deno.execPath()}' run --allow-read=. ${flags} app.ts`;
      const output = await new Deno.Command("sh", {
        args: ["-c", command],
        cwd: app,
        env: { NO_COLOR: "1" },
      }).output();
      return new TextDecoder().decode(output.stdout).trim();
    };
    const failed = await run("");
    const flag =
      /run the application with (--allow-read='[^']*'|--allow-read=\S+)/
        .exec(failed)?.[1];
    assert.equal(flag, `--allow-read='${data}'`, failed);
    assert.equal(await run(flag!), "hello");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
