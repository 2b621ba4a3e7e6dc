// Problems no listener handles are reported by default (the stderr default
// itself is checked in a subprocess, tests/manager/visible_failures_test.ts);
// here, through the reportProblems option and the unknown-name error.
import assert from "node:assert/strict";
import {
  Plugin,
  type PluginEntry,
  PluginException,
  type PluginFinder,
  PluginManager,
  PluginSpec,
} from "../../mod.ts";
import { countingSpec, finderOf } from "./_helpers.ts";

const NS = "test.report";

/** A finder with one good plugin and two problems, one of two lines. */
function troubledFinder(): PluginFinder {
  return {
    findPlugins(options) {
      options?.report?.(
        new Error(
          "package A: cannot read /a/plux.json;\nrun with --allow-read",
        ),
      );
      options?.report?.(new Error("package B: bad index; fix B"));
      return [countingSpec(NS, "good").spec];
    },
  };
}

/** An entry whose module fails to import. */
function failingEntry(name: string): PluginEntry {
  return {
    namespace: NS,
    name,
    resolve: () => Promise.reject(new TypeError("module gone; reindex it")),
  };
}

Deno.test("PluginManager reportProblems gives each problem no listener handles as one plux: line, once per function", async () => {
  const lines: string[] = [];
  const report = (line: string) => void lines.push(line);
  const finder = troubledFinder();
  const first = new PluginManager(NS, { finder, reportProblems: report });
  const second = new PluginManager(NS, { finder, reportProblems: report });
  assert.deepEqual(await first.listNames(), ["good"]);
  assert.deepEqual(await second.listNames(), ["good"]);
  assert.deepEqual(lines, [
    "plux: package A: cannot read /a/plux.json; run with --allow-read",
    "plux: package B: bad index; fix B",
  ]);
});

Deno.test("PluginManager reportProblems names the plugin of a resolve failure whose text does not", async () => {
  const lines: string[] = [];
  const manager = new PluginManager(NS, {
    finder: finderOf(failingEntry("broken")),
    reportProblems: (line) => void lines.push(line),
  });
  await assert.rejects(manager.load("broken"), PluginException);
  await manager.loadAll();
  assert.deepEqual(lines, [
    `plux: plugin ${NS}:broken: module gone; reindex it`,
  ]);
});

Deno.test("PluginManager reports nothing by default when a listener has onResolveException, or with reportProblems: false", async () => {
  const lines: string[] = [];
  const report = (line: string) => void lines.push(line);
  const seen: unknown[] = [];
  const listened = new PluginManager(NS, {
    finder: troubledFinder(),
    reportProblems: report,
    listeners: [{ onResolveException: (_ns, _info, e) => void seen.push(e) }],
  });
  await listened.listNames();
  assert.equal(seen.length, 2);
  // A listener without the hook does not count as handling problems.
  const other = new PluginManager(NS, {
    finder: finderOf(failingEntry("late"), failingEntry("later")),
    reportProblems: report,
    listeners: [{ onLoadAfter: () => {} }],
  });
  await assert.rejects(other.load("late"));
  assert.deepEqual(lines, [`plux: plugin ${NS}:late: module gone; reindex it`]);
  // A listener added later takes over.
  other.addListener({ onResolveException: () => {} });
  await assert.rejects(other.load("later"));
  assert.equal(lines.length, 1);
  const off = new PluginManager(NS, {
    finder: troubledFinder(),
    reportProblems: false,
  });
  await off.listNames();
  assert.equal(lines.length, 1);
});

Deno.test("PluginManager.load() of an unknown name says how many problems discovery met and gives the first in full", async () => {
  const manager = new PluginManager(NS, {
    finder: troubledFinder(),
    reportProblems: false,
  });
  const error = await manager.load("english").then(() => undefined, (e) => e);
  assert.ok(error instanceof PluginException);
  assert.equal(
    error.message,
    `no plugin named "english" in namespace ${NS}: its plugins are good. ` +
      "Check the name, and what the manager's finder offers (listNames()). " +
      "Discovery met 2 problems, which may be why; the first: package A: " +
      "cannot read /a/plux.json; run with --allow-read",
  );
  // One problem is given as the reason itself.
  const one = new PluginManager(NS, {
    finder: {
      findPlugins(options) {
        options?.report?.(new Error("package B: bad index; fix B."));
        return [];
      },
    },
    reportProblems: false,
  });
  await assert.rejects(
    one.load("english"),
    (e: Error) =>
      e.message.endsWith(
        ". Discovery met a problem, which may be why: package B: bad index; fix B",
      ),
  );
});

Deno.test("PluginManager.load() of an unknown name gives the problem about that plugin, when discovery met one, not the first", async () => {
  const manager = new PluginManager(NS, {
    finder: {
      findPlugins(options) {
        options?.report?.(
          new SyntaxError(
            `package P: plugin ${NS}:aft has requires that is not a list; fix P`,
          ),
        );
        options?.report?.(
          new SyntaxError(
            `package P: plugin ${NS}:miss has after that is not a list; fix P`,
          ),
        );
        return [];
      },
    },
    reportProblems: false,
  });
  const error = await manager.load("miss").then(() => undefined, (e) => e);
  assert.ok(error instanceof PluginException);
  assert.ok(
    error.message.endsWith(
      "Discovery met 2 problems, which may be why; the one about it: " +
        `package P: plugin ${NS}:miss has after that is not a list; fix P`,
    ),
    error.message,
  );
  // A name that is only the start of another plugin's name is not about it.
  const other = await manager.load("mis").then(() => undefined, (e) => e);
  assert.match(other.message, /; the first: package P: plugin \S+:aft /);
});

Deno.test("PluginManager.load() of an unknown name suggests `plux list` only for an ImportMapFinder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    await Deno.writeTextFile(`${dir}/deno.json`, "{}");
    const { ImportMapFinder, PluginDirectoryFinder } = await import(
      "../../mod.ts"
    );
    const mapped = new PluginManager(NS, {
      finder: new ImportMapFinder({ config: `${dir}/deno.json` }),
    });
    await assert.rejects(
      mapped.load("x"),
      new RegExp(
        `^PluginException: no plugin named "x" in namespace ${NS}: it has no plugins\\. Check the name, or run \`plux list ${NS}\` to see what is discovered$`,
      ),
    );
    const directories = new PluginManager(NS, {
      finder: new PluginDirectoryFinder([dir]),
    });
    const error = await directories.load("x").then(() => undefined, (e) => e);
    assert.doesNotMatch(String(error), /plux list/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("PluginManager names the fix of a duplicate by where the second copy comes from", async (t) => {
  const entry = (kind: string, key?: string): PluginEntry => ({
    namespace: NS,
    name: "dup",
    source: { kind, package: `@x/${kind}`, key },
    resolve: () =>
      Promise.resolve(new PluginSpec(NS, "dup", () => ({}) as never)),
  });
  const cases: [PluginEntry, RegExp][] = [
    [
      entry("workspace"),
      /remove the member @x\/workspace from "workspace" in the deno\.json of its workspace root$/,
    ],
    [
      entry("jsr", "@x/jsr"),
      /remove "@x\/jsr" from "imports" in the application's deno\.json$/,
    ],
    [entry("directory"), /remove one package from the plugin directories$/],
    [entry("app"), /\. Rename one of them$/],
  ];
  for (const [second, fix] of cases) {
    await t.step(second.source!.kind, async () => {
      const errors: Error[] = [];
      const manager = new PluginManager(NS, {
        finder: finderOf(entry("workspace"), second),
        listeners: [{
          onResolveException: (_n, _i, e) => void errors.push(e as Error),
        }],
      });
      await manager.listNames();
      assert.equal(errors.length, 1);
      assert.match(errors[0]!.message, fix);
      assert.doesNotMatch(errors[0]!.message, /import map/);
    });
  }
});

Deno.test("PluginManager.loadAll() reports the init and load failures it skips, unless a listener has the hook, and load() leaves them to its caller", async () => {
  const lines: string[] = [];
  const report = (line: string) => void lines.push(line);
  const specs = () => [
    countingSpec(NS, "fine").spec,
    countingSpec(NS, "no-init", { failInit: () => true }).spec,
    countingSpec(NS, "no-load", { failLoad: () => true }).spec,
  ];
  const quiet = new PluginManager(NS, {
    finder: finderOf(...specs()),
    reportProblems: report,
  });
  assert.equal((await quiet.loadAll()).length, 1);
  assert.deepEqual(lines, [
    `plux: plugin ${NS}:no-init failed to initialise: factory of no-init failed (attempt 1)`,
    `plux: plugin ${NS}:no-load failed to load: load of no-load failed (attempt 1)`,
  ]);
  lines.length = 0;
  const single = new PluginManager(NS, {
    finder: finderOf(...specs()),
    reportProblems: report,
  });
  await assert.rejects(single.load("no-load"), PluginException);
  assert.equal(lines.length, 0, "load() throws: its caller sees the failure");
  // A new function: lines already given to `report` are not given again.
  const heard: string[] = [];
  const listened = new PluginManager(NS, {
    finder: finderOf(...specs()),
    reportProblems: (line) => void lines.push(line),
    listeners: [{ onLoadException: (spec) => void heard.push(spec.name) }],
  });
  await listened.loadAll();
  assert.deepEqual(heard, ["no-load"]);
  assert.deepEqual(lines, [
    `plux: plugin ${NS}:no-init failed to initialise: factory of no-init failed (attempt 1)`,
  ]);
});

Deno.test("PluginManager names the file to edit for a duplicate: the workspace root for a member, the file whose imports map the second package", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    const { ImportMapFinder } = await import("../../mod.ts");
    const index = JSON.stringify({
      version: 1,
      plugins: { [NS]: [{ name: "dup", export: "p", path: "./mod.ts" }] },
    });
    for (const folder of ["a", "b", "m1", "m2"]) {
      await Deno.mkdir(`${dir}/${folder}`);
      await Deno.writeTextFile(`${dir}/${folder}/plux.json`, index);
    }
    const write = (name: string, data: unknown) =>
      Deno.writeTextFile(`${dir}/${name}`, JSON.stringify(data));
    await write("deno.json", { workspace: ["./m1", "./m2"] });
    await write("inline.json", { imports: { "a/": "./a/", "b/": "./b/" } });
    await write("mapped.json", { importMap: "./map.json" });
    await write("map.json", { imports: { "a/": "./a/", "b/": "./b/" } });
    const fixOf = async (config: string) => {
      const errors: string[] = [];
      await new PluginManager(NS, {
        finder: new ImportMapFinder({ config: `${dir}/${config}` }),
        listeners: [{
          onResolveException: (_n, _i, e) => void errors.push(String(e)),
        }],
      }).listNames();
      assert.equal(errors.length, 1, errors.join("\n"));
      return errors[0]!.replace(/^.*Rename one of them, or /, "");
    };
    assert.equal(
      await fixOf("deno.json"),
      `remove the member ./m2 from "workspace" in ${dir}/deno.json`,
    );
    assert.equal(
      await fixOf("inline.json"),
      `remove "b/" from "imports" in ${dir}/inline.json`,
    );
    assert.equal(
      await fixOf("mapped.json"),
      `remove "b/" from "imports" in ${dir}/map.json`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("PluginManager.load(name) reports the failure of a plugin it loaded first and stepped over (after), as loadAll() does", async () => {
  class Down extends Plugin {
    override load(): never {
      throw new Error("db down; start the db");
    }
  }
  class Api extends Plugin {}
  const specs = () => [
    new PluginSpec(NS, "db", () => new Down()),
    new PluginSpec(NS, "api", () => new Api(), { after: ["db"] }),
  ];
  const lines: string[] = [];
  const manager = new PluginManager(NS, {
    finder: finderOf(...specs()),
    reportProblems: (line) => lines.push(line),
  });
  await manager.load("api");
  assert.deepEqual(lines, [
    `plux: plugin ${NS}:db failed to load: db down; start the db`,
  ]);
  // A listener that handles onLoadException hears it instead.
  const heard: string[] = [];
  const quiet: string[] = [];
  const listened = new PluginManager(NS, {
    finder: finderOf(...specs()),
    reportProblems: (line) => quiet.push(line),
    listeners: [{ onLoadException: (spec) => void heard.push(spec.name) }],
  });
  await listened.load("api");
  assert.deepEqual([heard, quiet], [["db"], []]);
});
