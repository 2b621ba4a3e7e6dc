import type { PluginException } from "../core/errors.ts";
import type { PluginInfo } from "../core/plugin_info.ts";
import { filterFailed } from "./_messages.ts";

/**
 * Decides whether a plugin is disabled: a function returning `true` to
 * disable, or an object with such a `matches()` method (like
 * {@linkcode MatchingPluginFilter}). Filters see a plugin before its code is
 * imported, so a filtered plugin's module is never loaded.
 *
 * A manager applies them when it lists the namespace and again before it
 * loads a plugin (as plux does), so an exclusion added or removed after
 * listing applies; a load's decision is final. One that throws disables the
 * plugin and is reported. Filters should be quick and have no side effects.
 */
export type PluginFilter =
  | ((plugin: PluginInfo) => boolean)
  | { matches(plugin: PluginInfo): boolean };

/**
 * One exclusion of a {@linkcode MatchingPluginFilter}: glob patterns, as in
 * Python's `fnmatch` (`*` any run, `?` one character, `[abc]` and `[a-z]` one
 * of them, `[!abc]` one not of them; a reversed range such as `[z-a]`
 * matches nothing), on the namespace, the name and the value
 * (`<module>#<export>`). Every given field must match; an exclusion with no
 * fields matches nothing. Matching takes time proportional to pattern length
 * × text length, whatever the pattern.
 */
export interface PluginExclusion {
  /** Pattern for the namespace. */
  namespace?: string;
  /** Pattern for the plugin name. */
  name?: string;
  /** Pattern for the value, `<module>#<export>`; plugins without a value never match it. */
  value?: string;
}

/**
 * Disables plugins that match any of its exclusions.
 *
 * @example
 * ```ts
 * import { MatchingPluginFilter, PluginManager } from "@plux/core";
 *
 * const filter = new MatchingPluginFilter();
 * filter.addExclusion({ namespace: "my.services", name: "legacy-*" });
 * console.log(filter.matches({ namespace: "my.services", name: "legacy-db" })); // true
 * const manager = new PluginManager("my.services", { filters: [filter], finder: { findPlugins: () => [] } });
 * ```
 */
export class MatchingPluginFilter {
  readonly #exclusions: {
    exclusion: PluginExclusion;
    patterns: [keyof PluginExclusion, TextMatcher][];
  }[] = [];

  /**
   * Adds an exclusion.
   *
   * @param exclusion Patterns on `namespace`, `name` and `value`.
   */
  addExclusion(exclusion: PluginExclusion): void {
    const patterns: [keyof PluginExclusion, TextMatcher][] = [];
    for (const field of ["namespace", "name", "value"] as const) {
      const pattern = exclusion[field];
      if (pattern !== undefined) patterns.push([field, fnmatchGlob(pattern)]);
    }
    this.#exclusions.push({ exclusion: { ...exclusion }, patterns });
  }

  /**
   * Removes every exclusion equal to the given one.
   *
   * @param exclusion The exclusion to remove.
   */
  removeExclusion(exclusion: PluginExclusion): void {
    for (let i = this.#exclusions.length - 1; i >= 0; i--) {
      const own = this.#exclusions[i]!.exclusion;
      if (
        own.namespace === exclusion.namespace && own.name === exclusion.name &&
        own.value === exclusion.value
      ) this.#exclusions.splice(i, 1);
    }
  }

  /** Removes every exclusion. */
  clear(): void {
    this.#exclusions.length = 0;
  }

  /** A copy of the exclusions, in the order they were added. */
  get exclusions(): PluginExclusion[] {
    return this.#exclusions.map(({ exclusion }) => ({ ...exclusion }));
  }

  /**
   * Whether any exclusion matches the plugin.
   *
   * @param plugin The plugin's namespace, name and value.
   * @returns `true` when the plugin is to be disabled.
   */
  matches(plugin: PluginInfo): boolean {
    // Listing asks once per plugin, mostly of the global filter, mostly empty.
    if (this.#exclusions.length === 0) return false;
    return this.#exclusions.some(({ patterns }) =>
      patterns.length > 0 &&
      patterns.every(([field, glob]) => {
        const value = plugin[field];
        return value !== undefined && glob.matches(value);
      })
    );
  }
}

/**
 * The filter every {@linkcode PluginManager} applies unless created with
 * `useGlobalFilter: false`. Exclusions added here disable plugins process-wide:
 * in every such manager, each plugin that is not loaded yet.
 *
 * @example
 * ```ts
 * import { globalPluginFilter } from "@plux/core";
 *
 * globalPluginFilter.addExclusion({ name: "experimental-*" });
 * globalPluginFilter.clear();
 * ```
 */
export const globalPluginFilter: MatchingPluginFilter =
  new MatchingPluginFilter();

/** A compiled pattern that tells whether a whole text matches. */
interface TextMatcher {
  /**
   * Whether the whole text matches.
   *
   * @param text The text.
   * @returns Whether it matches.
   */
  matches(text: string): boolean;
}

/**
 * Python's `fnmatch.fnmatchcase` pattern: `*` any run (also of `/`), `?` one
 * character, `[seq]` one character of `seq`, `[!seq]` one not in it. In a
 * class a leading `]` is literal, `a-z` is a range, a leading or trailing `-`
 * is literal, a reversed range matches nothing (`[z-a]` never matches,
 * `[!z-a]` matches any character) and a backslash is literal. A `[` without
 * its `]` is literal. Case-sensitive, as on POSIX.
 *
 * Compiling takes time linear in the pattern's length (each class is read
 * once; a `[` without its `]` does not read the rest again). Matching is
 * the two-pointer wildcard algorithm: each character test
 * matches one character, and on a mismatch only the last `*` takes one more
 * character, so a text costs at most pattern length × text length steps,
 * without allocating.
 *
 * @param pattern The pattern.
 * @returns The compiled pattern.
 */
function fnmatchGlob(pattern: string): TextMatcher {
  const pat = [...pattern];
  const n = pat.length;
  // `closing[k]`: the first `]` at or after `k` (`n` when none), so that a
  // pattern of many `[` without `]` compiles in linear time, not quadratic.
  const closing = new Uint32Array(n + 1);
  closing[n] = n;
  for (let k = n - 1; k >= 0; k--) {
    closing[k] = pat[k] === "]" ? k : closing[k + 1]!;
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < n) {
    const c = pat[i++]!;
    if (c === "*") {
      // Runs of `*` are one (as Python compresses them).
      if (tokens.at(-1) !== STAR_TOKEN) tokens.push(STAR_TOKEN);
    } else if (c === "?") tokens.push(() => true);
    else if (c === "[") {
      let j = i;
      if (j < n && pat[j] === "!") j++;
      if (j < n && pat[j] === "]") j++;
      j = closing[j]!;
      if (j >= n) tokens.push(isChar("["));
      else {
        tokens.push(classTest(pat, i, j));
        i = j + 1;
      }
    } else tokens.push(isChar(c));
  }
  return { matches: (text) => matchTokens(tokens, text) };
}

/** One character test, or `*`. */
type Token = ((c: string) => boolean) | typeof STAR_TOKEN;
const STAR_TOKEN = "*" as const;

function matchTokens(tokens: readonly Token[], text: string): boolean {
  const chars = /[\uD800-\uDFFF]/.test(text) ? [...text] : text;
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < chars.length) {
    const token = tokens[p];
    if (token === STAR_TOKEN) {
      starP = p++;
      starT = t;
    } else if (token !== undefined && token(chars[t]!)) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else return false;
  }
  while (tokens[p] === STAR_TOKEN) p++;
  return p === tokens.length;
}

/**
 * The test of a class `pat[i..j)` (between `[` and `]`), following
 * `fnmatch.translate`: it splits the class at range hyphens, drops reversed
 * ranges, and the result is read as a regular-expression class would be.
 */
function classTest(
  pat: string[],
  i: number,
  j: number,
): (c: string) => boolean {
  let body = pat.slice(i, j);
  if (body.includes("-")) body = withoutReversedRanges(pat, i, j);
  // As in Python, `!` negates when it leads the class once reversed ranges
  // are gone (`[x-b!c]` becomes `[!c]`).
  const negated = body[0] === "!";
  if (negated) body = body.slice(1);
  if (body.length === 0) return negated ? () => true : () => false;
  // Read as a regular-expression class is: `x-y` is a range when the hyphen
  // is a range hyphen; a hyphen after a range, or at the end, is literal.
  const ranges: [number, number][] = [];
  for (let k = 0; k < body.length;) {
    const from = codePoint(body[k] === RANGE ? "-" : body[k]!);
    k++;
    if (body[k] === RANGE && k + 1 < body.length) {
      const to = codePoint(body[k + 1] === RANGE ? "-" : body[k + 1]!);
      k += 2;
      if (from <= to) ranges.push([from, to]);
    } else {
      ranges.push([from, from]);
    }
  }
  const inside = (c: string) => {
    const code = codePoint(c);
    return ranges.some(([from, to]) => from <= code && code <= to);
  };
  return negated ? (c) => !inside(c) : inside;
}

/** Marks a hyphen that makes a range (others are literal). */
const RANGE = "\u0000range";

/**
 * The class body as `fnmatch.translate` leaves it: chunks between range
 * hyphens, a reversed range removed with its two ends, joined by
 * {@linkcode RANGE}.
 */
function withoutReversedRanges(
  pat: string[],
  i: number,
  j: number,
): string[] {
  const chunks: string[][] = [];
  let start = i;
  let k = pat[i] === "!" ? i + 2 : i + 1;
  while (true) {
    // Searched up to the class's end only (as Python's `find(-, k, j)`).
    while (k < j && pat[k] !== "-") k++;
    if (k >= j) break;
    chunks.push(pat.slice(start, k));
    start = k + 1;
    k += 3;
  }
  const last = pat.slice(start, j);
  if (last.length > 0) chunks.push(last);
  else chunks.at(-1)!.push("-");
  // Last to first, as Python does: a reversed range is removed with its two
  // ends, joining the chunks around it (which may then join the one before).
  // The chunk being joined is kept reversed, so that joining costs the length
  // of the chunk joined, and a class of many reversed ranges stays linear.
  const kept: string[][] = [];
  let current = chunks.at(-1)!.reverse();
  for (let m = chunks.length - 1; m > 0; m--) {
    const before = chunks[m - 1]!;
    if (
      before.length > 0 && current.length > 0 &&
      codePoint(before.at(-1)!) > codePoint(current.at(-1)!)
    ) {
      current.pop();
      for (let x = before.length - 2; x >= 0; x--) current.push(before[x]!);
    } else {
      kept.push(current);
      current = before.reverse();
    }
  }
  kept.push(current);
  return kept.reverse().flatMap((chunk, m) =>
    m === 0 ? chunk.reverse() : [RANGE, ...chunk.reverse()]
  );
}

function codePoint(c: string): number {
  return c.codePointAt(0)!;
}

function isChar(char: string): (c: string) => boolean {
  return (c) => c === char;
}

/**
 * A manager's filters and their decisions on its plugins (not part of the
 * public API). A filter that throws disables the plugin it was asked about
 * (it fails closed). As in plux, the decision a load makes is final; one
 * made before (while listing, or preparing a load) is looked at again.
 */
export class FilterDecisions {
  readonly #filters: readonly PluginFilter[];
  readonly #failed: (info: PluginInfo, problem: PluginException) => void;
  /** The reasons given before a load looked at a plugin: not final. */
  readonly #early = new WeakMap<PluginInfo, string>();

  /**
   * @param filters The filters, `globalPluginFilter` first when used.
   * @param failed Told the problem of a filter that threw.
   */
  constructor(
    filters: readonly PluginFilter[],
    failed: (info: PluginInfo, problem: PluginException) => void,
  ) {
    this.#filters = filters;
    this.#failed = failed;
  }

  /**
   * Why the filters, as they stand now, disable a plugin (`undefined`: they
   * do not); `early` when decided before a load (not final).
   */
  reason(info: PluginInfo, early = false): string | undefined {
    const reason = this.#decide(info);
    if (early && reason !== undefined) this.#early.set(info, reason);
    else this.#early.delete(info);
    return reason;
  }

  /**
   * Applies the filters to a plugin not loaded yet, unless something final
   * disabled it; a plugin its load order blocks stays disabled.
   *
   * @param plugin The plugin's container.
   * @param final Whether a load is deciding.
   * @param blocked Why its load order blocks it, if it does.
   * @returns Whether the plugin is disabled.
   */
  check(
    plugin: {
      readonly info: PluginInfo;
      readonly isLoaded: boolean;
      disabledReason: string | undefined;
    },
    final: boolean,
    blocked: () => string | undefined,
  ): boolean {
    if (plugin.isLoaded) return false;
    const early = this.#early.get(plugin.info);
    if (
      plugin.disabledReason === undefined || plugin.disabledReason === early
    ) {
      plugin.disabledReason = this.reason(plugin.info, !final) ?? blocked();
    }
    return plugin.disabledReason !== undefined;
  }

  #decide(info: PluginInfo): string | undefined {
    for (let i = 0; i < this.#filters.length; i++) { // no pair per filter
      const filter = this.#filters[i]!;
      try {
        if (
          typeof filter === "function" ? filter(info) : filter.matches(info)
        ) {
          return "excluded by a plugin filter";
        }
      } catch (error) {
        const own = this.#filters[0] === globalPluginFilter ? i - 1 : i;
        const where = own < 0 ? "globalPluginFilter" : `filters[${own}]`;
        const { reason, problem } = filterFailed(info, filter, where, error);
        this.#failed(info, problem);
        return reason;
      }
    }
    return undefined;
  }
}
