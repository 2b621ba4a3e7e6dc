/**
 * A forgotten step: a local package whose config says it offers plugins
 * (a `plux:index` task, `"plux"` settings, its own `@plux/core` mapping) but
 * that has no `plux.json` is reported with the command that writes it,
 * instead of being skipped without a word.
 *
 * @module
 */

import { expectsIndex, INDEX_TASK } from "../../index/expects_index.ts";
import { isRecord } from "../../core/_values.ts";
import { type AppConfig, fromFileUrl, readJsonc } from "./_deno_config.ts";
import type { PackageCandidate } from "./_package_sources.ts";
import type { ReadAccess } from "./_read_access.ts";

/** How `plux init` is run in a package folder, for messages. */
const INIT = "deno run --allow-read=. --allow-write=. jsr:@plux/core/cli init";

/**
 * The problem of a local package without `plux.json` whose config says it
 * should have one, or `undefined` (no config, nothing said, or a config the
 * process may not read: then there is nothing to go on, and no prompt).
 *
 * @param candidate The package.
 * @param dir The package folder, holding its config.
 * @param config The application config.
 * @param access What the process may read.
 * @param label The package as messages name it.
 * @returns The problem, naming the package, the file and the command.
 */
export async function missingIndex(
  candidate: PackageCandidate,
  dir: URL,
  config: AppConfig,
  access: ReadAccess,
  label: string,
): Promise<Error | undefined> {
  for (const name of ["deno.json", "deno.jsonc"]) {
    const url = new URL(name, dir);
    const path = fromFileUrl(url);
    if (!access.canRead(path)) return undefined;
    let data: Record<string, unknown>;
    try {
      data = await readJsonc(url);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      return undefined; // a broken config is Deno's to report
    }
    const reason = expectsIndex(data, candidate.kind === "app");
    if (reason === undefined) return undefined;
    const folder = fromFileUrl(dir).replace(/(.)[\\/]$/, "$1");
    const ownTask = isRecord(data.tasks) &&
      Object.hasOwn(data.tasks, INDEX_TASK);
    const task = ownTask ||
      (candidate.kind === "workspace" && config.rootIndexTask);
    const fix = task
      ? `run \`deno task ${INDEX_TASK}\` in ${folder}`
      : `run \`${INIT}\` in ${folder} to add the ${INDEX_TASK} task, then ` +
        `\`deno task ${INDEX_TASK}\` there`;
    return new Error(
      `${label} has no plux.json, but its ${name} ${reason}, so it is meant ` +
        `to offer plugins: ${fix}`,
    );
  }
  return undefined;
}
