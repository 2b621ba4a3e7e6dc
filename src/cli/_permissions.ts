/**
 * The command line's own file access, checked before it happens: a missing
 * permission is one line naming the package or file and the exact flag,
 * never Deno's raw text, a permission prompt, or half of the files written.
 *
 * @module
 */

import { dirname } from "node:path";
import { errorText } from "../core/_error_text.ts";
import {
  allowFlag,
  deniedAccess,
  type FlagAdvice,
  flagPath,
  ungranted,
} from "../finders/_permission_flag.ts";

/**
 * How to tell the user to give `plux <command>` a flag. `plux index` is
 * usually run through `deno task plux:index`, whose flags are in the task.
 *
 * @param command The command, such as `list`.
 * @returns The advice.
 */
export function commandAdvice(command: string): FlagAdvice {
  const task = command === "index"
    ? ' (in the "plux:index" task of deno.json if you run `deno task ' +
      "plux:index`)"
    : "";
  return (flag) => `run \`plux ${command}\` with ${flag}${task}`;
}

/**
 * Fails unless the process may read `folder`, naming it and the flag.
 *
 * @param command The command, for the message.
 * @param folder The folder (or file) the command must read.
 * @param what What it is, for the message, naming `folder`: `the package
 * folder /app`.
 * @param cwd The folder the command runs in.
 * @throws {Error} When read access is not granted.
 */
export function requireRead(
  command: string,
  folder: string,
  what: string,
  cwd: string,
): void {
  if (ungranted("read", [folder]).length === 0) return;
  throw new Error(
    `plux ${command} may not read ${what}: ` +
      commandAdvice(command)(allowFlag("read", [flagPath(folder, cwd)])),
  );
}

/**
 * Fails unless the process may write every file, naming the denied ones
 * and the flag that grants them all (nothing is written otherwise).
 *
 * @param command The command, for the message.
 * @param files The files the command will write.
 * @param what Whose files they are: `@acme/tools (/app/tools)`.
 * @param cwd The folder the command runs in.
 * @throws {Error} When write access to one of them is not granted.
 */
export function requireWrite(
  command: string,
  files: readonly string[],
  what: string,
  cwd: string,
): void {
  const denied = ungranted("write", files);
  if (denied.length === 0) return;
  throw new Error(
    `plux ${command} may not write ${denied.join(" and ")} of ${what}, so ` +
      "nothing was written: " +
      commandAdvice(command)(
        allowFlag("write", files.map((file) => flagPath(file, cwd))),
      ),
  );
}

/**
 * The one line for a permission Deno denied the command itself (a read or
 * write the checks above did not foresee), or `undefined` for any other
 * failure.
 *
 * @param command The command.
 * @param error The failure.
 * @param cwd The folder the command runs in.
 * @returns For example ``plux registry may not write /app/plugins.gen.ts:
 * run `plux registry` with --allow-write=plugins.gen.ts``.
 */
export function permissionLine(
  command: string,
  error: unknown,
  cwd: string,
): string | undefined {
  const denied = deniedAccess(error);
  if (denied === undefined || !(error instanceof Error)) return undefined;
  if (!/^Requires /.test(errorText(error))) return undefined;
  const { kind, target } = denied;
  const path = target !== undefined && (kind === "read" || kind === "write")
    ? flagPath(target, cwd)
    : target;
  const what = target === undefined ? "" : ` ${target}`;
  const verb = kind === "read" || kind === "write" ? kind : `use ${kind}`;
  return `plux ${command} may not ${verb}${what}: ` +
    commandAdvice(command)(allowFlag(kind, path === undefined ? [] : [path]));
}

/**
 * The folder whose read access a config path needs: the path itself for a
 * folder, its folder for a `deno.json`/`deno.jsonc` file.
 *
 * @param path The `--config` path, absolute.
 * @returns The folder to read.
 */
export function folderOfConfig(path: string): string {
  return /\.jsonc?$/.test(path) ? dirname(path) : path;
}
