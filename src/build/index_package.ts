import { basename, join, relative } from "node:path";
import { formatIndex, INDEX_FILE, type PluginIndex } from "../index/format.ts";
import { readTextIfExists } from "./_files.ts";
import { buildIndex } from "./build_index.ts";
import { collectPlugins } from "./collect_plugins.ts";
import {
  addIndexExport,
  INDEX_EXPORT,
  indexExportConflict,
  needsIndexExport,
} from "./exports_entry.ts";
import { findIgnoringRule } from "./gitignore.ts";
import { indexDifferences } from "./index_diff.ts";
import { listModules } from "./module_list.ts";
import { leftOutHints, unexportedHint } from "./plugin_hints.ts";
import type { PackageConfig } from "./package_config.ts";

/** What {@linkcode indexPackage} does with what it finds. */
export type IndexMode = "write" | "check" | "discover";

/** What indexing one package found and did. */
export interface PackageReport {
  /** The package's config. */
  readonly config: PackageConfig;
  /** The index built from the code. */
  readonly index: PluginIndex;
  /** The number of plugins in the index. */
  readonly plugins: number;
  /** The number of modules imported. */
  readonly modules: number;
  /** The files written (absolute paths); always empty unless mode is `write`. */
  readonly written: string[];
  /** How the files on disk differ from the code (mode `check`). */
  readonly stale: string[];
  /** Problems that do not fail the run. */
  readonly warnings: string[];
  /** Problems that fail the run; nothing is written when there are any. */
  readonly errors: Error[];
  /** Whether the package already had a `plux.json`. */
  readonly hadIndex: boolean;
}

/**
 * Indexes one package: imports its modules, builds its index, and then,
 * depending on `mode`, writes `plux.json` and the `exports` entry
 * (`"write"`), compares them with the code (`"check"`), or only reports
 * (`"discover"`). Nothing is written when a module fails to import, two
 * plugins share a name, or `exports` maps `"./plux.json"` to another file.
 *
 * @param config The package's config.
 * @param mode What to do with the index.
 * @param importTimeout How long one module may take to import, in ms.
 * @returns What was found and done.
 */
export async function indexPackage(
  config: PackageConfig,
  mode: IndexMode,
  importTimeout?: number,
): Promise<PackageReport> {
  const leftOut: string[] = [];
  const modules = await listModules(config, leftOut);
  const collected = await collectPlugins(config.dir, modules, importTimeout);
  const built = buildIndex(config, collected.exports);
  const file = join(config.dir, INDEX_FILE);
  const existing = await readTextIfExists(file);
  const report: PackageReport = {
    config,
    index: built.index,
    plugins: Object.values(built.index.plugins).flat().length,
    modules: modules.length,
    written: [],
    stale: [],
    warnings: [
      ...built.warnings,
      ...collected.unexported.map(unexportedHint),
      ...await leftOutHints(config.dir, leftOut),
    ],
    errors: [...collected.errors, ...built.errors],
    hadIndex: existing !== undefined,
  };
  const configName = basename(config.file);
  const conflict = indexExportConflict(config);
  if (conflict !== undefined) {
    report.errors.push(
      new Error(
        `${configName} maps "${INDEX_EXPORT}" to "${conflict}" in "exports", ` +
          `but plux index writes the index to ${INDEX_EXPORT} and finders ` +
          `read the file that entry names; change it to ` +
          `"${INDEX_EXPORT}": "${INDEX_EXPORT}" (plux index leaves it alone)`,
      ),
    );
  }
  if (report.errors.length > 0) return report;
  const text = formatIndex(built.index);
  const rule = await findIgnoringRule(file);
  if (rule !== undefined) {
    report.warnings.push(
      `${INDEX_FILE} is ignored by ${relative(config.dir, rule.file)} ` +
        `(pattern "${rule.pattern}"), so \`deno publish\` would leave it out: ` +
        `remove the pattern, or add "!${INDEX_FILE}" after it`,
    );
  }
  const exportMissing = needsIndexExport(config);
  if (mode === "check") {
    report.stale.push(...indexDifferences(INDEX_FILE, existing, built.index));
    if (exportMissing) {
      report.stale.push(
        `${configName} does not list "${INDEX_EXPORT}" in "exports"`,
      );
    }
  } else if (mode === "write") {
    if (existing !== text) {
      await Deno.writeTextFile(file, text);
      report.written.push(file);
    }
    if (exportMissing) {
      await Deno.writeTextFile(config.file, addIndexExport(config));
      report.written.push(config.file);
    }
  }
  return report;
}
