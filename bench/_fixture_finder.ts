/**
 * A hand-made finder over a generated application's `deno.json`: workspace
 * members, plain and trailing-slash local mappings. It stands in for the
 * import-map finder when that is not available, and shows the least work a
 * finder of these sources must do.
 *
 * @module
 */

import { parseIndex } from "../src/index/format.ts";
import type { PluginEntry, PluginFinder } from "../src/runtime/finder.ts";
import { indexEntries } from "../src/runtime/index_entries.ts";

/** A finder over the generated application rooted at `root`. */
export class FixtureFinder implements PluginFinder {
  readonly #root: string;

  /** @param root The application folder. */
  constructor(root: string) {
    this.#root = root;
  }

  /**
   * Reads the application's deno.json and each package's plux.json.
   *
   * @param options The namespace wanted.
   * @returns Lazy entries.
   */
  async findPlugins(
    options: { namespace?: string } = {},
  ): Promise<PluginEntry[]> {
    const config = JSON.parse(
      await Deno.readTextFile(`${this.#root}/deno.json`),
    ) as { workspace: string[]; imports: Record<string, string> };
    const packages: { dir: string; prefix: string | undefined }[] = [];
    for (const member of config.workspace) {
      packages.push({ dir: `${this.#root}/${member.slice(2)}`, prefix: "" });
    }
    for (const [key, target] of Object.entries(config.imports)) {
      const dir = `${this.#root}/${
        target.slice(2).replace(/\/?(mod\.ts)?$/, "")
      }`;
      packages.push({ dir, prefix: key.endsWith("/") ? key : undefined });
    }
    const found = await Promise.all(packages.map(async ({ dir, prefix }) => {
      const file = `${dir}/plux.json`;
      const { index } = parseIndex(await Deno.readTextFile(file), file);
      const name = index.package?.name ?? dir;
      return indexEntries({
        source: { kind: "local", package: name, index: `file://${file}` },
        index,
        specifierOf: (entry) =>
          prefix === ""
            ? `${name}/${entry.subpath!.slice(2)}`
            : prefix !== undefined
            ? `${prefix}${entry.path!.slice(2)}`
            : `file://${dir}/${entry.path!.slice(2)}`,
      }, options.namespace);
    }));
    return found.flat();
  }
}
