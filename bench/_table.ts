/**
 * The table `deno task bench` prints: each figure next to its floor (or
 * baseline), measured in the same run, the ratio, the goal and whether it
 * holds. Add a figure by pushing a {@linkcode Row}; the table is Markdown,
 * so a run can be pasted into docs/performance.md as it is.
 *
 * @module
 */

/** One figure of the benchmark. */
export interface Row {
  /** What was measured, e.g. "`loadAll()`, 1000 plugins". */
  figure: string;
  /** Its median, in milliseconds. */
  ms: number;
  /** What it is compared with: its floor, or a baseline. */
  baseline: string;
  /** The baseline's median, in milliseconds. */
  baselineMs: number;
  /** The goal: the largest ratio `ms / baselineMs` that holds. */
  target?: number;
  /**
   * How the two figures are shown.
   *
   * @default {{ name: "ms", scale: 1, digits: 1 }}
   */
  unit?: { name: string; scale: number; digits: number };
}

/**
 * Formats the rows as a Markdown table: the figure and today's value, its
 * floor or baseline and that value, the ratio, the goal, and "holds" or
 * "FAILS" for rows with a goal.
 *
 * @param rows The figures, in the order to show.
 * @returns The table's lines.
 */
export function formatTable(rows: readonly Row[]): string[] {
  const lines = [[
    "figure",
    "today",
    "floor (or baseline)",
    "",
    "ratio",
    "goal",
    "",
  ]];
  for (const row of rows) {
    const ratio = row.ms / row.baselineMs;
    const { name, scale, digits } = row.unit ??
      { name: "ms", scale: 1, digits: 1 };
    const show = (value: number) =>
      `${(value / scale).toFixed(digits)} ${name}`;
    lines.push([
      row.figure,
      show(row.ms),
      row.baseline,
      show(row.baselineMs),
      `${ratio.toFixed(2)}x`,
      row.target === undefined ? "" : `≤ ${row.target}x`,
      row.target === undefined ? "" : ratio <= row.target ? "holds" : "FAILS",
    ]);
  }
  const widths = lines[0]!.map((_, i) =>
    Math.max(...lines.map((line) => line[i]!.length))
  );
  const format = (line: string[]) =>
    "| " + line.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ") + " |";
  return [
    format(lines[0]!),
    "| " + widths.map((width) => "-".repeat(width)).join(" | ") + " |",
    ...lines.slice(1).map(format),
  ];
}
