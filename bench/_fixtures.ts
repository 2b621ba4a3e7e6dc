/**
 * Generates realistic plugin applications for benchmarks and the lazy-loading
 * test: an application `deno.json` whose import map reaches P plugin
 * packages, half of them workspace members and half local folders (plain
 * `"x": "./pkgs/x/mod.ts"` and trailing-slash `"x/": "./pkgs/x/"` mappings),
 * each with K plugin modules, a `deno.json` that exports them and a
 * `plux.json` written with {@linkcode formatIndex}.
 *
 * Every plugin module pushes its URL onto `globalThis.__pluxImported` when
 * that array exists, so a test can see which modules were imported.
 *
 * @module
 */

import { formatIndex, type IndexEntry } from "../src/index/format.ts";

/** The file URL of this repository's `mod.ts`, which plugin modules import. */
export const LIBRARY_URL: string = new URL("../mod.ts", import.meta.url).href;

/** How a generated package is reached from the application. */
export type FixtureKind = "workspace" | "plain" | "slash";

/** One generated plugin package. */
export interface FixturePackage {
  /** The package name (`@bench/w3`) or import-map key (`p4`, `p5/`). */
  readonly name: string;
  /** How the application reaches it. */
  readonly kind: FixtureKind;
  /** The package folder. */
  readonly dir: string;
  /** The path of its `plux.json`. */
  readonly index: string;
  /** The file URLs of its plugin modules, plugin k's at position k. */
  readonly modules: readonly string[];
}

/** Options of {@linkcode generateApp}. */
export interface FixtureOptions {
  /** How many plugin packages. */
  readonly packages: number;
  /**
   * Plugins (and modules) per package.
   *
   * @default {10}
   */
  readonly pluginsPerPackage?: number;
  /**
   * The namespace of the k-th plugin of a package.
   *
   * @default {defaultNamespaceOf}
   */
  readonly namespaceOf?: (k: number) => string;
}

/** A generated application. */
export interface Fixture {
  /** The application folder, holding `deno.json` and `pkgs/`. */
  readonly root: string;
  /** The plugin packages, in generation order. */
  readonly packages: readonly FixturePackage[];
  /** Every plugin's `namespace -> count`. */
  readonly counts: ReadonlyMap<string, number>;
  /** Removes the whole temp folder. */
  remove(): Promise<void>;
}

/**
 * The default namespace layout for K = 10: one hook, three commands and six
 * services per package, so that at P = 1000 `bench.hooks` holds 1000 plugins.
 *
 * @param k The plugin's position in its package.
 * @returns Its namespace.
 */
export function defaultNamespaceOf(k: number): string {
  if (k % 10 === 0) return "bench.hooks";
  if (k % 10 <= 3) return "bench.commands";
  return "bench.services";
}

/**
 * Writes an application with `options.packages` plugin packages into a new
 * temp folder.
 *
 * @param options The size and layout.
 * @returns The application; call `remove()` when done.
 */
export async function generateApp(options: FixtureOptions): Promise<Fixture> {
  const root = await Deno.makeTempDir({ prefix: "plux_bench_" });
  const perPackage = options.pluginsPerPackage ?? 10;
  const namespaceOf = options.namespaceOf ?? defaultNamespaceOf;
  const packages: FixturePackage[] = [];
  const counts = new Map<string, number>();
  const workspace: string[] = [];
  const imports: Record<string, string> = {};
  for (let i = 0; i < options.packages; i++) {
    const kind: FixtureKind = i % 2 === 0
      ? "workspace"
      : i % 4 === 1
      ? "plain"
      : "slash";
    const folder = `${kind === "workspace" ? "w" : "p"}${i}`;
    const dir = `${root}/pkgs/${folder}`;
    const name = kind === "workspace" ? `@bench/${folder}` : folder;
    if (kind === "workspace") workspace.push(`./pkgs/${folder}`);
    if (kind === "plain") imports[name] = `./pkgs/${folder}/mod.ts`;
    if (kind === "slash") imports[`${name}/`] = `./pkgs/${folder}/`;
    const modules = Array.from(
      { length: perPackage },
      (_, k) => new URL(`file://${dir}/plugins/k${k}.ts`).href,
    );
    packages.push({ name, kind, dir, index: `${dir}/plux.json`, modules });
  }
  await _inBatches(packages, 64, (pkg, i) => {
    const namespaces = Array.from({ length: perPackage }, (_, k) => {
      const namespace = namespaceOf(k);
      counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
      return namespace;
    });
    return _writePackage(pkg, i, namespaces);
  });
  await Deno.writeTextFile(
    `${root}/deno.json`,
    JSON.stringify({ workspace, imports }, null, 2) + "\n",
  );
  return {
    root,
    packages,
    counts,
    remove: () => Deno.remove(root, { recursive: true }),
  };
}

async function _writePackage(
  pkg: FixturePackage,
  i: number,
  namespaces: string[],
): Promise<void> {
  await Deno.mkdir(`${pkg.dir}/plugins`, { recursive: true });
  const exports: Record<string, string> = {
    ".": "./mod.ts",
    "./plux.json": "./plux.json",
  };
  const plugins: Record<string, IndexEntry[]> = {};
  const writes: Promise<void>[] = [];
  namespaces.forEach((namespace, k) => {
    const name = `pkg${i}_plugin${k}`;
    const className = `Pkg${i}Plugin${k}`;
    exports[`./k${k}`] = `./plugins/k${k}.ts`;
    (plugins[namespace] ??= []).push({
      name,
      export: className,
      subpath: `./k${k}`,
      path: `./plugins/k${k}.ts`,
      metadata: { description: `plugin ${k} of package ${i}` },
    });
    writes.push(Deno.writeTextFile(
      `${pkg.dir}/plugins/k${k}.ts`,
      `import { Plugin } from "${LIBRARY_URL}";\n\n` +
        `(globalThis as { __pluxImported?: string[] }).__pluxImported?.push(import.meta.url);\n\n` +
        `export class ${className} extends Plugin {\n` +
        `  static namespace = ${JSON.stringify(namespace)};\n` +
        `  static pluginName = ${JSON.stringify(name)};\n` +
        `  override load(): string {\n` +
        `    return ${JSON.stringify(name)};\n` +
        `  }\n}\n`,
    ));
  });
  const packageName = pkg.kind === "workspace" ? pkg.name : `@bench/p${i}`;
  writes.push(
    Deno.writeTextFile(
      `${pkg.dir}/deno.json`,
      JSON.stringify(
        { name: packageName, version: "1.0.0", exports },
        null,
        2,
      ) + "\n",
    ),
    Deno.writeTextFile(
      pkg.index,
      formatIndex({
        version: 1,
        package: { name: packageName, version: "1.0.0" },
        plugins,
      }),
    ),
    Deno.writeTextFile(
      `${pkg.dir}/mod.ts`,
      `/** Package ${i}; its plugins are in ./plugins. */\nexport const id = ${i};\n`,
    ),
  );
  await Promise.all(writes);
}

async function _inBatches<T>(
  items: readonly T[],
  size: number,
  work: (item: T, position: number) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    await Promise.all(
      items.slice(start, start + size).map((item, j) => work(item, start + j)),
    );
  }
}
