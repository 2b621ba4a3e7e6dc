import {
  formatIndex,
  type IndexEntry,
  parseIndex,
  type PluginIndex,
} from "../index/format.ts";

/**
 * Says how an existing `plux.json` differs from the index the code gives,
 * one line per difference, for `plux index --check`.
 *
 * @param file The index file's path, for messages.
 * @param existing The file's text, or `undefined` when there is no file.
 * @param wanted The index built from the code.
 * @returns The differences; empty when the file is up to date.
 */
export function indexDifferences(
  file: string,
  existing: string | undefined,
  wanted: PluginIndex,
): string[] {
  const text = formatIndex(wanted);
  if (existing === text) return [];
  if (existing === undefined) return [`${file} is missing`];
  let old: PluginIndex;
  try {
    old = parseIndex(existing, file).index;
  } catch (error) {
    return [(error as Error).message];
  }
  const lines: string[] = [];
  for (const field of ["name", "version"] as const) {
    const before = old.package?.[field];
    const after = wanted.package?.[field];
    if (before !== after) {
      lines.push(
        `${file}: package ${field} is ${show(before)}, the config says ${
          show(after)
        }`,
      );
    }
  }
  const before = entries(old);
  const after = entries(wanted);
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(key);
    const b = after.get(key);
    if (a === undefined) {
      lines.push(`${file}: plugin ${key} is missing (${where(b!)})`);
    } else if (b === undefined) {
      lines.push(`${file}: plugin ${key} is listed but no longer in the code`);
    } else {
      for (
        const field of [
          "export",
          "subpath",
          "path",
          "requires",
          "after",
          "metadata",
        ] as const
      ) {
        if (JSON.stringify(a[field]) === JSON.stringify(b[field])) continue;
        lines.push(
          field === "requires" || field === "after"
            ? `${file}: plugin ${key} has ${field} ${
              names(a[field])
            }, the code declares ${names(b[field])}`
            : `${file}: plugin ${key} has ${field} ${show(a[field])}, the ` +
              `code gives ${show(b[field])}`,
        );
      }
    }
  }
  if (lines.length === 0) {
    lines.push(`${file} is not formatted the way \`plux index\` writes it`);
  }
  return lines;
}

function entries(index: PluginIndex): Map<string, IndexEntry> {
  const result = new Map<string, IndexEntry>();
  for (const [namespace, list] of Object.entries(index.plugins)) {
    for (const entry of list) result.set(`${namespace}:${entry.name}`, entry);
  }
  return result;
}

function where(entry: IndexEntry): string {
  return `export ${entry.export} of ${entry.subpath ?? entry.path}`;
}

/** A `requires` or `after` list: absent (or empty) declares none. */
function names(value: readonly string[] | undefined): string {
  return value === undefined || value.length === 0
    ? "none"
    : JSON.stringify(value);
}

function show(value: unknown): string {
  return value === undefined ? "absent" : JSON.stringify(value);
}
