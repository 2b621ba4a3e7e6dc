/**
 * Whether a `/`-separated relative path matches a glob: `*` matches within a
 * path segment, `**` across segments (`src/**\/*.ts` matches `src/a.ts` and
 * `src/x/a.ts`), `?` one character, `{a,b}` either alternative.
 *
 * Written here instead of using `node:path`'s `matchesGlob`, which needs
 * `--allow-env` in Deno. Matching reads the path once, without
 * backtracking ({@linkcode Glob} below): its cost grows with path length ×
 * glob length, never exponentially.
 *
 * @example
 * ```ts
 * import { matchesPathGlob } from "./_path_glob.ts";
 *
 * console.log(matchesPathGlob("src/x/a_test.ts", "**\/*_test.ts")); // true
 * ```
 *
 * @param path The path, for example `src/a.ts`.
 * @param glob The glob.
 * @returns Whether the whole path matches.
 */
export function matchesPathGlob(path: string, glob: string): boolean {
  let compiled = cache.get(glob);
  if (compiled === undefined) {
    compiled = new Glob(toNode([...glob]));
    cache.set(glob, compiled);
  }
  return compiled.matches(path);
}

const cache = new Map<string, Glob>();

const NOT_SLASH: GlobNode = { char: (c) => c !== "/" };

/** The glob's code points as a pattern (no regular expression: no backtracking). */
function toNode(glob: readonly string[]): GlobNode {
  const items: GlobNode[] = [];
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === "*" && glob[i + 1] === "*") {
      if (glob[i + 2] === "/") {
        // `**/`: any number of whole segments, each with its `/`.
        items.push({ star: { seq: [{ star: NOT_SLASH }, literal("/")] } });
        i += 2;
      } else {
        items.push({ star: ANY_CHAR });
        i += 1;
      }
    } else if (char === "*") items.push({ star: NOT_SLASH });
    else if (char === "?") items.push(NOT_SLASH);
    else if (char === "{" && glob.indexOf("}", i) !== -1) {
      const end = glob.indexOf("}", i);
      const options = splitOn(glob.slice(i + 1, end), ",");
      items.push({ alt: options.map(toNode) });
      i = end;
    } else items.push(literal(char));
  }
  return { seq: items };
}

function splitOn(chars: readonly string[], separator: string): string[][] {
  const parts: string[][] = [[]];
  for (const char of chars) {
    if (char === separator) parts.push([]);
    else parts.at(-1)!.push(char);
  }
  return parts;
}

/** A pattern, as the automaton is built from it. */
type GlobNode =
  | { readonly char: (c: string) => boolean }
  | { readonly seq: readonly GlobNode[] }
  | { readonly alt: readonly GlobNode[] }
  | { readonly star: GlobNode };

/** Any one character. */
const ANY_CHAR: GlobNode = { char: anyChar };

function anyChar(): boolean {
  return true;
}

function isChar(char: string): (c: string) => boolean {
  return (c) => c === char;
}

/** One state: it reads a character that passes `test`, or (without) moves freely. */
interface State {
  readonly test?: (c: string) => boolean;
  readonly out: number[];
}

/**
 * A compiled pattern: a small automaton (Thompson's construction) that reads
 * the text once, keeping the set of states it may be in, so a match costs at
 * most (text length + 1) x (states), never backtracking.
 */
class Glob {
  readonly #states: State[] = [];
  readonly #start: number;
  readonly #accept: number;
  /** Per state, the step it was last added in (no Set per character). */
  #seen: Uint32Array;
  #step = 0;

  /**
   * @param node The pattern.
   */
  constructor(node: GlobNode) {
    this.#accept = this.#add({ out: [] });
    this.#start = this.#compile(node, this.#accept);
    this.#seen = new Uint32Array(this.#states.length);
  }

  /**
   * Whether the whole text matches, character (code point) by character.
   *
   * @param text The text.
   * @returns Whether it matches.
   */
  matches(text: string): boolean {
    let current = this.#closure([this.#start]);
    for (const c of text) {
      const next: number[] = [];
      for (const index of current) {
        const state = this.#states[index]!;
        if (state.test !== undefined && state.test(c)) next.push(...state.out);
      }
      if (next.length === 0) return false;
      current = this.#closure(next);
    }
    return current.includes(this.#accept);
  }

  #add(state: State): number {
    this.#states.push(state);
    return this.#states.length - 1;
  }

  /** Builds `node` so that control goes on to `next`; returns its entry. */
  #compile(node: GlobNode, next: number): number {
    if ("char" in node) return this.#add({ test: node.char, out: [next] });
    if ("seq" in node) {
      let entry = next;
      for (let i = node.seq.length - 1; i >= 0; i--) {
        entry = this.#compile(node.seq[i]!, entry);
      }
      return entry;
    }
    if ("alt" in node) {
      return this.#add({ out: node.alt.map((n) => this.#compile(n, next)) });
    }
    const loop = this.#add({ out: [] });
    const body = this.#compile(node.star, loop);
    this.#states[loop]!.out.push(body, next);
    return loop;
  }

  /** The reading states and the accept state reachable by free moves. */
  #closure(seeds: number[]): number[] {
    if (++this.#step === 0xffffffff) {
      this.#seen.fill(0);
      this.#step = 1;
    }
    const found: number[] = [];
    const stack = [...seeds];
    while (stack.length > 0) {
      const index = stack.pop()!;
      if (this.#seen[index] === this.#step) continue;
      this.#seen[index] = this.#step;
      const state = this.#states[index]!;
      if (state.test !== undefined || index === this.#accept) found.push(index);
      if (state.test === undefined) stack.push(...state.out);
    }
    return found;
  }
}

/** A node that matches exactly one given character. */
function literal(char: string): GlobNode {
  return { char: isChar(char) };
}
