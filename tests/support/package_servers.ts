/**
 * All test package sources at once: an HTTP origin, a local JSR registry
 * (with `@plux/core` served from this repository) and a local npm registry
 * (with the npm packages `@plux/core` imports), plus the environment and
 * flags a subprocess needs to use them. See http_origin.ts, jsr_registry.ts
 * and npm_registry.ts for what each serves and the facts measured.
 *
 * Measured with Deno 2.9.6: without any `--allow-import`, `jsr:` imports from
 * the `JSR_URL` registry are allowed (its host is on the default allow-list,
 * as jsr.io is) and URL imports from 127.0.0.1 are not. With
 * `--allow-import=<http host>` alone, the URL imports work but every `jsr:`
 * import fails with `JSR package manifest for '@fixture/pkg' failed to load.
 * Requires import access to "<jsr host>", run again with the --allow-import
 * flag`: the explicit list replaces the default one. So an application that
 * imports plugins by URL and from JSR needs `--allow-import=<its hosts>,jsr.io`
 * (here: the JSR registry's host). `npm:` imports need no flag either way.
 *
 * @module
 */

import {
  notFound,
  serveFolder,
  startServer,
  type TestServer,
} from "./http_origin.ts";
import { startJsrRegistry } from "./jsr_registry.ts";
import { pluxCoreNpmPackages, startNpmRegistry } from "./npm_registry.ts";

/** What to serve; every field is optional. */
export interface PackageServersOptions {
  /** A folder to serve over plain HTTP. */
  readonly http?: string | URL;
  /** JSR package folders; `@plux/core` (this repository) is always added. */
  readonly jsr?: readonly (string | URL)[];
  /** npm package folders; the npm packages `@plux/core` imports are always added. */
  readonly npm?: readonly (string | URL)[];
}

/** The running servers and how a subprocess reaches them. */
export interface PackageServers extends AsyncDisposable {
  /** The HTTP origin (serves 404 only when no `http` folder was given). */
  readonly http: TestServer;
  /** The local JSR registry. */
  readonly jsr: TestServer;
  /** The local npm registry. */
  readonly npm: TestServer;
  /** `{ JSR_URL, NPM_CONFIG_REGISTRY }` for the subprocess. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * `--allow-import=<http host>,<jsr host>`: the only flag the imports need.
   * Naming the HTTP origin alone is not enough: an explicit allow-list
   * replaces Deno's default one, which holds the `JSR_URL` host.
   */
  readonly allowImport: string;
  /** Stops every server. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP origin, a JSR registry and an npm registry on 127.0.0.1.
 *
 * @param options The folders to serve.
 * @returns The servers, with `env` and `allowImport` for a subprocess.
 * @throws {Error} When a folder cannot be read as a package, or an npm
 *   package `@plux/core` imports is not in Deno's cache.
 *
 * @example
 * ```ts
 * import { startPackageServers } from "./package_servers.ts";
 * const registry = new URL("../fixtures/registry/", import.meta.url);
 * await using servers = await startPackageServers({
 *   http: new URL("http_pkg/", registry),
 *   jsr: [new URL("jsr_pkg/", registry)],
 *   npm: [new URL("npm_pkg/", registry)],
 * });
 * console.log(Object.keys(servers.env)); // ["JSR_URL", "NPM_CONFIG_REGISTRY"]
 * console.log(servers.allowImport.startsWith(`--allow-import=${servers.http.host},`)); // true
 * ```
 */
export async function startPackageServers(
  options: PackageServersOptions = {},
): Promise<PackageServers> {
  const repository = new URL("../../", import.meta.url);
  const npmFolders = [...(options.npm ?? []), ...await pluxCoreNpmPackages()];
  const jsr = await startJsrRegistry([...(options.jsr ?? []), repository]);
  const npm = await startNpmRegistry(npmFolders).catch(async (error) => {
    await jsr.close();
    throw error;
  });
  const http = options.http
    ? serveFolder(options.http)
    : startServer((_request, url) => notFound(url.pathname));
  const close = async () => {
    await Promise.all([http.close(), jsr.close(), npm.close()]);
  };
  return {
    http,
    jsr,
    npm,
    env: { JSR_URL: jsr.url, NPM_CONFIG_REGISTRY: npm.url },
    allowImport: `--allow-import=${http.host},${jsr.host}`,
    close,
    [Symbol.asyncDispose]: close,
  };
}
