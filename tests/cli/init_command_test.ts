import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "jsonc-parser";
import config from "../../deno.json" with { type: "json" };
import { main } from "../../cli.ts";
import { runDeno } from "../support/deno_run.ts";
import { startPackageServers } from "../support/package_servers.ts";

const LIBRARY = `jsr:@plux/core@^${config.version}`;
const TASK = "deno run --allow-read=. --allow-write=plux.json,deno.json " +
  `${LIBRARY}/cli index`;

async function init(dir: string, args: string[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["init", ...args], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    cwd: dir,
  });
  return { code, out, err: err.join("\n") };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "plux_init_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("plux init adds the plux:index task and the @plux/core import, keeping a one-line config on one line, and a second run changes nothing", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "deno.json");
    await Deno.writeTextFile(
      file,
      '{ "name": "@acme/greeters", "version": "1.0.0", "exports": "./mod.ts" }\n',
    );
    const first = await init(dir);
    assert.equal(first.code, 0, first.err);
    assert.deepEqual(first.out, [
      `deno.json: added the task "plux:index": "${TASK}"`,
      `deno.json: mapped "@plux/core" to ${LIBRARY}`,
      "next: declare plugins in modules the package exports, then run " +
      "`deno task plux:index` to write plux.json (again whenever plugins " +
      "change) and commit it",
    ]);
    const text = await Deno.readTextFile(file);
    assert.equal(
      text,
      '{ "name": "@acme/greeters", "version": "1.0.0", "exports": "./mod.ts", ' +
        `"tasks": { "plux:index": "${TASK}" }, ` +
        `"imports": { "@plux/core": "${LIBRARY}" } }\n`,
    );
    const second = await init(dir);
    assert.equal(second.code, 0);
    assert.deepEqual(second.out.slice(0, 3), [
      'deno.json: already has a "plux:index" task, left as it is',
      `deno.json: "@plux/core" is mapped to ${LIBRARY}`,
      "deno.json: nothing to change",
    ]);
    assert.equal(await Deno.readTextFile(file), text);
  });
});

Deno.test("plux init keeps comments in deno.jsonc, an own task and an existing mapping, and writes deno.jsonc into the task", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "deno.jsonc");
    const text = "{\n" +
      "  // the greeters\n" +
      '  "name": "@acme/greeters",\n' +
      '  "exports": "./mod.ts", // main module\n' +
      '  "imports": {\n' +
      '    "@plux/core": "../plux/mod.ts" // a local checkout\n' +
      "  }\n" +
      "}\n";
    await Deno.writeTextFile(file, text);
    const result = await init(dir);
    assert.equal(result.code, 0, result.err);
    const task = TASK.replace("deno.json", "deno.jsonc");
    assert.equal(
      await Deno.readTextFile(file),
      text.replace(
        "  }\n}\n",
        `  },\n  "tasks": {\n    "plux:index": "${task}"\n  }\n}\n`,
      ),
    );
    assert.match(
      result.out[1]!,
      /^deno\.jsonc: "@plux\/core" is mapped to \.\.\/plux\/mod\.ts$/,
    );
  });
  await withDir(async (dir) => {
    const file = join(dir, "deno.json");
    const own =
      '{\n  "tasks": { "plux:index": "deno run -A jsr:@plux/core/cli index" }\n}\n';
    await Deno.writeTextFile(file, own);
    const result = await init(dir);
    assert.match(
      result.out[0]!,
      /already has a "plux:index" task, left as it is/,
    );
    const data = parse(await Deno.readTextFile(file));
    assert.equal(
      data.tasks["plux:index"],
      "deno run -A jsr:@plux/core/cli index",
    );
    assert.equal(data.imports["@plux/core"], LIBRARY);
  });
});

Deno.test("plux init respects a mapping of the library under another key, from npm or jsr, in the package or its workspace root", async () => {
  for (
    const [root, own] of [
      [undefined, { plux: "npm:@plux/core@^0.1.0" }],
      [undefined, { core: "jsr:/@plux/core@0.1/" }],
      [{ lib: "npm:@plux/core" }, undefined],
    ]
  ) {
    await withDir(async (dir) => {
      let pkg = dir;
      if (root !== undefined) {
        pkg = join(dir, "p");
        await Deno.mkdir(pkg);
        await Deno.writeTextFile(
          join(dir, "deno.json"),
          JSON.stringify({ workspace: ["./p"], imports: root }),
        );
      }
      const config = {
        name: "@a/p",
        version: "1.0.0",
        exports: "./mod.ts",
        ...(own === undefined ? {} : { imports: own }),
      };
      await Deno.writeTextFile(join(pkg, "deno.json"), JSON.stringify(config));
      const result = await init(pkg);
      assert.equal(result.code, 0, result.err);
      const [key, target] = Object.entries(own ?? root!)[0]!;
      assert.equal(result.out[1], `deno.json: "${key}" is mapped to ${target}`);
      const written = parse(await Deno.readTextFile(join(pkg, "deno.json")));
      assert.deepEqual(written.imports, own, "no second mapping");
      assert.equal(result.err, "");
    });
  }
});

Deno.test("plux init says what a package lacks to be consumed: name, version, exports", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "deno.json"), "{}\n");
    const empty = await init(dir);
    assert.equal(empty.code, 0);
    assert.equal(
      empty.err,
      'warning: deno.json has no "name", "version", "exports": add them ' +
        '(for example "name": "@scope/plugins", "version": "0.1.0", ' +
        '"exports": "./mod.ts") so that the package can be published and ' +
        "its plugins found by applications that import it; plux index then " +
        'lists "./plux.json" in "exports"',
    );
    await Deno.writeTextFile(
      join(dir, "deno.json"),
      '{ "name": "@a/b", "exports": "./mod.ts" }\n',
    );
    assert.match(
      (await init(dir)).err,
      /^warning: deno\.json has no "version": add it /,
    );
  });
});

Deno.test("plux init in a workspace: the root's task writes below it, a member mapped by the root gets no import of its own", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(join(dir, "packages/a"), { recursive: true });
    await Deno.writeTextFile(
      join(dir, "deno.json"),
      `{ "workspace": ["./packages/a"], "imports": { "@plux/core": "${LIBRARY}" } }`,
    );
    await Deno.writeTextFile(
      join(dir, "packages/a/deno.json"),
      '{ "name": "@w/a" }',
    );
    const root = await init(dir);
    assert.match(
      root.out[0]!,
      /--allow-read=\. --allow-write=\. jsr:@plux\/core@\^\S+\/cli index/,
    );
    const member = await init(join(dir, "packages/a"));
    assert.equal(member.code, 0, member.err);
    assert.deepEqual(
      parse(await Deno.readTextFile(join(dir, "packages/a/deno.json"))),
      { name: "@w/a", tasks: { "plux:index": TASK } },
    );
  });
});

Deno.test("plux init maps @plux/core in the importMap file a config uses instead of imports, and fails without a config", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(
      join(dir, "deno.json"),
      '{ "importMap": "./map.json" }',
    );
    await Deno.writeTextFile(
      join(dir, "map.json"),
      '{ "imports": { "x": "./x.ts" } }',
    );
    const result = await init(dir);
    assert.equal(result.code, 0, result.err);
    assert.equal(
      await Deno.readTextFile(join(dir, "map.json")),
      `{ "imports": { "x": "./x.ts", "@plux/core": "${LIBRARY}" } }`,
    );
    assert.equal(
      parse(await Deno.readTextFile(join(dir, "deno.json"))).imports,
      undefined,
    );
  });
  await withDir(async (dir) => {
    const result = await init(dir);
    assert.equal(result.code, 1);
    assert.equal(
      result.err,
      `error: no deno.json or deno.jsonc in ${dir}; run plux init in the ` +
        'plugin package\'s folder, or create its deno.json ("name", ' +
        '"version", "exports") first',
    );
  });
});

Deno.test("plux init, then deno task plux:index in a fresh package folder writes plux.json, with @plux/core from a local JSR registry", async () => {
  await using servers = await startPackageServers();
  const denoDir = await Deno.makeTempDir({ prefix: "plux_deno_dir_" });
  try {
    await withDir(async (dir) => {
      await Deno.writeTextFile(
        join(dir, "deno.json"),
        '{ "name": "@acme/greeters", "version": "1.0.0", "exports": { ".": "./mod.ts" } }\n',
      );
      await Deno.writeTextFile(
        join(dir, "mod.ts"),
        'import { Plugin } from "@plux/core";\n\n' +
          "export class English extends Plugin {\n" +
          '  static namespace = "acme.greeters";\n' +
          '  static pluginName = "english";\n' +
          "}\n",
      );
      const run = (args: string[]) =>
        runDeno(args, { cwd: dir, env: servers.env, denoDir });
      // plux init as a user runs it: from the registry.
      const initRun = await run([
        "run",
        "--allow-read=.",
        "--allow-write=.",
        `${LIBRARY}/cli`,
        "init",
      ]);
      assert.equal(initRun.code, 0, initRun.stderr);
      const index = await run(["task", "plux:index"]);
      assert.equal(index.code, 0, index.stderr);
      assert.match(
        index.stdout,
        /@acme\/greeters@1\.0\.0 \(\.\): 1 plugin in 1 namespace; wrote plux\.json, deno\.json/,
      );
      const written = JSON.parse(
        await Deno.readTextFile(join(dir, "plux.json")),
      );
      assert.deepEqual(written.plugins["acme.greeters"][0].name, "english");
      assert.equal(
        parse(await Deno.readTextFile(join(dir, "deno.json")))
          .exports["./plux.json"],
        "./plux.json",
      );
      const again = await run(["task", "plux:index", "--check"]);
      assert.equal(again.code, 0, again.stderr);
      const before = await Deno.readTextFile(join(dir, "deno.json"));
      assert.equal(
        (await run([
          "run",
          "--allow-read=.",
          "--allow-write=.",
          `${LIBRARY}/cli`,
          "init",
        ])).code,
        0,
      );
      assert.equal(await Deno.readTextFile(join(dir, "deno.json")), before);
    });
  } finally {
    await Deno.remove(denoDir, { recursive: true });
  }
});
