/**
 * Whether a module's source text declares a plugin, read without running
 * it: the indexer uses it to warn about plugins it cannot list, discovery
 * to tell a workspace member that was never indexed from one that offers
 * no plugins.
 *
 * @module
 */

/**
 * `new PluginSpec(` and `new PluginSpec<...>(`, also through a namespace
 * import (`new plux.PluginSpec(`).
 */
const NEW_SPEC = /\bnew\s+(?:[\w$]+\s*\.\s*)*PluginSpec\s*[<(]/;

/**
 * A class's `pluginName`: `static pluginName =`, with any of TypeScript's
 * modifiers between (`static override readonly pluginName =`; an access
 * modifier goes before `static`), a type (`static pluginName: string =`), or
 * as a getter (`static get pluginName()`).
 */
const STATIC_NAME =
  /\bstatic\s+(?:(?:override|readonly|declare|accessor)\s+)*(?:get\s+)?(?:pluginName|\[\s*(["'])pluginName\1\s*\]|(["'])pluginName\2)\s*[?!]?\s*(?::[^=;]*)?[=(]/;

/** A call of `plugin` (or `x.plugin`), generic or not: where its `(` is searched from. */
const PLUGIN_CALL = /\bplugin\s*(?=[<(])/g;

/**
 * Whether a module's text declares a plugin: it constructs a `PluginSpec`,
 * gives a class a static `pluginName`, or calls `plugin()` (with or without
 * type arguments) with an options object that has a `namespace` (written
 * `namespace: ...` or as the shorthand `namespace`). Comments and the
 * contents of strings are left out.
 *
 * @param text The module's source.
 * @returns Whether it declares a plugin.
 *
 * @example
 * ```ts ignore
 * declaresPlugins("export class A extends Plugin { static override readonly pluginName = 'a'; }"); // true
 * declaresPlugins("const s = new PluginSpec<Greeter>('ns', 'a', () => new A());"); // true
 * declaresPlugins("// new PluginSpec('ns', 'a', f)"); // false
 * ```
 */
export function declaresPlugins(text: string): boolean {
  const code = codeOf(text);
  return NEW_SPEC.test(code) || STATIC_NAME.test(code) ||
    callsPluginWithNamespace(code);
}

function callsPluginWithNamespace(code: string): boolean {
  for (const match of code.matchAll(PLUGIN_CALL)) {
    let at = match.index + match[0].length;
    if (code[at] === "<") at = skipBalanced(code, at, "<", ">");
    at = skipSpace(code, at);
    if (code[at] !== "(") continue;
    at = skipSpace(code, at + 1);
    if (code[at] !== "{") continue;
    const end = skipBalanced(code, at, "{", "}");
    const options = code.slice(at + 1, end - 1);
    if (/(?:^|[\s,{])namespace\s*(?:[:,}]|$)/.test(options)) return true;
  }
  return false;
}

/** The index after the bracketed text that starts at `start`. */
function skipBalanced(
  code: string,
  start: number,
  open: string,
  close: string,
): number {
  let depth = 0;
  for (let i = start; i < code.length; i++) {
    const char = code[i];
    // `=>` inside type arguments is an arrow, not a closing bracket.
    if (char === close && !(close === ">" && code[i - 1] === "=")) {
      depth--;
      if (depth === 0) return i + 1;
    } else if (char === open) {
      depth++;
    }
  }
  return code.length;
}

function skipSpace(code: string, at: number): number {
  while (at < code.length && /\s/.test(code[at]!)) at++;
  return at;
}

/**
 * The code of a module's text: `//` and `/* *\/` comments become a space,
 * and strings and template literals lose their contents (`"a//b"` becomes
 * `""`), so neither a `//` in a URL nor a declaration in a string counts.
 */
function codeOf(text: string): string {
  const parts: string[] = [];
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    const next = text[i + 1];
    if (char === "/" && (next === "/" || next === "*")) {
      const end = next === "/"
        ? text.indexOf("\n", i)
        : text.indexOf("*/", i + 2) + 2;
      parts.push(text.slice(from, i), " ");
      i = from = end < i ? text.length : end;
    } else if (char === '"' || char === "'" || char === "`") {
      parts.push(text.slice(from, i + 1));
      i++;
      while (i < text.length && text[i] !== char) {
        if (text[i] === "\\") i++;
        else if (char !== "`" && text[i] === "\n") break;
        i++;
      }
      from = i;
      i++;
    } else {
      i++;
    }
  }
  parts.push(text.slice(from));
  return parts.join("");
}
