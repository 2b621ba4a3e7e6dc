import { basename, dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import config from "../../deno.json" with { type: "json" };
import { addConfigEntry } from "../build/exports_entry.ts";
import { findConfigFile } from "../build/package_config.ts";
import { parseJsonc } from "../finders/_jsonc.ts";
import { readAppConfig } from "../finders/import_map/_deno_config.ts";
import { INDEX_TASK } from "../index/expects_index.ts";
import { isRecord } from "../core/_values.ts";
import { parseCommandArgs } from "./_args.ts";
import { locateConfig } from "./_config_file.ts";
import type { CliIo } from "./_io.ts";

/** `jsr:@plux/core@^<this version>`: what the package maps and the task runs. */
const LIBRARY = `jsr:${config.name}@^${config.version}`;

/**
 * The `plux:index` task for a package whose config file is `configName`:
 * read access to the package, write access to the two files the indexer may
 * change (at a workspace root, to the members' folders below it).
 *
 * @param configName `deno.json` or `deno.jsonc`.
 * @param workspaceRoot Whether the config is a workspace root.
 * @returns The task's command.
 */
export function indexTask(configName: string, workspaceRoot: boolean): string {
  const write = workspaceRoot ? "." : `plux.json,${configName}`;
  return `deno run --allow-read=. --allow-write=${write} ${LIBRARY}/cli index`;
}

/**
 * `plux init [--config PATH]`: prepares a plugin package for indexing. Adds
 * the `plux:index` task (see {@linkcode indexTask}) and, when neither the
 * package nor its workspace maps it, `"@plux/core": "jsr:@plux/core@^<version>"`
 * to `imports` (or to the `importMap` file the config uses instead), editing
 * the files in place: comments and layout are kept. Running it again changes
 * nothing. Prints what it did and the next step.
 *
 * @param args The arguments after `init`.
 * @param io Where to write.
 * @returns The exit code: 0.
 * @throws {Error} When the folder has no config, or it cannot be parsed.
 */
export async function initCommand(
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const { flags } = parseCommandArgs("init", args, { config: "string" }, 0);
  const file = flags.config === undefined
    ? await findConfigFile(io.cwd)
    : await locateConfig(io.cwd, flags.config as string);
  if (file === undefined) {
    throw new Error(
      `no deno.json or deno.jsonc in ${io.cwd}; run plux init in the plugin ` +
        'package\'s folder, or create its deno.json ("name", "version", ' +
        '"exports") first',
    );
  }
  const name = basename(file);
  const original = await Deno.readTextFile(file);
  let text = original;
  const data = await parseJsonc(text, file);
  const report: string[] = [];
  let changed = false;

  const tasks = isRecord(data.tasks) ? data.tasks : {};
  if (Object.hasOwn(tasks, INDEX_TASK)) {
    report.push(`already has a "${INDEX_TASK}" task, left as it is`);
  } else {
    const task = indexTask(name, data.workspace !== undefined);
    text = addConfigEntry(text, ["tasks"], INDEX_TASK, task);
    report.push(`added the task "${INDEX_TASK}": "${task}"`);
    changed = true;
  }

  // Mapped by the package, its workspace root or its importMap file?
  const app = await readAppConfig(pathToFileURL(file));
  const mapped = Object.hasOwn(app.imports, "@plux/core");
  const importMap = typeof data.importMap === "string" &&
      data.imports === undefined && data.scopes === undefined
    ? data.importMap
    : undefined;
  if (mapped) {
    report.push(`"@plux/core" is mapped to ${app.imports["@plux/core"]}`);
  } else if (
    importMap !== undefined && /^[a-z][a-z0-9+.-]+:/i.test(importMap)
  ) {
    report.push(
      `"@plux/core" is not mapped: add "@plux/core": "${LIBRARY}" to the ` +
        `import map ${importMap}`,
    );
  } else if (importMap !== undefined) {
    const mapFile = resolve(dirname(file), importMap);
    const mapText = await Deno.readTextFile(mapFile);
    await Deno.writeTextFile(
      mapFile,
      addConfigEntry(mapText, ["imports"], "@plux/core", LIBRARY),
    );
    report.push(`mapped "@plux/core" to ${LIBRARY} in ${basename(importMap)}`);
    changed = true;
  } else {
    text = addConfigEntry(text, ["imports"], "@plux/core", LIBRARY);
    report.push(`mapped "@plux/core" to ${LIBRARY}`);
    changed = true;
  }
  if (text !== original) await Deno.writeTextFile(file, text);

  for (const line of report) io.out(`${name}: ${line}`);
  if (!changed) io.out(`${name}: nothing to change`);
  io.out(
    `next: declare plugins in modules the package exports, then run ` +
      `\`deno task ${INDEX_TASK}\` to write plux.json (again whenever ` +
      "plugins change) and commit it",
  );
  return 0;
}
