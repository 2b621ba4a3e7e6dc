/**
 * A local npm registry for tests: serves package folders as npm packages, so
 * a subprocess started with `NPM_CONFIG_REGISTRY=<registry.url>` imports
 * `npm:fixture-pkg@1/plux.json` without the internet.
 *
 * Facts measured with Deno 2.9.6 (see tests/support/npm_registry_test.ts):
 * - Deno requests the packument as `GET /<name>` or `GET /@scope%2fname`
 *   (slash encoded), then the `dist.tarball` URL as given. It checks
 *   `dist.integrity` against the tarball, reads `dependencies` from the
 *   packument, and `exports` from the package.json inside the tarball.
 * - Importing from the registry needs no permission flag (no `--allow-net`,
 *   `--allow-read` or `--allow-import`); only `NPM_CONFIG_REGISTRY` must be
 *   set. Packages are cached in `DENO_DIR/npm/<registry host>/...` (for
 *   127.0.0.1 the folder is named after the port), so use a fresh
 *   `DENO_DIR`: a reused port could otherwise serve a stale cached copy.
 * - With no package.json in the app, no node_modules folder is created.
 *   A deno.json in the cwd makes Deno record `npm:` packages in deno.lock,
 *   with the tarball URL (port included) for a non-default registry, so a
 *   kept lockfile breaks the next run: pass `--no-lock` (or run from a
 *   folder without deno.json).
 * - A tarball that does not match `dist.integrity` fails the import with
 *   `Tarball checksum did not match ...`; unlike a JSR checksum failure
 *   (exit 10) this rejection can be caught.
 * - A subpath the package.json `exports` do not list fails with
 *   `[ERR_PACKAGE_PATH_NOT_EXPORTED] Package subpath './x' is not defined by
 *   "exports" in '<DENO_DIR>/npm/.../package.json' imported from '<file>'`.
 *   An unknown package fails with `npm package 'x' does not exist.`, a
 *   version range with no match with `Could not find npm package 'x'
 *   matching '^3'.`
 * - A served `@plux/core` (see jsr_registry.ts) imports `npm:jsonc-parser`
 *   and `npm:semver`; serve them from Deno's cache with
 *   {@linkcode pluxCoreNpmPackages} to stay offline.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { compare } from "semver";
import { folderPath, listFiles } from "./_files.ts";
import { notFound, startServer, type TestServer } from "./http_origin.ts";
import { tgz } from "./tar.ts";

/** A package as the registry serves it. */
export interface NpmPackage {
  /** The package name, `name` or `@scope/name`. */
  readonly name: string;
  /** The version, e.g. `1.0.0`. */
  readonly version: string;
  /** The parsed package.json; its fields go into the packument. */
  readonly manifest: Readonly<Record<string, unknown>>;
  /** The `.tgz` bytes: every file under `package/`. */
  readonly tarball: Uint8Array<ArrayBuffer>;
}

/**
 * Reads a package folder into an npm package: package.json gives the name,
 * version and the rest of the manifest; the tarball holds every file of the
 * folder except dot-files and `node_modules`, under `package/`.
 *
 * @param folder The package folder (path or `file:` URL) holding package.json.
 * @returns The package, tarball built in memory.
 * @throws {Error} When package.json is missing or lacks name or version.
 *
 * @example
 * ```ts
 * import { readNpmPackage } from "./npm_registry.ts";
 * const pkg = await readNpmPackage(new URL("../fixtures/registry/npm_pkg/", import.meta.url));
 * console.log(pkg.name, pkg.version); // "fixture-pkg" "1.0.0"
 * ```
 */
export async function readNpmPackage(
  folder: string | URL,
): Promise<NpmPackage> {
  const root = folderPath(folder);
  const manifestFile = join(root, "package.json");
  const manifest = JSON.parse(await Deno.readTextFile(manifestFile));
  const { name, version } = manifest;
  if (typeof name !== "string" || typeof version !== "string") {
    throw new Error(
      `${manifestFile}: an npm test package needs "name" and "version"; add them`,
    );
  }
  const files: [string, Uint8Array][] = [];
  for await (const path of listFiles(root)) {
    files.push([`package/${path}`, await Deno.readFile(join(root, path))]);
  }
  return { name, version, manifest, tarball: tgz(files) };
}

/**
 * Starts an npm registry on 127.0.0.1 serving the given package folders
 * (several versions of one package may be given). It answers
 * `GET /<name>` and `GET /@scope%2fname` with a packument whose versions
 * carry `dist.tarball`, `dist.integrity` (sha512) and `dist.shasum` (sha1),
 * and `GET /<name>/-/<file>.tgz` with the tarball. Pass its `url` to a
 * subprocess as `NPM_CONFIG_REGISTRY`.
 *
 * @param folders Package folders, each with a package.json.
 * @returns The running registry; `requests` lists what Deno asked for.
 * @throws {Error} When a folder cannot be read as a package.
 *
 * @example
 * ```ts
 * import { startNpmRegistry } from "./npm_registry.ts";
 * await using registry = await startNpmRegistry([
 *   new URL("../fixtures/registry/npm_pkg/", import.meta.url),
 * ]);
 * const packument = await (await fetch(`${registry.url}fixture-pkg`)).json();
 * console.log(packument["dist-tags"].latest); // "1.0.0"
 * ```
 */
export async function startNpmRegistry(
  folders: readonly (string | URL)[],
): Promise<TestServer> {
  const packages = await Promise.all(folders.map(readNpmPackage));
  packages.sort((a, b) => compare(a.version, b.version));
  const byName = Map.groupBy(packages, (pkg) => pkg.name);
  const tarballs = new Map(packages.map((pkg) => [_tarballPath(pkg), pkg]));
  const server = startServer((_request, url) => {
    const path = decodeURIComponent(url.pathname);
    const tarball = tarballs.get(path);
    if (tarball) {
      return new Response(tarball.tarball, {
        headers: { "content-type": "application/octet-stream" },
      });
    }
    const versions = byName.get(path.slice(1));
    if (!versions) return notFound(path);
    return Response.json(_packument(versions, server.url));
  });
  return server;
}

/**
 * The folders of npm packages in Deno's global npm cache, with their
 * dependencies (transitively), so a local registry can serve them offline:
 * for example `jsonc-parser` and `semver`, which `@plux/core` imports when a
 * test serves it from the local JSR registry. The highest cached version of
 * each package is taken.
 *
 * @param names Package names, e.g. `["jsonc-parser", "semver"]`.
 * @returns The package folders, each holding its package.json.
 * @throws {Error} When a package is not in the cache; the message says how
 *   to cache it.
 *
 * @example
 * ```ts
 * import { cachedNpmPackages } from "./npm_registry.ts";
 * const [semver] = await cachedNpmPackages(["semver"]);
 * console.log(semver?.includes("/semver/")); // true
 * ```
 */
export async function cachedNpmPackages(
  names: readonly string[],
): Promise<string[]> {
  const cache = join(await _npmCacheDir(), "registry.npmjs.org");
  const folders = new Map<string, string>();
  const pending = [...names];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (folders.has(name)) continue;
    const versions = await Array.fromAsync(Deno.readDir(join(cache, name)))
      .catch(() => []);
    const latest = versions.filter((v) => v.isDirectory).map((v) => v.name)
      .sort(compare).at(-1);
    if (latest === undefined) {
      throw new Error(
        `npm package ${name} is not in Deno's npm cache (${cache}); ` +
          `cache it with \`deno cache npm:${name}\` before running the tests`,
      );
    }
    const folder = join(cache, name, latest);
    folders.set(name, folder);
    const manifest = JSON.parse(
      await Deno.readTextFile(join(folder, "package.json")),
    );
    pending.push(...Object.keys(manifest.dependencies ?? {}));
  }
  return [...folders.values()];
}

/**
 * The npm packages that `@plux/core` imports (the `npm:` entries of the
 * repository's deno.json `imports`), from Deno's npm cache: what a local npm
 * registry must serve when a test serves `@plux/core` from the local JSR
 * registry.
 *
 * @returns The package folders (see {@linkcode cachedNpmPackages}).
 * @throws {Error} When one of them is not cached.
 *
 * @example
 * ```ts
 * import { pluxCoreNpmPackages } from "./npm_registry.ts";
 * const folders = await pluxCoreNpmPackages();
 * console.log(folders.some((f) => f.includes("/jsonc-parser/"))); // true
 * ```
 */
export async function pluxCoreNpmPackages(): Promise<string[]> {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  );
  const names = Object.values<string>(config.imports ?? {})
    .map((target) => /^npm:\/?((?:@[^/@]+\/)?[^/@]+)/.exec(target)?.[1])
    .filter((name) => name !== undefined);
  return await cachedNpmPackages(names);
}

async function _npmCacheDir(): Promise<string> {
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stderr: "inherit",
  }).output();
  return JSON.parse(new TextDecoder().decode(stdout)).npmCache;
}

function _tarballPath({ name, version }: NpmPackage): string {
  return `/${name}/-/${name.replace(/^@[^/]+\//, "")}-${version}.tgz`;
}

function _packument(versions: readonly NpmPackage[], base: string) {
  const name = versions[0]!.name;
  const entries = versions.map((pkg) => {
    const path = _tarballPath(pkg);
    const sha512 = createHash("sha512").update(pkg.tarball).digest("base64");
    const dist = {
      tarball: new URL(path.slice(1), base).href,
      integrity: `sha512-${sha512}`,
      shasum: createHash("sha1").update(pkg.tarball).digest("hex"),
    };
    return [pkg.version, { ...pkg.manifest, dist }] as const;
  });
  return {
    name,
    "dist-tags": { latest: versions.at(-1)!.version },
    versions: Object.fromEntries(entries),
  };
}
