import assert from "node:assert/strict";

Deno.test("PluginSpecResolver and PluginManager recognise plugins made with another copy of @plux/core", async () => {
  // The cases import a second copy of the library from a Deno.serve origin on
  // 127.0.0.1. They run in a subprocess with --no-lock: in-process, Deno would
  // add each run's ephemeral-port URLs to deno.lock.
  const cases = new URL("./_cross_copy_cases.ts", import.meta.url);
  const root = new URL("../../", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "--no-lock",
      "--allow-net=127.0.0.1",
      "--allow-import=127.0.0.1",
      `--allow-read=${root.pathname}`,
      cases.pathname,
    ],
    cwd: root.pathname,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `${stdout}\n${stderr}`);
  assert.match(stdout, /ok \| 7 passed \(3 steps\) \| 0 failed/, stdout);
});
