import {
  INDEX_VERSION,
  type IndexEntry,
  isInsidePackage,
  isName,
  isPackageName,
  isVersion,
  type PluginIndex,
} from "../index/format.ts";
import type { PluginExport } from "./collect_plugins.ts";
import { compareStrings } from "../core/_values.ts";

/** The index built from a package's plugin exports. */
export interface BuiltIndex {
  /** The index to write. */
  readonly index: PluginIndex;
  /** Plugins only reachable from modules that are not exported. */
  readonly warnings: string[];
  /** Two different plugins with the same namespace and name. */
  readonly errors: Error[];
}

/**
 * Builds a package's index from the plugin exports of its modules.
 *
 * The same plugin exported from several modules (a re-export) is one entry.
 * Its location is chosen deterministically: an exported module before one
 * that is not; among exported modules a specific subpath before `"."` (so
 * that loading the plugin imports less code), then by subpath, path and
 * export name. A plugin found only in modules that are not exported gets an
 * entry with `path` alone and a warning saying how to export it. Two
 * different values declaring the same namespace and name are an error naming
 * both places.
 *
 * @param pkg The package's name and version, for the index.
 * @param exports The plugin exports, as collected.
 * @returns The index, the warnings and the errors.
 */
export function buildIndex(
  pkg: { readonly name?: string; readonly version?: string },
  exports: readonly PluginExport[],
): BuiltIndex {
  const groups = new Map<string, PluginExport[]>();
  const errors: Error[] = [];
  for (const item of exports) {
    const key = `${item.namespace}:${item.name}`;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, [item]);
    } else if (group[0]!.value === item.value) {
      group.push(item);
    } else {
      errors.push(
        new Error(
          `two different plugins are named ${key}: ${place(group[0]!)} and ` +
            `${place(item)}; rename one (names must be unique in a namespace)`,
        ),
      );
    }
  }
  const plugins: Record<string, IndexEntry[]> = {};
  const warnings: string[] = [];
  for (const [key, group] of groups) {
    const best = [...group].sort(compareLocations)[0]!;
    const subpath = best.module.subpaths[0];
    const names = [
      best.namespace,
      best.name,
      best.export,
      ...best.requires,
      ...best.after,
    ];
    if (!names.every(isName)) {
      errors.push(
        new Error(
          `plugin ${JSON.stringify(key)} has a namespace, name, export or ` +
            "requirement that is not well-formed Unicode (a lone surrogate), " +
            "which a plux.json may not name; rename it",
        ),
      );
      continue;
    }
    if (
      !isInsidePackage(best.module.path, "path") ||
      (subpath !== undefined && !isInsidePackage(subpath, "subpath"))
    ) {
      // The reader would refuse the entry: say so now, not at run time.
      errors.push(
        new Error(
          `plugin ${key} is in ${
            JSON.stringify(subpath ?? best.module.path)
          }, which a plux.json ` +
            "may not name (no whitespace, control characters, %, #, ? or \\ " +
            "in module paths and export keys); rename it",
        ),
      );
      continue;
    }
    if (subpath === undefined) {
      const suggested = `./${
        best.module.path.replace(/^\.\/(src\/)?/, "").replace(/\.[^./]+$/, "")
      }`;
      warnings.push(
        `plugin ${key} is exported only by ${best.module.path}, which is not in ` +
          `"exports": jsr:, npm: and workspace users cannot import it; add ` +
          `"${suggested}": "${best.module.path}" to "exports" in the package's ` +
          `config, or re-export ${best.export} from an exported module`,
      );
    }
    (plugins[best.namespace] ??= []).push({
      name: best.name,
      export: best.export,
      subpath,
      path: best.module.path,
      requires: best.requires.length === 0 ? undefined : best.requires,
      after: best.after.length === 0 ? undefined : best.after,
      metadata: best.description === undefined
        ? undefined
        : { description: best.description },
    });
  }
  const sorted: Record<string, IndexEntry[]> = {};
  for (const namespace of Object.keys(plugins).sort(compareStrings)) {
    sorted[namespace] = plugins[namespace]!.sort((a, b) =>
      compareStrings(a.name, b.name)
    );
  }
  if (pkg.name !== undefined && !isPackageName(pkg.name)) {
    warnings.push(
      `the package name ${
        JSON.stringify(pkg.name)
      } is not a package name ("@scope/name" ` +
        `or "name") and is left out of plux.json; fix "name" in the package's config`,
    );
    pkg = { version: pkg.version };
  }
  if (pkg.version !== undefined && !isVersion(pkg.version)) {
    warnings.push(
      `the package version ${
        JSON.stringify(pkg.version)
      } is not a version ("1.2.3", ` +
        `"1.2.3-rc.1") and is left out of plux.json; fix "version" in the package's config`,
    );
    pkg = { name: pkg.name };
  }
  return {
    index: {
      version: INDEX_VERSION,
      package: pkg.name === undefined && pkg.version === undefined
        ? undefined
        : { name: pkg.name, version: pkg.version },
      plugins: sorted,
    },
    warnings: warnings.sort(),
    errors,
  };
}

function place(item: PluginExport): string {
  return `${item.module.path} (export ${item.export})`;
}

function compareLocations(a: PluginExport, b: PluginExport): number {
  const rank = (item: PluginExport) => {
    const subpath = item.module.subpaths[0];
    return subpath === undefined ? 2 : subpath === "." ? 1 : 0;
  };
  return rank(a) - rank(b) ||
    compareStrings(a.module.subpaths[0] ?? "", b.module.subpaths[0] ?? "") ||
    compareStrings(a.module.path, b.module.path) ||
    compareStrings(a.export, b.export);
}
