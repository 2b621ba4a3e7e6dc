// Whatever plugins and listeners throw, describing it never throws: a load
// that succeeded stays a success, a failure is a PluginException with a
// readable message, the process lives on, and every `plux:` line the library
// writes is one line with nothing a terminal acts on.
import assert from "node:assert/strict";

const MOD = new URL("../../mod.ts", import.meta.url).href;

/**
 * The hostile values, as code evaluated in the child: no prototype, getters
 * that throw, a Proxy whose every trap throws, a throwing Symbol.toPrimitive,
 * and text that would act on a terminal.
 */
const VALUES = `
const trap = () => { throw Object.create(null); };
const hostile = {
  "no prototype": () => Object.create(null),
  "message getter throws": () =>
    Object.defineProperty(new Error("x"), "message", { get: trap }),
  "stack and name getters throw": () =>
    Object.defineProperties(new Error("y"), { stack: { get: trap }, name: { get: trap } }),
  "message is an object without prototype": () =>
    Object.assign(new Error(), { message: Object.create(null) }),
  "proxy whose traps throw": () =>
    new Proxy({}, { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap,
      getOwnPropertyDescriptor: trap }),
  "Symbol.toPrimitive throws": () => ({ [Symbol.toPrimitive]: trap }),
  "toString and valueOf throw": () => ({ toString: trap, valueOf: trap }),
  "a symbol": () => Symbol("s"),
  "terminal escapes": () =>
    new Error("a\\u001b]0;title\\u0007b\\u202ec\\nplux: forged line\\u2028d"),
};
`;

/** Runs `body` in a child with `hostile`, the library and a spec helper. */
async function runChild(body: string) {
  const code = `
    import { Plugin, PluginException, PluginManager, PluginSpec } from "${MOD}";
    ${VALUES}
    class P extends Plugin { load() { return "ok"; } }
    const spec = (name, make = () => new P()) => new PluginSpec("ns", name, make);
    const out = [];
    ${body}
    console.log(JSON.stringify(out));
  `;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-lock", code],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  const stdout = new TextDecoder().decode(output.stdout);
  return { out: JSON.parse(stdout) as string[], stderr };
}

/** Each stderr line is a `plux:` line holding nothing a terminal acts on. */
function assertPluxLines(stderr: string): void {
  const lines = stderr.trimEnd().split("\n");
  for (const line of lines) {
    assert.match(line, /^plux: /, stderr);
    assert.doesNotMatch(line, /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u, line);
  }
}

Deno.test("PluginManager: a listener or onListenerError throwing a hostile value never fails the load nor the process", async () => {
  const { out, stderr } = await runChild(`
    for (const [what, make] of Object.entries(hostile)) {
      const cases = {
        "listener": { listeners: [{ onLoadAfter() { throw make(); } }] },
        "onListenerError": {
          listeners: [{ onLoadAfter() { throw make(); } }],
          onListenerError() { throw make(); },
        },
        "async onListenerError": {
          listeners: [{ onLoadAfter() { throw make(); } }],
          async onListenerError() { throw make(); },
        },
        "onListenerError returning a thenable whose then throws": {
          listeners: [{ onLoadAfter() { throw make(); } }],
          onListenerError() { return { get then() { throw make(); } }; },
        },
      };
      for (const [where, options] of Object.entries(cases)) {
        const manager = new PluginManager("ns", {
          finder: { findPlugins: () => [spec("a")] },
          ...options,
        });
        try {
          await manager.load("a");
          out.push(\`\${what} / \${where}: \${await manager.isLoaded("a")}\`);
        } catch (error) {
          out.push(\`\${what} / \${where}: rejected\`);
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  `);
  assert.equal(out.length, 36);
  for (const line of out) assert.match(line, /: true$/);
  assertPluxLines(stderr);
  assert.match(
    stderr,
    /^plux: a lifecycle listener failed in onLoadAfter: <an unprintable value>; fix the listener/m,
  );
  assert.match(
    stderr,
    /^plux: onListenerError failed while handling an error of a listener in onLoadAfter: <an unprintable value>; the listener's error was: <an unprintable value>/m,
  );
  assert.match(
    stderr,
    /failed in onLoadAfter: a\\u001b\]0;title\\u0007b\\u202ec plux: forged line\\u2028d \(at /,
  );
});

Deno.test("PluginManager: a plugin, factory, shouldLoad() or module throwing a hostile value fails that plugin with a PluginException; loadAll() reports it and loads the others", async () => {
  const { out, stderr } = await runChild(`
    for (const [what, make] of Object.entries(hostile)) {
      const failing = {
        "load()": spec("bad", () => new (class extends Plugin { load() { throw make(); } })()),
        "factory": spec("bad", () => { throw make(); }),
        "shouldLoad()": spec("bad", () => new (class extends Plugin {
          shouldLoad() { throw make(); } load() {} })()),
        "module": { namespace: "ns", name: "bad", resolve: () => Promise.reject(make()) },
      };
      for (const [where, bad] of Object.entries(failing)) {
        const manager = new PluginManager("ns", {
          finder: { findPlugins: () => [bad, spec("good")] },
        });
        try {
          await manager.load("bad");
          out.push(\`\${what} / \${where}: loaded\`);
        } catch (error) {
          out.push(\`\${what} / \${where}: \${error instanceof PluginException} \${typeof error.message}\`);
        }
        const loaded = await manager.loadAll();
        out.push(\`\${what} / \${where}: loadAll \${loaded.length}\`);
      }
    }
  `);
  assert.equal(out.length, 72);
  for (const line of out) assert.match(line, /: (true string|loadAll 1)$/);
  assertPluxLines(stderr);
  assert.match(
    stderr,
    /^plux: plugin ns:bad failed to load: <an unprintable value>$/m,
  );
  assert.match(
    stderr,
    /^plux: plugin ns:bad: .*a\\u001b\]0;title\\u0007b\\u202ec plux: forged line\\u2028d/m,
  );
});
