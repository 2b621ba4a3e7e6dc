/**
 * Builds plugin directories for tests: unpacked plugin packages with
 * deno.json, plux.json and one module per plugin, importing this repo's
 * mod.ts by file URL. Each module, when imported, appends its URL to
 * `globalThis.pluxImported`, which {@linkcode importedUnder} reads.
 *
 * @module
 */

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { formatIndex } from "../../../src/index/format.ts";

/** The URL of this repository's mod.ts, for plugin modules to import. */
export const MOD_URL: string = new URL("../../../mod.ts", import.meta.url).href;

/** What {@linkcode writePackage} writes. */
export interface PackageOptions {
  /** The package name. */
  name: string;
  /** The package version. */
  version: string;
  /** Plugin names per namespace; each load() returns `name@version`. */
  plugins?: Record<string, string[]>;
  /** `"plux": { "requires" }` of its deno.json. */
  requires?: Record<string, string>;
  /** Plugins whose module throws when imported. */
  broken?: string[];
  /** Plugins whose load() throws. */
  failing?: string[];
  /** Import `"@plux/core"` bare, through the host's import map. */
  bare?: boolean;
  /** Replaces plux.json's text. */
  index?: string;
  /** Replaces deno.json's text. */
  config?: string;
  /**
   * What plugins declare, by plugin name: written as `static requires` and
   * `static after` and into the index. Such a plugin's load() returns
   * `name@version using {requirements}`.
   */
  declares?: Record<string, { requires?: string[]; after?: string[] }>;
}

/**
 * Writes one unpacked plugin package at `join(dir, entry)`.
 *
 * @param dir The plugin directory.
 * @param entry The entry's folder name.
 * @param options The package.
 * @returns The package folder.
 */
export async function writePackage(
  dir: string,
  entry: string,
  options: PackageOptions,
): Promise<string> {
  const root = join(dir, entry);
  await Deno.mkdir(root, { recursive: true });
  const plugins = options.plugins ?? { "app.tools": ["tool"] };
  const index: Record<
    string,
    {
      name: string;
      export: string;
      path: string;
      requires?: string[];
      after?: string[];
    }[]
  > = {};
  for (const [namespace, names] of Object.entries(plugins)) {
    index[namespace] = [];
    for (const name of names) {
      const file = `${namespace}.${name}.ts`;
      const id = `${options.name}@${options.version}`;
      const body = options.broken?.includes(name)
        ? `throw new Error("broken module of ${id}");\n`
        : "";
      const declared = options.declares?.[name];
      const load = options.failing?.includes(name)
        ? `throw new Error("load() of ${id} fails")`
        : declared === undefined
        ? `return "${id}"`
        : `const c = args.at(-1) as { requirements?: object } | undefined; ` +
          `return "${id}" + (c?.requirements ? " using " + ` +
          `JSON.stringify(c.requirements) : "")`;
      const statics = declared === undefined ? "" : [
        declared.requires &&
        `  static requires = ${JSON.stringify(declared.requires)};\n`,
        declared.after &&
        `  static after = ${JSON.stringify(declared.after)};\n`,
      ].filter(Boolean).join("");
      await Deno.writeTextFile(
        join(root, file),
        `import { Plugin } from "${options.bare ? "@plux/core" : MOD_URL}";\n` +
          `// deno-lint-ignore no-explicit-any\n` +
          `((globalThis as any).pluxImported ??= []).push(import.meta.url);\n` +
          body +
          `export class Tool extends Plugin {\n` +
          `  static namespace = ${JSON.stringify(namespace)};\n` +
          `  static pluginName = ${JSON.stringify(name)};\n` +
          statics +
          `  override load(...args: unknown[]) { ${load}; }\n` +
          `}\n`,
      );
      index[namespace].push({
        name,
        export: "Tool",
        path: `./${file}`,
        ...declared,
      });
    }
  }
  const config = {
    name: options.name,
    version: options.version,
    exports: { "./plux.json": "./plux.json" },
    ...(options.requires ? { plux: { requires: options.requires } } : {}),
  };
  await Deno.writeTextFile(
    join(root, "deno.json"),
    options.config ?? JSON.stringify(config, null, 2),
  );
  await Deno.writeTextFile(
    join(root, "plux.json"),
    options.index ??
      formatIndex({
        version: 1,
        package: { name: options.name, version: options.version },
        plugins: index,
      }),
  );
  return root;
}

/**
 * Runs `fn` with a fresh temp folder, removed afterwards.
 *
 * @param fn The test body.
 * @returns What `fn` returns.
 */
export async function withTempDir<T>(
  fn: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "plux_" });
  try {
    return await fn(await Deno.realPath(dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * The plugin modules under `dir` imported so far in this process, as paths
 * relative to `dir`, in import order.
 *
 * @param dir A plugin directory (or a folder holding several).
 * @returns For example `["a-2/app.tools.tool.ts"]`.
 */
export function importedUnder(dir: string): string[] {
  const prefix = pathToFileURL(dir).href + "/";
  const urls: string[] =
    (globalThis as { pluxImported?: string[] }).pluxImported ?? [];
  return urls.filter((url) => url.startsWith(prefix)).map((url) =>
    decodeURIComponent(url.slice(prefix.length))
  );
}
