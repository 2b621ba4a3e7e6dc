import { findNodeAtLocation, parseTree } from "npm:jsonc-parser@^3.3.1";
import { INDEX_FILE } from "../index/format.ts";
import { type PackageConfig, packagePath } from "./package_config.ts";

/** The `exports` key and target under which a package serves its index. */
export const INDEX_EXPORT = `./${INDEX_FILE}`;

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
 * editing it in place with {@linkcode addConfigEntry}: comments, key order
 * and layout are kept. A string `exports` becomes
 * `{ ".": <old>, "./plux.json": "./plux.json" }`, and a package with a name
 * but no `exports` gets `"exports": { "./plux.json": "./plux.json" }`.
 *
 * @param config The package's config (its `text` is edited); its `exports`
 * has no `"./plux.json"` key.
 * @returns The new text of the config file.
 */
export function addIndexExport(config: PackageConfig): string {
  if (typeof config.exports === "string") {
    return replaceConfigValue(config.text, ["exports"], {
      ".": config.exports,
      [INDEX_EXPORT]: INDEX_EXPORT,
    });
  }
  return addConfigEntry(config.text, ["exports"], INDEX_EXPORT, INDEX_EXPORT);
}

/**
 * Adds `"key": value` to the object at `path` of a JSON(C) config's text,
 * in place: comments, key order and layout are kept. The entry goes after
 * the object's last one: on the same line when the object is written on one
 * line, else on a line of its own with the same indentation (a comment at
 * the end of the last entry's line stays with it). An object missing on the
 * path is added to its parent the same way, holding the entry.
 *
 * @param text The config's text.
 * @param path The keys leading to the object; `[]` for the top level.
 * @param key The key to add; the object does not have it.
 * @param value Its value, any JSON value.
 * @returns The new text.
 * @throws {TypeError} When something on the path is not an object.
 */
export function addConfigEntry(
  text: string,
  path: readonly string[],
  key: string,
  value: unknown,
): string {
  const root = parseTree(text);
  const node = root === undefined
    ? undefined
    : path.length === 0
    ? root
    : findNodeAtLocation(root, [...path]);
  if (node === undefined && path.length > 0) {
    return addConfigEntry(text, path.slice(0, -1), path.at(-1)!, {
      [key]: value,
    });
  }
  if (node?.type !== "object") {
    throw new TypeError(
      `${path.length === 0 ? "the config" : `"${path.join(".")}"`} is not ` +
        "an object; fix the config",
    );
  }
  const start = node.offset;
  const end = node.offset + node.length;
  const unit = indentUnit(text);
  const last = node.children?.at(-1);
  if (last === undefined) {
    // An empty object: the entry goes first; a comment in it stays after.
    const inner = text.slice(start + 1, end - 1);
    const blank = inner.trim() === "";
    if (!inner.includes("\n")) {
      const added = entry(key, value, "");
      return `${text.slice(0, start)}{ ${added}${blank ? " " : inner}}${
        text.slice(end)
      }`;
    }
    const indent = lineIndent(text, start) + unit;
    const close = blank ? `\n${lineIndent(text, end - 1)}` : inner;
    return `${text.slice(0, start + 1)}\n${indent}${
      entry(key, value, indent, unit)
    }${close}${text.slice(end - 1)}`;
  }
  const after = last.offset + last.length;
  const lineEnd = text.indexOf("\n", after);
  const comma = /^[ \t]*,/.exec(text.slice(after))?.[0];
  if (lineEnd === -1 || lineEnd >= end) {
    // `{ ".": "./mod.ts" }` on one line: add the entry on that line.
    const added = entry(key, value, "");
    return comma === undefined
      ? `${text.slice(0, after)}, ${added}${text.slice(after)}`
      : `${text.slice(0, after + comma.length)} ${added},${
        text.slice(after + comma.length)
      }`;
  }
  // A line after the last entry's line, so that a comment at the end of that
  // line stays with its entry (jsonc-parser would move it).
  const indent = lineIndent(text, last.offset);
  const crlf = text[lineEnd - 1] === "\r";
  const at = crlf ? lineEnd - 1 : lineEnd;
  const line = `${indent}${entry(key, value, indent, unit)}${
    comma === undefined ? "" : ","
  }`;
  return (comma === undefined
    ? `${text.slice(0, after)},`
    : text.slice(0, after)) +
    text.slice(after, at) + (crlf ? "\r\n" : "\n") + line + text.slice(at);
}

/**
 * Replaces the value at `path` of a JSON(C) config's text in place, written
 * on one line when its parent object is, else over several lines indented
 * like the file.
 *
 * @param text The config's text.
 * @param path The keys leading to the value, which exists.
 * @param value The new value.
 * @returns The new text.
 */
export function replaceConfigValue(
  text: string,
  path: readonly string[],
  value: unknown,
): string {
  const node = findNodeAtLocation(parseTree(text)!, [...path])!;
  const parent = node.parent!.parent!;
  const oneLine = !text.slice(parent.offset, parent.offset + parent.length)
    .includes("\n");
  const indent = lineIndent(text, node.parent!.offset);
  return text.slice(0, node.offset) +
    literal(value, indent, oneLine ? undefined : indentUnit(text)) +
    text.slice(node.offset + node.length);
}

/** `"key": value`; objects over lines when `unit` (the indent step) is given. */
function entry(key: string, value: unknown, indent: string, unit?: string) {
  return `${JSON.stringify(key)}: ${literal(value, indent, unit)}`;
}

function literal(value: unknown, indent: string, unit?: string): string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return JSON.stringify(value);
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  if (unit === undefined) {
    return `{ ${entries.map(([k, v]) => entry(k, v, "")).join(", ")} }`;
  }
  const inner = indent + unit;
  return `{\n${
    entries.map(([k, v]) => `${inner}${entry(k, v, inner, unit)}`).join(",\n")
  }\n${indent}}`;
}

/** The indentation of the line that holds `offset`. */
function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The file's indentation step, from its first indented line. */
function indentUnit(text: string): string {
  return /^[ \t]+(?=\S)/m.exec(text)?.[0] ?? "  ";
}
