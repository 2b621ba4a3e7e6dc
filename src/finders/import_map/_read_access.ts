/**
 * Which local files discovery may read without making Deno prompt: in an
 * interactive terminal, reading a file the process may not read asks the
 * user, so discovery checks first and reports the flag instead.
 *
 * @module
 */

/**
 * Answers "may this path be read?" with as few permission queries as
 * possible: none when read access is granted globally (`-A`,
 * `--allow-read`), none for paths under a folder already known to be
 * readable, one `Deno.permissions.querySync` otherwise. Queries never prompt.
 */
export class ReadAccess {
  readonly #all: boolean;
  readonly #folders: string[] = [];

  /** Checks once whether read access is granted for every path. */
  constructor() {
    this.#all = Deno.permissions.querySync({ name: "read" }).state ===
      "granted";
  }

  /**
   * Whether the process may read `path`; `false` when reading it would
   * prompt or is denied.
   *
   * @param path An absolute path.
   * @returns Whether it is granted.
   */
  canRead(path: string): boolean {
    if (this.#all) return true;
    for (const folder of this.#folders) {
      if (path.startsWith(folder)) return true;
    }
    return Deno.permissions.querySync({ name: "read", path }).state ===
      "granted";
  }

  /**
   * Remembers a folder when it is readable, so that the paths under it need
   * no query of their own (read access to a folder covers its contents).
   *
   * @param folder An absolute folder path ending in a separator.
   */
  trustFolder(folder: string): void {
    if (this.#all || this.#folders.includes(folder)) return;
    if (this.canRead(folder)) this.#folders.push(folder);
  }
}
