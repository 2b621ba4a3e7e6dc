/**
 * A local JSR registry for tests: serves package folders the way jsr.io
 * serves published packages, so a subprocess started with
 * `JSR_URL=<registry.url>` imports `jsr:@scope/pkg@^1/...` without the
 * internet.
 *
 * Facts measured with Deno 2.9.6 (see tests/support/jsr_registry_test.ts):
 * - Deno requests `GET /@scope/pkg/meta.json` (needs `versions`), then
 *   `GET /@scope/pkg/<version>_meta.json` (needs `manifest` with a
 *   `sha256-<hex>` checksum per file, and `exports`), then each file as
 *   `GET /@scope/pkg/<version>/<path>`. It never asks for deno.json.
 * - A served file whose bytes do not match its manifest checksum is refused
 *   (`Integrity check failed`), so checksums are computed over the bytes as
 *   served, after unfurling.
 * - Deno does not read a JSR package's own deno.json `imports`: a bare
 *   specifier inside a JSR module fails to resolve. `deno publish` rewrites
 *   ("unfurls") them into `jsr:`/`npm:`/URL specifiers; this registry does the
 *   same when serving `.ts`/`.js` files.
 * - A bare specifier that is not unfurled fails inside the package with
 *   `Import "@plux/core" not a dependency`.
 * - Importing from the registry needs no permission flag (no
 *   `--allow-import`, `--allow-net` or `--allow-read`); only `JSR_URL` must
 *   be set (with or without a trailing `/`): its host is on Deno's default
 *   import allow-list. An explicit `--allow-import=<hosts>` replaces that
 *   list and must name the registry's host too (see package_servers.ts).
 *   Use a fresh `DENO_DIR` (Deno caches the files in `DENO_DIR/remote`).
 * - With a deno.json in the cwd, Deno writes deno.lock with each package's
 *   integrity: the sha256 of its `<version>_meta.json`. That changes with
 *   every edit of a served file (for `@plux/core`: of src/), and a lockfile
 *   mismatch ends the process with exit code 10. Pass `--no-lock`, or run
 *   from a folder without deno.json.
 * - Only exported subpaths can be imported. Any other fails with
 *   `Unknown export './src/internal.ts' for '@fixture/pkg@1.0.0'.` followed
 *   by `  Package exports:` and one ` * <key>` line per export. A missing
 *   package gives `JSR package not found: @scope/name`, an unmatched range
 *   `Could not find version of '@scope/name' that matches specified version
 *   constraint '^2'`.
 * - The repository itself serves as `@plux/core` at its deno.json version
 *   (so `jsr:@plux/core@^0.1` resolves while it is 0.1.x); its `npm:`
 *   imports (jsonc-parser, semver) must then come from a local npm registry
 *   too: see `pluxCoreNpmPackages()` in npm_registry.ts.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { dirname, join, relative } from "node:path";
import { parse } from "jsonc-parser";
import { compare } from "semver";
import { folderPath, listFiles } from "./_files.ts";
import {
  contentTypeOf,
  notFound,
  startServer,
  type TestServer,
} from "./http_origin.ts";

/** A package as the registry serves it: files already unfurled. */
export interface JsrPackage {
  /** The package name, `@scope/name`. */
  readonly name: string;
  /** The version, e.g. `1.0.0`. */
  readonly version: string;
  /** The package's `exports`, keys like `"."` and `"./plux.json"`. */
  readonly exports: Readonly<Record<string, string>>;
  /** Every served file by its path from the package root (`/mod.ts`). */
  readonly files: ReadonlyMap<string, Uint8Array<ArrayBuffer>>;
}

interface _DenoJson {
  name?: unknown;
  version?: unknown;
  exports?: unknown;
  imports?: unknown;
  exclude?: unknown;
  publish?: { exclude?: unknown };
}

/**
 * Reads a package folder the way `deno publish` would publish it: its
 * deno.json gives `name`, `version` and `exports`; every file is included
 * except dot-files, `node_modules`, and what `exclude` or `publish.exclude`
 * leave out; bare specifiers in modules are unfurled with the `imports`.
 *
 * @param folder The package folder (path or `file:` URL) holding deno.json.
 * @returns The package with its served files.
 * @throws {Error} When deno.json is missing or lacks name, version or exports.
 *
 * @example
 * ```ts
 * import { readJsrPackage } from "./jsr_registry.ts";
 * const pkg = await readJsrPackage(new URL("../../", import.meta.url));
 * console.log(pkg.name); // "@plux/core"
 * console.log(pkg.files.has("/mod.ts")); // true
 * ```
 */
export async function readJsrPackage(
  folder: string | URL,
): Promise<JsrPackage> {
  const root = folderPath(folder);
  const configFile = join(root, "deno.json");
  // deno.json may hold comments, as Deno and `deno publish` allow.
  const config = parse(await Deno.readTextFile(configFile)) as _DenoJson;
  const { name, version } = config;
  if (typeof name !== "string" || typeof version !== "string") {
    throw new Error(
      `${configFile}: a JSR test package needs "name" and "version"; add them`,
    );
  }
  const exports = typeof config.exports === "string"
    ? { ".": config.exports }
    : config.exports;
  if (typeof exports !== "object" || exports === null) {
    throw new Error(
      `${configFile}: package ${name} has no "exports"; add them`,
    );
  }
  const imports = (config.imports ?? {}) as Record<string, string>;
  const excluded = [
    ...(Array.isArray(config.exclude) ? config.exclude : []),
    ...(Array.isArray(config.publish?.exclude) ? config.publish.exclude : []),
  ].map(_globToRegExp);
  const files = new Map<string, Uint8Array<ArrayBuffer>>();
  for await (const path of listFiles(root)) {
    if (excluded.some((pattern) => pattern.test(path))) continue;
    const bytes = await Deno.readFile(join(root, path));
    files.set(
      "/" + path,
      /\.(m?[jt]sx?)$/.test(path) ? unfurl(bytes, "/" + path, imports) : bytes,
    );
  }
  return { name, version, exports: exports as Record<string, string>, files };
}

/**
 * Rewrites the bare specifiers of a module with an import map, as
 * `deno publish` does: `"x"` mapped to `npm:x@^1` becomes `"npm:x@^1"`,
 * `"x/sub"` becomes `"npm:x@^1/sub"`, and a mapping to a path inside the
 * package becomes a relative specifier. Relative, URL, `jsr:`, `npm:` and
 * `node:` specifiers and unmapped names are left alone.
 *
 * @param source The module's bytes (UTF-8).
 * @param path The module's path from the package root, e.g. `/src/a.ts`.
 * @param imports The package's deno.json `imports`.
 * @returns The rewritten bytes.
 *
 * @example
 * ```ts
 * import { unfurl } from "./jsr_registry.ts";
 * const out = unfurl(
 *   new TextEncoder().encode('import { parse } from "jsonc-parser";'),
 *   "/mod.ts",
 *   { "jsonc-parser": "npm:jsonc-parser@^3.3.1" },
 * );
 * console.log(new TextDecoder().decode(out)); // 'import { parse } from "npm:jsonc-parser@^3.3.1";'
 * ```
 */
export function unfurl(
  source: Uint8Array<ArrayBuffer>,
  path: string,
  imports: Readonly<Record<string, string>>,
): Uint8Array<ArrayBuffer> {
  const text = new TextDecoder().decode(source);
  const out = text.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"'\n]+)\2/g,
    (whole, before: string, quote: string, specifier: string) => {
      const mapped = _resolveBare(specifier, path, imports);
      return mapped === undefined
        ? whole
        : `${before}${quote}${mapped}${quote}`;
    },
  );
  return out === text ? source : new TextEncoder().encode(out);
}

/**
 * Starts a JSR registry on 127.0.0.1 serving the given package folders
 * (several versions of one package may be given). Pass its `url` to a
 * subprocess as `JSR_URL`.
 *
 * @param folders Package folders, each with a deno.json (see
 *   {@linkcode readJsrPackage}); the repository root serves `@plux/core`.
 * @returns The running registry; `requests` lists what Deno asked for.
 * @throws {Error} When a folder cannot be read as a package.
 *
 * @example
 * ```ts
 * import { startJsrRegistry } from "./jsr_registry.ts";
 * await using registry = await startJsrRegistry([new URL("../../", import.meta.url)]);
 * const meta = await (await fetch(`${registry.url}@plux/core/meta.json`)).json();
 * console.log(Object.keys(meta.versions)); // ["0.1.0"] (the repository's version)
 * ```
 */
export async function startJsrRegistry(
  folders: readonly (string | URL)[],
): Promise<TestServer> {
  const packages = await Promise.all(folders.map(readJsrPackage));
  const byName = Map.groupBy(packages, (pkg) => pkg.name);
  return startServer((_request, url) => {
    const path = decodeURIComponent(url.pathname);
    const match = /^\/(@[^/]+\/[^/]+)\/(.*)$/.exec(path);
    const versions = match ? byName.get(match[1]!) : undefined;
    if (!match || !versions) return notFound(path);
    const rest = match[2]!;
    if (rest === "meta.json") return Response.json(_packageMeta(versions));
    const metaOf = /^([^/]+)_meta\.json$/.exec(rest);
    const fileOf = /^([^/]+)(\/.*)$/.exec(rest);
    const pkg = versions.find((p) => p.version === (metaOf ?? fileOf)?.[1]);
    if (pkg && metaOf) return Response.json(_versionMeta(pkg));
    const bytes = pkg && fileOf ? pkg.files.get(fileOf[2]!) : undefined;
    if (bytes === undefined) return notFound(path);
    return new Response(bytes, {
      headers: { "content-type": contentTypeOf(path) },
    });
  });
}

function _packageMeta(versions: readonly JsrPackage[]) {
  const [scope, name] = versions[0]!.name.slice(1).split("/");
  const sorted = versions.map((p) => p.version).sort(compare);
  return {
    scope,
    name,
    latest: sorted.at(-1),
    versions: Object.fromEntries(sorted.map((v) => [v, {}])),
  };
}

function _versionMeta(pkg: JsrPackage) {
  const manifest: Record<string, { size: number; checksum: string }> = {};
  for (const [path, bytes] of pkg.files) {
    const hex = createHash("sha256").update(bytes).digest("hex");
    manifest[path] = { size: bytes.byteLength, checksum: `sha256-${hex}` };
  }
  return { manifest, exports: pkg.exports };
}

function _resolveBare(
  specifier: string,
  path: string,
  imports: Readonly<Record<string, string>>,
): string | undefined {
  if (/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier)) return undefined;
  let target = imports[specifier];
  if (target === undefined) {
    const key = Object.keys(imports)
      .filter((k) =>
        k.endsWith("/")
          ? specifier.startsWith(k)
          : specifier.startsWith(k + "/")
      )
      .sort((a, b) => b.length - a.length)[0];
    if (key === undefined) return undefined;
    const value = imports[key]!;
    const rest = specifier.slice(key.length);
    target = key.endsWith("/") ? value + rest : value + rest;
  }
  if (!target.startsWith("./") && !target.startsWith("../")) return target;
  const file = join("/", target);
  const fromDir = dirname(path);
  const rel = relative(fromDir, file);
  return rel.startsWith(".") ? rel : `./${rel}`;
}

function _globToRegExp(pattern: string): RegExp {
  const clean = pattern.replace(/^\.\//, "");
  const body = clean.split("**/").map((part) =>
    part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")
  ).join("(?:.*/)?");
  return new RegExp(`^${body}${clean.endsWith("/") ? "" : "(?:/|$)"}`);
}
