// The flag a permission failure needs comes from Deno's own sentence: in
// process against the texts Deno 2.9.6 gives (measured), and end to end by
// an application whose plugin modules need env, net, read, write, run, sys
// and ffi access at import.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { permissionHint } from "../../src/finders/_permission_flag.ts";

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
    permissionHint(imports, undefined, "run `plux index` with"),
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
