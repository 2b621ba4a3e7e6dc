/**
 * File checks shared by the indexer and the command line.
 *
 * @module
 */

import { notAFile, NotAFileError } from "../index/_utf8.ts";

/**
 * Whether a path is an existing file.
 *
 * @param path The path.
 * @returns `true` for a file, `false` for a folder or nothing there.
 * @throws {Error} When the path cannot be checked (a missing permission).
 */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Whether a path is an existing folder.
 *
 * @param path The path.
 * @returns `true` for a folder, `false` for a file or nothing there.
 * @throws {Error} When the path cannot be checked (a missing permission).
 */
export async function isFolder(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Reads a text file that may not exist. Only a regular file is opened: a
 * FIFO would block the process.
 *
 * @param path The file.
 * @returns Its text, or `undefined` when there is no such file.
 * @throws {NotAFileError} When the path is a FIFO, a socket, a device or a
 * folder.
 * @throws {Error} When it exists but cannot be read.
 */
export async function readTextIfExists(
  path: string,
): Promise<string | undefined> {
  try {
    const kind = notAFile(await Deno.stat(path));
    if (kind !== undefined) {
      throw new NotAFileError(path, kind, "replace it with a regular file");
    }
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
