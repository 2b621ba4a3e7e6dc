import assert from "node:assert/strict";
import { generateApp, LIBRARY_URL } from "../../bench/_fixtures.ts";

const NAMESPACE = "bench.lazy";

/** The application: lists the namespace, then loads one plugin per package kind. */
const MAIN = `
import { PluginManager } from "${LIBRARY_URL}";

const imported: string[] = [];
(globalThis as { __pluxImported?: string[] }).__pluxImported = imported;
const manager = new PluginManager("${NAMESPACE}");
const names = await manager.listNames();
const steps = [{ step: "list", imported: [...imported] }];
for (const name of Deno.args) {
  const plugin = await manager.load(name);
  steps.push({ step: name, imported: [...imported], value: (plugin as { load(): string }).load() });
}
console.log(JSON.stringify({ names: names.length, steps }));
`;

Deno.test("PluginManager.listNames() imports no plugin module and load() imports exactly one, with 1000 plugins", async () => {
  // 100 packages of 10 plugins, all in one namespace: 50 workspace members,
  // 25 plain mappings ("p1": "./pkgs/p1/mod.ts") and 25 trailing-slash ones.
  const app = await generateApp({
    packages: 100,
    namespaceOf: () => NAMESPACE,
  });
  try {
    await Deno.writeTextFile(`${app.root}/main.ts`, MAIN);
    // One plugin of a workspace member, a plain mapping and a slash mapping.
    const targets = [
      { name: "pkg42_plugin7", module: `${app.root}/pkgs/w42/plugins/k7.ts` },
      { name: "pkg61_plugin3", module: `${app.root}/pkgs/p61/plugins/k3.ts` },
      { name: "pkg3_plugin0", module: `${app.root}/pkgs/p3/plugins/k0.ts` },
    ];
    assert.deepEqual(
      targets.map((t) => app.packages[Number(/\d+/.exec(t.name)![0])]!.kind),
      ["workspace", "plain", "slash"],
    );
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "main.ts", ...targets.map((t) => t.name)],
      cwd: app.root,
      stdin: "null",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, stderr);
    const result = JSON.parse(new TextDecoder().decode(output.stdout));
    assert.equal(result.names, 1000);
    assert.deepEqual(result.steps[0], { step: "list", imported: [] });
    targets.forEach((target, i) => {
      const step = result.steps[i + 1];
      assert.equal(step.step, target.name);
      assert.equal(step.value, target.name);
      assert.equal(step.imported.length, i + 1, "one more module per load");
      assert.equal(
        decodeURIComponent(new URL(step.imported[i]).pathname),
        target.module,
      );
    });
  } finally {
    await app.remove();
  }
});
