import {
  applyEdits,
  findNodeAtLocation,
  type FormattingOptions,
  modify,
  parseTree,
} from "jsonc-parser";
import { INDEX_FILE } from "../index/format.ts";
import type { PackageConfig } from "./package_config.ts";

/** The `exports` key and target under which a package serves its index. */
export const INDEX_EXPORT = `./${INDEX_FILE}`;

/**
 * Whether a package must list `./plux.json` in its `exports` and does not.
 * A config with neither `name` nor `exports` is not a package that others
 * import (an application, a plain folder), so it needs no entry: its index is
 * read from disk.
 *
 * @param config The package's config.
 * @returns Whether the exports entry is missing.
 */
export function needsIndexExport(config: PackageConfig): boolean {
  if (config.exports === undefined) return config.name !== undefined;
  if (typeof config.exports === "string") return true;
  return config.exports[INDEX_EXPORT] !== INDEX_EXPORT;
}

/**
 * Adds `"./plux.json": "./plux.json"` to the `exports` of a config's text,
 * editing it in place: comments, key order and formatting are kept. A string
 * `exports` becomes `{ ".": <old>, "./plux.json": "./plux.json" }`.
 *
 * @param config The package's config (its `text` is edited).
 * @returns The new text of the config file.
 */
export function addIndexExport(config: PackageConfig): string {
  const text = config.text;
  const node = findNodeAtLocation(parseTree(text)!, ["exports"]);
  const last = node?.type === "object" ? node.children?.at(-1) : undefined;
  const present = typeof config.exports === "object" &&
    Object.hasOwn(config.exports, INDEX_EXPORT);
  if (last !== undefined && !present) {
    // Add a line after the last entry's line, so that a comment at the end of
    // that line stays with its entry (jsonc-parser would move it).
    const end = last.offset + last.length;
    const lineEnd = text.indexOf("\n", end);
    if (lineEnd !== -1 && lineEnd < node!.offset + node!.length) {
      const lineStart = text.lastIndexOf("\n", last.offset) + 1;
      const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
      const comma = /^\s*,/.test(text.slice(end, lineEnd));
      const at = text[lineEnd - 1] === "\r" ? lineEnd - 1 : lineEnd;
      const line = `${indent}"${INDEX_EXPORT}": "${INDEX_EXPORT}"${
        comma ? "," : ""
      }`;
      const eol = text[lineEnd - 1] === "\r" ? "\r\n" : "\n";
      return (comma ? text.slice(0, end) : `${text.slice(0, end)},`) +
        text.slice(end, at) + eol + line + text.slice(at);
    }
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
