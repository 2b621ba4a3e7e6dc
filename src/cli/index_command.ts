import { basename, relative } from "node:path";
import { describeDependencies } from "../core/_describe.ts";
import type { PackageReport } from "../build/index_package.ts";
import { indexProject, type ProjectReport } from "../build/index_project.ts";
import type { PluginIndex } from "../index/format.ts";
import { parseCommandArgs, timeoutFlag } from "./_args.ts";
import { locateConfig } from "./_config_file.ts";
import { type CliIo, printError, writeLines } from "./_io.ts";

/**
 * `plux index [--config PATH] [--check]`: writes (or checks) the index of the
 * package or of every workspace member, and reports per package.
 *
 * @param args The arguments after `index`.
 * @param io Where to write.
 * @returns The exit code: 0, or 1 when a package failed or is stale.
 */
export async function indexCommand(
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const { flags } = parseCommandArgs("index", args, {
    config: "string",
    check: "boolean",
    timeout: "string",
  }, 0);
  const check = flags.check === true;
  const timeout = timeoutFlag(flags.timeout, "index");
  const configFile = await locateConfig(io.cwd, flags.config as string);
  const project = await indexProject(
    configFile,
    check ? "check" : "write",
    timeout,
  );
  let failed = reportCommon(project, io, io.out);
  let stale = false;
  for (const pkg of project.packages) {
    const label = labelOf(pkg, project);
    if (pkg.errors.length > 0) {
      io.out(`${label}: failed, nothing written`);
      failed = true;
      continue;
    }
    const counts = countOf(pkg.index);
    if (check) {
      if (pkg.stale.length === 0) {
        io.out(`${label}: ${counts}; plux.json is up to date`);
      } else {
        io.out(`${label}: ${counts}; stale:`);
        for (const line of pkg.stale) io.out(`  ${line}`);
        failed = true;
        stale = true;
      }
    } else {
      const written = pkg.written.map((f) => relative(pkg.config.dir, f));
      io.out(
        `${label}: ${counts}; ${
          written.length === 0
            ? "plux.json is up to date"
            : `wrote ${written.join(", ")}`
        }`,
      );
    }
  }
  // A package that failed has its own error, with its fix, above: only a
  // stale index is fixed by indexing again.
  if (stale) {
    io.err(
      "error: the index is stale; run `deno task plux:index` (plux index) " +
        "and commit the result",
    );
  }
  return failed ? 1 : 0;
}

/**
 * `plux discover [--config PATH] [--json]`: shows what `index` would write.
 *
 * @param args The arguments after `discover`.
 * @param io Where to write.
 * @returns The exit code: 0, or 1 when a package failed.
 */
export async function discoverCommand(
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const { flags } = parseCommandArgs("discover", args, {
    config: "string",
    json: "boolean",
    timeout: "string",
  }, 0);
  const timeout = timeoutFlag(flags.timeout, "discover");
  const configFile = await locateConfig(
    io.cwd,
    flags.config as string,
    "discover",
  );
  const project = await indexProject(configFile, "discover", timeout);
  // With --json, stdout holds the JSON alone; skipped members go to stderr.
  const failed = reportCommon(project, io, flags.json ? io.err : io.out);
  const ok = project.packages.filter((pkg) => pkg.errors.length === 0);
  if (flags.json) {
    const data: Record<string, PluginIndex> = {};
    for (const pkg of ok) data[folderOf(pkg, project)] = pkg.index;
    writeLines(io.out, JSON.stringify(data, null, 2));
  } else {
    for (const pkg of ok) {
      io.out(`${labelOf(pkg, project)}: ${countOf(pkg.index)}`);
      for (const [namespace, entries] of Object.entries(pkg.index.plugins)) {
        io.out(`  ${namespace}`);
        for (const entry of entries) {
          const module = entry.subpath === undefined
            ? `${entry.path} (not exported)`
            : `${entry.subpath} (${entry.path})`;
          const order = describeDependencies(entry);
          io.out(
            `    ${entry.name}: ${entry.export} of ${module}${
              order === "" ? "" : ` (${order})`
            }`,
          );
        }
      }
    }
  }
  return failed || ok.length < project.packages.length ? 1 : 0;
}

/**
 * Prints errors and warnings (to stderr) and skipped members (to `progress`);
 * returns whether any failed.
 */
function reportCommon(
  project: ProjectReport,
  io: CliIo,
  progress: (line: string) => void,
): boolean {
  for (const error of project.errors) printError(io, error);
  for (const dir of project.skipped) {
    progress(`${relative(project.config.dir, dir)}: no plugins, skipped`);
  }
  for (const pkg of project.packages) {
    const label = labelOf(pkg, project);
    for (const warning of pkg.warnings) io.err(`warning: ${label}: ${warning}`);
    for (const error of pkg.errors) printError(io, error, `${label}: `);
  }
  return project.errors.length > 0 ||
    project.packages.some((pkg) => pkg.errors.length > 0);
}

/**
 * Names a package in reports: `name@version (folder)`, or for a package
 * without a name its folder (`greeters`, `packages/greeters`).
 */
function labelOf(pkg: PackageReport, project: ProjectReport): string {
  const { name, version, dir } = pkg.config;
  const folder = folderOf(pkg, project);
  if (name === undefined) return folder === "." ? basename(dir) : folder;
  return `${version === undefined ? name : `${name}@${version}`} (${folder})`;
}

function folderOf(pkg: PackageReport, project: ProjectReport): string {
  return relative(project.config.dir, pkg.config.dir) || ".";
}

function countOf(index: PluginIndex): string {
  const namespaces = Object.keys(index.plugins).length;
  const plugins = Object.values(index.plugins).flat().length;
  return `${plugins} plugin${plugins === 1 ? "" : "s"} in ${namespaces} ` +
    `namespace${namespaces === 1 ? "" : "s"}`;
}
