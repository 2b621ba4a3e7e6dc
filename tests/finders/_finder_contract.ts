/**
 * The finder contract: one suite that every {@linkcode PluginFinder} passes,
 * run over the same logical fixture written the way each finder reads it.
 *
 * The fixture: package `@contract/alpha` (contract.a: one, two; contract.b:
 * three) and `@contract/beta` (contract.a: five; contract.b: four, broken),
 * where the module of `contract.b:broken` throws when imported, plus a
 * defect the finder must report and step over (package `gamma` with a
 * truncated `plux.json`, or an equivalent malformed registry item). Every
 * plugin module records its import in `globalThis.__contractImports`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { formatIndex, type IndexEntry } from "../../src/index/format.ts";
import {
  type PluginEntry,
  PluginException,
  type PluginFinder,
  PluginManager,
  PluginSpec,
} from "../../mod.ts";

const MOD_URL = new URL("../../mod.ts", import.meta.url).href;

/** The plugins the fixture offers, per package: `namespace:name` → how it is declared. */
const PACKAGES = {
  alpha: {
    name: "@contract/alpha",
    version: "1.0.0",
    plugins: {
      "contract.a:one": "class",
      "contract.a:two": "spec",
      "contract.b:three": "function",
    },
  },
  beta: {
    name: "@contract/beta",
    version: "2.0.0",
    plugins: {
      "contract.b:four": "class",
      "contract.b:broken": "throws",
      "contract.a:five": "class",
    },
  },
} as const;

/** Every plugin of the fixture, as `namespace:name`, sorted. */
export const CONTRACT_PLUGINS: readonly string[] = Object.values(PACKAGES)
  .flatMap((pkg) => Object.keys(pkg.plugins)).sort();

/** The plugin whose module throws when imported. */
export const BROKEN = "contract.b:broken";

/** The other plugins of the broken plugin's package. */
const SIBLINGS: readonly string[] = Object.keys(PACKAGES.beta.plugins)
  .filter((id) => id !== BROKEN);

/** The namespaces of the fixture. */
export const NAMESPACES = ["contract.a", "contract.b"] as const;

/** The written fixture. */
export interface ContractFixture {
  /** The temp folder holding everything. */
  readonly dir: string;
  /** The application's deno.json: a workspace of the three packages. */
  readonly config: string;
  /** The plugin directory holding the packages alpha, beta and gamma. */
  readonly packages: string;
  /** The prefix of this fixture's ids in `globalThis.__contractImports`. */
  readonly tag: string;
}

/**
 * Makes finders over a fixture. It is called once per implementation; the
 * function it returns makes a fresh finder each time it is called.
 */
export type FinderSetup = (
  fixture: ContractFixture,
) => Promise<() => PluginFinder>;

type Recorder = { __contractImports?: string[] };

/**
 * The plugin ids the fixture's modules recorded as imported, in order.
 *
 * @param fixture The fixture.
 * @returns The `namespace:name` of each module imported so far.
 */
export function contractImports(fixture: ContractFixture): string[] {
  const all = (globalThis as Recorder).__contractImports ?? [];
  return all.filter((id) => id.startsWith(`${fixture.tag}/`))
    .map((id) => id.slice(fixture.tag.length + 1));
}

function moduleText(tag: string, id: string, kind: string): string {
  const [namespace, name] = id.split(":") as [string, string];
  const ns = JSON.stringify(namespace);
  const nm = JSON.stringify(name);
  const record = `((globalThis as { __contractImports?: string[] })` +
    `.__contractImports ??= []).push(${JSON.stringify(`${tag}/${id}`)});\n`;
  const head = `import { Plugin, PluginSpec, plugin } from "${MOD_URL}";\n` +
    record;
  const cls = `export class Contract extends Plugin {\n` +
    `  static namespace = ${ns};\n  static pluginName = ${nm};\n` +
    `  override load() { return ${JSON.stringify(id)}; }\n}\n`;
  switch (kind) {
    case "spec":
      return `${head}class P extends Plugin {\n` +
        `  override load() { return ${JSON.stringify(id)}; }\n}\n` +
        `export const Contract = new PluginSpec(${ns}, ${nm}, () => new P());\n`;
    case "function":
      return `${head}export const Contract = plugin({ namespace: ${ns}, name: ${nm} }, ` +
        `() => ${JSON.stringify(id)});\n`;
    case "throws":
      return `${head}throw new Error("the module of ${id} throws when imported");\n${cls}`;
    default:
      return head + cls;
  }
}

/**
 * Writes the fixture into `dir`: `packages/{alpha,beta,gamma}` (each with
 * deno.json, plux.json and one module per plugin) and a `deno.json` whose
 * workspace holds the three.
 *
 * @param dir An empty folder.
 * @returns The fixture.
 */
export async function writeContractFixture(
  dir: string,
): Promise<ContractFixture> {
  const tag = dir;
  const packages = join(dir, "packages");
  for (const [folder, pkg] of Object.entries(PACKAGES)) {
    const root = join(packages, folder);
    await Deno.mkdir(join(root, "plugins"), { recursive: true });
    const plugins: Record<string, IndexEntry[]> = {};
    const exports: Record<string, string> = { "./plux.json": "./plux.json" };
    for (const [id, kind] of Object.entries(pkg.plugins)) {
      const [namespace, name] = id.split(":") as [string, string];
      const path = `./plugins/${name}.ts`;
      await Deno.writeTextFile(join(root, path), moduleText(tag, id, kind));
      exports[`./${name}`] = path;
      (plugins[namespace] ??= []).push({
        name,
        export: "Contract",
        subpath: `./${name}`,
        path,
      });
    }
    await Deno.writeTextFile(
      join(root, "deno.json"),
      JSON.stringify({ name: pkg.name, version: pkg.version, exports }),
    );
    await Deno.writeTextFile(
      join(root, "plux.json"),
      formatIndex({
        version: 1,
        package: { name: pkg.name, version: pkg.version },
        plugins,
      }),
    );
  }
  const gamma = join(packages, "gamma");
  await Deno.mkdir(gamma);
  await Deno.writeTextFile(
    join(gamma, "deno.json"),
    JSON.stringify({ name: "@contract/gamma", version: "1.0.0" }),
  );
  await Deno.writeTextFile(
    join(gamma, "plux.json"),
    '{ "version": 1, "plugins": { "contract.a": [',
  );
  const config = join(dir, "deno.json");
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      workspace: ["alpha", "beta", "gamma"].map((p) => `./packages/${p}`),
    }),
  );
  return { dir, config, packages, tag };
}

function idOf(item: PluginSpec | PluginEntry): string {
  return `${item.namespace}:${item.name}`;
}

async function list(
  finder: PluginFinder,
  options?: Parameters<PluginFinder["findPlugins"]>[0],
): Promise<(PluginSpec | PluginEntry)[]> {
  return [...await finder.findPlugins(options)];
}

function resolveItem(item: PluginSpec | PluginEntry): Promise<PluginSpec> {
  return item instanceof PluginSpec
    ? Promise.resolve(item)
    : (item as PluginEntry).resolve();
}

/** What an implementation may do differently within the contract. */
export interface ContractOptions {
  /**
   * What a module that fails to import spoils: only its plugin, or every
   * plugin of its package version (plugin directories fall back per
   * version, issue 5, so the broken module's siblings may reject too).
   * Plugins of other packages always resolve.
   *
   * @default {"plugin"}
   */
  brokenModuleSpoils?: "plugin" | "package";
}

/**
 * Registers one test that runs the finder contract against an
 * implementation, each clause a step.
 *
 * @param label The implementation, for the test name.
 * @param setup Makes finders over a fresh fixture.
 * @param options What the implementation may do differently.
 */
export function finderContract(
  label: string,
  setup: FinderSetup,
  options: ContractOptions = {},
): void {
  Deno.test(`${label} passes the PluginFinder contract`, async (t) => {
    const dir = await Deno.realPath(
      await Deno.makeTempDir({ prefix: "plux_" }),
    );
    try {
      const fixture = await writeContractFixture(dir);
      const make = await setup(fixture);
      await runContract(t, fixture, make, options);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

async function runContract(
  t: Deno.TestContext,
  fixture: ContractFixture,
  make: () => PluginFinder,
  options: ContractOptions,
): Promise<void> {
  const perPackage = options.brokenModuleSpoils === "package";
  /** Whether a plugin may fail to resolve because its package has the broken module. */
  const mayFail = (id: string) => perPackage && SIBLINGS.includes(id);
  const finder = make();

  await t.step(
    "findPlugins() lists every plugin as a spec or a lazy entry (namespace, name, resolve())",
    async () => {
      const items = await list(finder);
      for (const item of items) {
        assert.equal(typeof item.namespace, "string");
        assert.equal(typeof item.name, "string");
        if (!(item instanceof PluginSpec)) {
          assert.equal(typeof (item as PluginEntry).resolve, "function");
        }
      }
      assert.deepEqual(items.map(idOf).sort(), CONTRACT_PLUGINS);
    },
  );

  await t.step(
    "findPlugins() gives the same order on every call and from a second finder",
    async () => {
      const first = (await list(finder)).map(idOf);
      assert.deepEqual((await list(finder)).map(idOf), first);
      assert.deepEqual((await list(make())).map(idOf), first);
    },
  );

  await t.step(
    "findPlugins({ namespace }) may narrow but keeps every plugin of the namespace, in order",
    async () => {
      const all = (await list(finder)).map(idOf);
      for (const namespace of [...NAMESPACES, "contract.none"]) {
        const narrowed = await list(make(), { namespace });
        assert.deepEqual(
          narrowed.filter((i) => i.namespace === namespace).map(idOf),
          all.filter((id) => id.startsWith(`${namespace}:`)),
          namespace,
        );
      }
    },
  );

  await t.step(
    "findPlugins() and PluginManager listing import no plugin module",
    async () => {
      for (const namespace of NAMESPACES) {
        const manager = new PluginManager(namespace, { finder: make() });
        assert.ok((await manager.listNames()).length > 0);
      }
      assert.deepEqual(contractImports(fixture), []);
    },
  );

  await t.step(
    "findPlugins() passes a defect to report instead of throwing, and still lists the rest",
    async () => {
      const problems: unknown[] = [];
      const items = await list(make(), { report: (e) => problems.push(e) });
      assert.deepEqual(items.map(idOf).sort(), CONTRACT_PLUGINS);
      assert.ok(problems.length > 0, "the defect is reported");
      for (const problem of problems) assert.ok(problem instanceof Error);
      assert.ok(
        problems.some((p) => /gamma/.test((p as Error).message)),
        `a problem names gamma: ${problems.map((p) => (p as Error).message)}`,
      );
    },
  );

  await t.step(
    "entry.resolve() imports its module (and none of another package) and returns the spec of its namespace and name",
    async () => {
      const one = (await list(finder)).find((i) =>
        idOf(i) === "contract.a:one"
      )!;
      const spec = await resolveItem(one);
      assert.ok(spec instanceof PluginSpec);
      assert.equal(spec.namespace, "contract.a");
      assert.equal(spec.name, "one");
      // Its own module at least; a finder may import its package's other
      // modules with it (to settle the package), but none of another package.
      const imported = contractImports(fixture);
      assert.ok(imported.includes("contract.a:one"), String(imported));
      assert.deepEqual(
        imported.filter((id) => !Object.hasOwn(PACKAGES.alpha.plugins, id)),
        [],
      );
    },
  );

  await t.step(
    perPackage
      ? "entry.resolve() of a module that throws rejects with PluginException, and no plugin of another package does"
      : "entry.resolve() of a module that throws rejects with PluginException, and only that entry does",
    async () => {
      const items = await list(finder, { report: () => {} });
      const broken = items.find((i) => idOf(i) === BROKEN)!;
      const error = await resolveItem(broken).then(() => undefined, (e) => e);
      assert.ok(error instanceof PluginException, String(error));
      assert.equal(error.namespace, "contract.b");
      assert.equal(error.pluginName, "broken");
      assert.match(error.message, /contract\.b:broken/);
      for (const item of items) {
        if (idOf(item) === BROKEN) continue;
        const outcome = await resolveItem(item).catch((e) => e);
        if (mayFail(idOf(item)) && outcome instanceof PluginException) {
          assert.equal(outcome.pluginName, item.name);
          continue;
        }
        assert.ok(outcome instanceof PluginSpec, `${idOf(item)}: ${outcome}`);
        assert.equal(idOf(outcome), idOf(item));
      }
      assert.deepEqual(
        [...new Set(contractImports(fixture))].sort(),
        CONTRACT_PLUGINS,
      );
    },
  );

  await t.step(
    "PluginManager over the finder lists and loads the plugins and reports the failures",
    async () => {
      for (const namespace of NAMESPACES) {
        const problems: string[] = [];
        const manager = new PluginManager(namespace, {
          finder: make(),
          listeners: [{
            onResolveException: (_ns, info, error) =>
              void problems.push(
                `${info?.name ?? "-"}: ${(error as Error).message}`,
              ),
          }],
        });
        const names = CONTRACT_PLUGINS
          .filter((id) => id.startsWith(`${namespace}:`))
          .map((id) => id.slice(namespace.length + 1));
        assert.deepEqual(await manager.listNames(), names);
        await manager.loadAll();
        for (const name of names) {
          const id = `${namespace}:${name}`;
          if (id === BROKEN) continue;
          const loaded = await manager.isLoaded(name);
          if (!loaded && mayFail(id)) {
            assert.ok(
              problems.some((p) => p.startsWith(`${name}: `)),
              problems.join("\n"),
            );
            continue;
          }
          assert.equal(loaded, true, id);
        }
        assert.ok(problems.some((p) => /gamma/.test(p)), problems.join("\n"));
        if (namespace === "contract.b") {
          assert.equal(await manager.isLoaded("broken"), false);
          assert.ok(
            problems.some((p) => p.startsWith("broken: ")),
            problems.join("\n"),
          );
        }
      }
    },
  );
}
