import {
  applyEdits,
  findNodeAtLocation,
  type FormattingOptions,
  modify,
  parseTree,
} from "jsonc-parser";
import { INDEX_FILE } from "../index/format.ts";
import { type PackageConfig, packagePath } from "./package_config.ts";

/** The `exports` key and target under which a package serves its index. */
export const INDEX_EXPORT = `./${INDEX_FILE}`;

const ENTRY = `"${INDEX_EXPORT}": "${INDEX_EXPORT}"`;

/**
 * Whether a package must list `./plux.json` in its `exports` and does not.
 * A config with neither `name` nor `exports` is not a package that others
 * import (an application, a plain folder), so it needs no entry: its index is
 * read from disk. An entry with another target is not missing; see
 * {@linkcode indexExportConflict}.
 *
 * @param config The package's config.
 * @returns Whether the exports entry is missing.
 */
export function needsIndexExport(config: PackageConfig): boolean {
  if (config.exports === undefined) return config.name !== undefined;
  if (typeof config.exports === "string") return true;
  return !Object.hasOwn(config.exports, INDEX_EXPORT);
}

/**
 * The other file a package's `exports` serves as `./plux.json`, when it does
 * not serve the index the indexer writes beside the config. The indexer does
 * not overwrite such an entry: it was written by hand, and finders would read
 * that other file.
 *
 * @param config The package's config.
 * @returns The entry's target, or `undefined` when there is no such conflict.
 */
export function indexExportConflict(config: PackageConfig): string | undefined {
  if (typeof config.exports !== "object") return undefined;
  const target = config.exports[INDEX_EXPORT];
  if (target === undefined) return undefined;
  return packagePath(config.dir, target) === INDEX_EXPORT ? undefined : target;
}

/**
 * Adds `"./plux.json": "./plux.json"` to the `exports` of a config's text,
 * editing it in place: comments, key order and formatting are kept, and an
 * `exports` object written on one line stays on one line. A string `exports`
 * becomes `{ ".": <old>, "./plux.json": "./plux.json" }`.
 *
 * @param config The package's config (its `text` is edited); its `exports`
 * has no `"./plux.json"` key.
 * @returns The new text of the config file.
 */
export function addIndexExport(config: PackageConfig): string {
  const text = config.text;
  const node = findNodeAtLocation(parseTree(text)!, ["exports"]);
  const last = node?.type === "object" ? node.children?.at(-1) : undefined;
  if (last !== undefined) {
    const end = last.offset + last.length;
    const lineEnd = text.indexOf("\n", end);
    const comma = /^[ \t]*,/.exec(text.slice(end))?.[0];
    if (lineEnd === -1 || lineEnd >= node!.offset + node!.length) {
      // `{ ".": "./mod.ts" }` on one line: add the entry on that line.
      return comma === undefined
        ? `${text.slice(0, end)}, ${ENTRY}${text.slice(end)}`
        : `${text.slice(0, end + comma.length)} ${ENTRY},${
          text.slice(end + comma.length)
        }`;
    }
    // Add a line after the last entry's line, so that a comment at the end of
    // that line stays with its entry (jsonc-parser would move it).
    const lineStart = text.lastIndexOf("\n", last.offset) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    const crlf = text[lineEnd - 1] === "\r";
    const at = crlf ? lineEnd - 1 : lineEnd;
    const line = `${indent}${ENTRY}${comma === undefined ? "" : ","}`;
    return (comma === undefined
      ? `${text.slice(0, end)},`
      : text.slice(0, end)) +
      text.slice(end, at) + (crlf ? "\r\n" : "\n") + line + text.slice(at);
  }
  const options = { formattingOptions: formattingOf(config.text) };
  const edits = typeof config.exports === "string"
    ? modify(text, ["exports"], {
      ".": config.exports,
      [INDEX_EXPORT]: INDEX_EXPORT,
    }, options)
    : modify(text, ["exports", INDEX_EXPORT], INDEX_EXPORT, options);
  return applyEdits(text, edits);
}

/** Guesses the file's indentation from its first indented line. */
function formattingOf(text: string): FormattingOptions {
  const indent = /^[ \t]+(?=\S)/m.exec(text)?.[0] ?? "  ";
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  return indent.startsWith("\t")
    ? { insertSpaces: false, tabSize: 1, eol }
    : { insertSpaces: true, tabSize: indent.length, eol };
}
