import { basename, dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { addConfigEntry } from "../build/exports_entry.ts";
import { findConfigFile } from "../build/package_config.ts";
import { parseJsonc } from "../finders/_jsonc.ts";
import { readAppConfig } from "../finders/import_map/_deno_config.ts";
import { INDEX_TASK, libraryKey } from "../index/expects_index.ts";
import { isRecord } from "../core/_values.ts";
import { parseCommandArgs } from "./_args.ts";
import { locateConfig } from "./_config_file.ts";
import type { CliIo } from "./_io.ts";
import { requireRead, requireWrite } from "./_permissions.ts";
import { allowFlag } from "../finders/_permission_flag.ts";
import { PLUX_VERSION } from "../finders/directory/requirements.ts";

/** `jsr:@plux/core@^<this version>`: what the package maps and the task runs. */
const LIBRARY = `jsr:@plux/core@^${PLUX_VERSION}`;

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
  const write = workspaceRoot ? ["."] : ["plux.json", configName];
  return `deno run ${allowFlag("read", ["."])} ${
    allowFlag("write", write)
  } ${LIBRARY}/cli index`;
}

/**
 * `plux init [--config PATH]`: prepares a plugin package for indexing. Adds
 * the `plux:index` task (see {@linkcode indexTask}) and, when neither the
 * package nor its workspace maps the library (under `@plux/core` or any
 * other key), `"@plux/core": "jsr:@plux/core@^<version>"` to `imports` (or
 * to the `importMap` file the config uses instead), editing the files in
 * place: comments and layout are kept. Running it again changes nothing.
 * Prints what it did, what the package still lacks to be consumed
 * (`name`, `version`, `exports`), and the next step.
 *
 * @param args The arguments after `init`.
 * @param io Where to write.
 * @returns The exit code: 0.
 * @throws {Error} When the folder has no config, it cannot be parsed, or
 * the process may not read or write it (naming the flag).
 */
export async function initCommand(
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const { flags } = parseCommandArgs("init", args, { config: "string" }, 0);
  if (flags.config === undefined) {
    requireRead("init", io.cwd, `the package folder ${io.cwd}`, io.cwd);
  }
  const file = flags.config === undefined
    ? await findConfigFile(io.cwd)
    : await locateConfig(io.cwd, flags.config as string, "init");
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
  const workspaceRoot = data.workspace !== undefined;

  const tasks = isRecord(data.tasks) ? data.tasks : {};
  if (Object.hasOwn(tasks, INDEX_TASK)) {
    report.push(`already has a "${INDEX_TASK}" task, left as it is`);
  } else {
    const task = indexTask(name, workspaceRoot);
    text = addConfigEntry(text, ["tasks"], INDEX_TASK, task);
    report.push(`added the task "${INDEX_TASK}": "${task}"`);
  }

  // Mapped by the package, its workspace root or its importMap file, under
  // any key?
  const app = await readAppConfig(pathToFileURL(file));
  const key = libraryKey({ imports: app.imports });
  const importMap = typeof data.importMap === "string" &&
      data.imports === undefined && data.scopes === undefined
    ? data.importMap
    : undefined;
  let mapEdit: [path: string, text: string] | undefined;
  if (key !== undefined) {
    report.push(`"${key}" is mapped to ${app.imports[key]}`);
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
    mapEdit = [
      mapFile,
      addConfigEntry(mapText, ["imports"], "@plux/core", LIBRARY),
    ];
    report.push(`mapped "@plux/core" to ${LIBRARY} in ${basename(importMap)}`);
  } else {
    text = addConfigEntry(text, ["imports"], "@plux/core", LIBRARY);
    report.push(`mapped "@plux/core" to ${LIBRARY}`);
  }
  // Both files or neither.
  const writes: [string, string][] = [
    ...(text === original ? [] : [[file, text] as [string, string]]),
    ...(mapEdit === undefined ? [] : [mapEdit]),
  ];
  const label = typeof data.name === "string"
    ? `${data.name} (${dirname(file)})`
    : dirname(file);
  requireWrite("init", writes.map(([path]) => path), label, io.cwd);
  for (const [path, content] of writes) {
    await Deno.writeTextFile(path, content);
  }

  for (const line of report) io.out(`${name}: ${line}`);
  if (writes.length === 0) io.out(`${name}: nothing to change`);
  const missing = workspaceRoot
    ? []
    : ["name", "version", "exports"].filter((field) =>
      data[field] === undefined
    );
  if (missing.length > 0) {
    io.err(
      `warning: ${name} has no ${
        missing.map((field) => `"${field}"`).join(", ")
      }: add ${missing.length === 1 ? "it" : "them"} (for example "name": ` +
        `"@scope/plugins", "version": "0.1.0", "exports": "./mod.ts") so that ` +
        "the package can be published and its plugins found by applications " +
        'that import it; plux index then lists "./plux.json" in "exports"',
    );
  }
  io.out(
    `next: declare plugins in modules the package exports, then run ` +
      `\`deno task ${INDEX_TASK}\` to write plux.json (again whenever ` +
      "plugins change) and commit it",
  );
  return 0;
}
