// A URL package from a host the process may not import from: in a terminal
// Deno would ask ("Deno requests import access to ...") and the listing, or
// the load, would wait for an answer. The finder checks the permission first
// and reports the flag instead, for the index and for a plugin module. Run in
// a pseudo-terminal (`script`), where Deno prompts, with the flags a user
// gives.
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer } from "../../support/http_origin.ts";

const LIBRARY = new URL("../../../mod.ts", import.meta.url).href;
const NS = "t.prompt";
/** How long the run may take before it counts as waiting at a prompt. */
const WAITING_AFTER = 30_000;

const hasScript = Deno.build.os === "linux" &&
  (await new Deno.Command("sh", { args: ["-c", "command -v script"] })
      .output().catch(() => ({ code: 1 }))).code === 0;

/** Runs `deno <args>` in a pseudo-terminal; its output, with `\r` removed. */
async function runInTerminal(cwd: string, args: string[]) {
  const denoDir = await Deno.makeTempDir({ prefix: "plux_deno_dir_" });
  try {
    const command = [Deno.execPath(), ...args]
      .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(" ");
    const output = await new Deno.Command("script", {
      args: ["-qec", command, "/dev/null"],
      cwd,
      env: { NO_COLOR: "1", DENO_DIR: denoDir },
      stdin: "null",
      signal: AbortSignal.timeout(WAITING_AFTER),
    }).output();
    const text = new TextDecoder().decode(output.stdout).replaceAll("\r", "");
    assert.doesNotMatch(text, /Deno requests import access/);
    assert.notEqual(output.signal, "SIGTERM", `waited at a prompt:\n${text}`);
    return text;
  } finally {
    await Deno.remove(denoDir, { recursive: true });
  }
}

Deno.test({
  name:
    "a URL package from a host not in --allow-import is reported with the flag, never prompted for, when listing and when loading",
  ignore: !hasScript,
  fn: async () => {
    await using server = startServer((_request, url) =>
      url.pathname === "/pkg/plux.json"
        ? Response.json({
          version: 1,
          plugins: {
            [NS]: [{ name: "remote", export: "p", path: "./mod.ts" }],
          },
        })
        : new Response("export const p = 1;\n", {
          headers: { "content-type": "application/typescript" },
        })
    );
    const dir = await Deno.makeTempDir({ prefix: "plux_prompt_" });
    try {
      await Deno.writeTextFile(
        join(dir, "deno.json"),
        JSON.stringify({
          lock: false,
          imports: { "@plux/core": LIBRARY, "pkg/": `${server.url}pkg/` },
        }),
      );
      await Deno.writeTextFile(
        join(dir, "app.ts"),
        `import { PluginManager } from "@plux/core";
const problems = [];
const manager = new PluginManager("${NS}", {
  listeners: [{ onResolveException: (_n, _p, e) => { problems.push(e.message); } }],
});
const names = await manager.listNames();
// The index was read; then the host is no longer allowed (as for a plugin
// module on a host the index's host does not cover).
if (Deno.args[0] === "revoke") {
  Deno.permissions.revokeSync({ name: "import", host: ${
          JSON.stringify(server.host)
        } });
}
let loaded;
try {
  loaded = await manager.load("remote");
} catch (error) {
  loaded = error.message;
}
console.log("RESULT " + JSON.stringify({ names, problems, loaded }));
`,
      );
      const result = (text: string) =>
        JSON.parse(/^RESULT (.*)$/m.exec(text)?.[1] ?? "null");
      const flag = new RegExp(
        `--allow-import=${server.host.replaceAll(".", "\\.")},jsr\\.io`,
      );

      // Not allowed at all (only the default list): listing reports it.
      const listed = result(
        await runInTerminal(dir, ["run", `--allow-read=${dir}`, "app.ts"]),
      );
      assert.deepEqual(listed.names, []);
      assert.equal(listed.problems.length, 1, listed.problems.join("\n"));
      assert.match(
        listed.problems[0],
        new RegExp(
          `^package "pkg/" \\(\\S+\\): cannot read \\S+/pkg/plux\\.json: Requires import access to "${
            server.host.replaceAll(".", "\\.")
          }", which was not granted; run the application with ${flag.source}`,
        ),
      );

      // Allowed for listing, not for loading: the load reports it.
      const loading = result(
        await runInTerminal(dir, [
          "run",
          `--allow-read=${dir}`,
          `--allow-import=${server.host}`,
          "app.ts",
          "revoke",
        ]),
      );
      assert.deepEqual(loading.names, ["remote"]);
      assert.match(
        loading.loaded,
        new RegExp(
          `importing \\S+/pkg/mod\\.ts failed: Requires import access to .*; run the application with ${flag.source}`,
        ),
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
