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
import {
  type IndexRunner,
  indexRunner,
  type PackageConfig,
} from "./package_config.ts";
import { allowFlag, flagPath, ungranted } from "../finders/_permission_flag.ts";

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
  /**
   * Whether modules declare plugins the index cannot list (not exported, or
   * in a module left out by default): the warnings say which.
   */
  readonly hidesPlugins: boolean;
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
 * @param root The workspace root's config, when indexing from the root.
 * @returns What was found and done.
 */
export async function indexPackage(
  config: PackageConfig,
  mode: IndexMode,
  importTimeout?: number,
  root?: PackageConfig,
): Promise<PackageReport> {
  const runner = indexRunner(config, root);
  const leftOut: string[] = [];
  const modules = await listModules(config, leftOut);
  const collected = await collectPlugins(
    config.dir,
    modules,
    importTimeout,
    runner.advise,
  );
  const built = buildIndex(config, collected.exports);
  const file = join(config.dir, INDEX_FILE);
  const existing = await readTextIfExists(file);
  const hidden = [
    ...collected.unexported.map(unexportedHint),
    ...await leftOutHints(config.dir, leftOut),
  ];
  const report: PackageReport = {
    config,
    index: built.index,
    plugins: Object.values(built.index.plugins).flat().length,
    modules: modules.length,
    written: [],
    stale: [],
    warnings: [...built.warnings, ...hidden],
    errors: [...collected.errors, ...built.errors],
    hadIndex: existing !== undefined,
    hidesPlugins: hidden.length > 0,
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
  if (config.name === undefined && config.exports === undefined) {
    report.warnings.push(
      `${configName} has no "name" and no "exports", so ${INDEX_FILE} is ` +
        "read from disk only (by the application it belongs to); for a " +
        'package that others import, add "name", "version" and "exports" ' +
        `(plux init says how): plux index then lists "${INDEX_EXPORT}" in ` +
        '"exports"',
    );
  }
  if (mode === "check") {
    report.stale.push(...indexDifferences(INDEX_FILE, existing, built.index));
    if (exportMissing) {
      report.stale.push(
        `${configName} does not list "${INDEX_EXPORT}" in "exports"`,
      );
    }
  } else if (mode === "write") {
    const writes: [path: string, text: string][] = [];
    if (existing !== text) writes.push([file, text]);
    if (exportMissing) writes.push([config.file, addIndexExport(config)]);
    // Both files or neither: an index its exports do not serve is not read.
    const denied = ungranted("write", writes.map(([path]) => path));
    if (denied.length > 0) {
      report.errors.push(writeDenied(writes, denied, exportMissing, runner));
      return report;
    }
    for (const [path, content] of writes) {
      await Deno.writeTextFile(path, content);
      report.written.push(path);
    }
  }
  return report;
}

/** The error of a run that may not write what it must: nothing is written. */
function writeDenied(
  writes: readonly [string, string][],
  denied: readonly string[],
  exportMissing: boolean,
  runner: IndexRunner,
): Error {
  let base = runner.base;
  try {
    base ??= Deno.cwd();
  } catch {
    // Without read access to the working directory, paths stay absolute.
  }
  const flag = allowFlag(
    "write",
    writes.map(([path]) => flagPath(path, base)),
  );
  const why = exportMissing
    ? ` (its "exports" must list "${INDEX_EXPORT}")`
    : "";
  return new Error(
    `cannot write ${denied.join(" and ")}${why}, so nothing was written: ` +
      runner.advise(flag),
  );
}
