import { dirname, resolve } from "node:path";
import { findConfigFile } from "../build/package_config.ts";

/**
 * The config file a command works on: `--config PATH`, else the first
 * `deno.json`/`deno.jsonc` in the folder or one of its parents, the way Deno
 * finds it.
 *
 * @param cwd The folder the command runs in.
 * @param given The `--config` value, if any.
 * @returns The config file's absolute path.
 * @throws {Error} When the given file does not exist or none is found.
 */
export async function locateConfig(
  cwd: string,
  given: string | undefined,
): Promise<string> {
  if (given !== undefined) {
    const file = resolve(cwd, given);
    try {
      if ((await Deno.stat(file)).isFile) return file;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    throw new Error(`--config ${given}: ${file} does not exist`);
  }
  for (let dir = resolve(cwd);; dir = dirname(dir)) {
    const file = await findConfigFile(dir);
    if (file !== undefined) return file;
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    `no deno.json or deno.jsonc in ${cwd} or its parents; run plux in the ` +
      "package's folder or pass --config PATH",
  );
}
