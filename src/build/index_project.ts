/**
 * `src/build/`: the indexer behind `plux index` (collecting the plugins a
 * package's modules declare, writing `plux.json` and its `exports` entry,
 * checking it in CI) and the registry generator behind `plux registry`. It
 * may import `core/`, `index/` and `finders/`; only `cli/` imports it.
 *
 * @module
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { expandMembers } from "../finders/import_map/_workspace_members.ts";
import {
  type IndexMode,
  indexPackage,
  type PackageReport,
} from "./index_package.ts";
import {
  findConfigFile,
  type PackageConfig,
  readPackageConfig,
} from "./package_config.ts";

/** What indexing a package or a workspace found. */
export interface ProjectReport {
  /** The config that was given (the package's, or the workspace root's). */
  readonly config: PackageConfig;
  /** One report per package indexed, workspace members in member order. */
  readonly packages: PackageReport[];
  /**
   * Workspace members left alone because they have no plugins, no
   * `plux.json`, nothing in their config saying they offer plugins and no
   * module declaring one (absolute folders).
   */
  readonly skipped: string[];
  /** Problems outside any one package (a member without a config). */
  readonly errors: Error[];
}

/**
 * Indexes the package whose config is given or, when that config is a
 * workspace root, every member that has plugins (or already has a
 * `plux.json`), plus the root itself when it has `exports`. One member's
 * failure does not stop the others.
 *
 * @param configFile The `deno.json`/`deno.jsonc` of the package or workspace.
 * @param mode Write, check or only discover.
 * @param importTimeout How long one module may take to import, in ms.
 * @returns The per-package reports.
 * @throws {SyntaxError} When the given config cannot be parsed.
 */
export async function indexProject(
  configFile: string,
  mode: IndexMode,
  importTimeout?: number,
): Promise<ProjectReport> {
  const config = await readPackageConfig(configFile);
  const report: ProjectReport = {
    config,
    packages: [],
    skipped: [],
    errors: [],
  };
  if (config.workspace === undefined) {
    report.packages.push(await indexPackage(config, mode, importTimeout));
    return report;
  }
  const members: PackageConfig[] = config.exports === undefined ? [] : [config];
  const root = pathToFileURL(`${config.dir}/`);
  const found = expandMembers(
    root,
    config.workspace,
    (problem) => report.errors.push(problem),
  );
  for (const url of found) {
    const dir = fileURLToPath(url).replace(/[\\/]$/, "");
    try {
      const file = await findConfigFile(dir);
      if (file === undefined) {
        throw new Error(
          `workspace member ${dir} has no deno.json or deno.jsonc; ` +
            `add one or remove the member from "workspace" in ${config.file}`,
        );
      }
      members.push(await readPackageConfig(file));
    } catch (error) {
      report.errors.push(error as Error);
    }
  }
  for (const member of members) {
    const scan = await indexPackage(
      member,
      "discover",
      importTimeout,
      config,
    );
    // A member whose config says it offers plugins is indexed even before
    // it has any: discovery reports its missing plux.json otherwise. So is
    // one whose modules declare plugins the index cannot list, for the
    // warnings that say why.
    if (
      scan.errors.length === 0 && scan.plugins === 0 && !scan.hadIndex &&
      member.expectsIndex === undefined && !scan.hidesPlugins
    ) {
      report.skipped.push(member.dir);
      continue;
    }
    report.packages.push(
      mode === "discover" || scan.errors.length > 0
        ? scan
        : await indexPackage(member, mode, importTimeout, config),
    );
  }
  return report;
}
