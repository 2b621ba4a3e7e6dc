import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isFile, isFolder } from "../build/_files.ts";
import { findConfigFile } from "../build/package_config.ts";
import { readAppConfig } from "../finders/import_map/_deno_config.ts";
import { folderOfConfig, requireRead } from "./_permissions.ts";

/**
 * The config file a command works on: `--config PATH` (a file, or a folder
 * holding `deno.json`/`deno.jsonc`), else the first `deno.json`/`deno.jsonc`
 * in the folder or one of its parents, the way Deno finds it. A folder the
 * process may not read is not touched (no prompt) but named, with the flag.
 *
 * @param cwd The folder the command runs in.
 * @param given The `--config` value, if any.
 * @param command The command, for messages.
 * @returns The config file's absolute path.
 * @throws {Error} When the given path does not exist, is a folder without a
 * config, or none is found, or a folder to look in may not be read.
 */
export async function locateConfig(
  cwd: string,
  given: string | undefined,
  command = "index",
): Promise<string> {
  if (given !== undefined) {
    const path = resolve(cwd, given);
    const folder = folderOfConfig(path);
    requireRead(command, folder, `${folder} (--config ${given})`, cwd);
    if (await isFile(path)) return path;
    if (await isFolder(path)) {
      const file = await findConfigFile(path);
      if (file !== undefined) return file;
      throw new Error(
        `--config ${given}: the folder ${path} holds no deno.json or ` +
          "deno.jsonc; pass a config file, or the folder that holds one",
      );
    }
    throw new Error(
      `--config ${given}: ${path} does not exist; pass a ` +
        "deno.json or deno.jsonc, or the folder that holds one",
    );
  }
  for (let dir = resolve(cwd);; dir = dirname(dir)) {
    requireRead(command, dir, `${dir}, where it looks for deno.json`, cwd);
    const file = await findConfigFile(dir);
    if (file !== undefined) return file;
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    `no deno.json or deno.jsonc in ${cwd} or its parents; run plux in the ` +
      "package's folder or pass --config PATH",
  );
}

/**
 * The application config a command reads plugins through, located as
 * {@linkcode locateConfig} does and read once up front: the finder would only
 * report a config it cannot read as a problem and find nothing, which is not
 * an answer to "what plugins does this application have".
 *
 * @param cwd The folder the command runs in.
 * @param given The `--config` value, if any.
 * @param command The command, for messages.
 * @returns The config file's absolute path.
 * @throws {Error} When no config is found or it cannot be read or parsed;
 * a syntax error names the file, line and column.
 */
export async function locateAppConfig(
  cwd: string,
  given: string | undefined,
  command: string,
): Promise<string> {
  const file = await locateConfig(cwd, given, command);
  await readAppConfig(pathToFileURL(file));
  return file;
}
