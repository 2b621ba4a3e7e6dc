/**
 * A static HTTP origin for tests: serves a folder on
 * `http://127.0.0.1:<ephemeral port>/`, so a test can import a plugin package
 * by URL without the internet.
 *
 * Facts measured with Deno 2.9.6 (see tests/support/http_origin_test.ts):
 * - A subprocess imports from the origin with `--allow-import=127.0.0.1:<port>`
 *   (the default allow-list covers jsr.io, deno.land, esm.sh and a few CDNs,
 *   not 127.0.0.1). Without it the import fails with `Requires import access
 *   to "127.0.0.1:<port>", run again with the --allow-import flag`. No other
 *   permission is needed for module or JSON imports. An explicit list
 *   replaces the default one: add the JSR registry's host too when the same
 *   process imports `jsr:` packages (see package_servers.ts).
 * - Deno takes the module type from `Content-Type` (`.ts` as
 *   `application/typescript`); a JSON file must be imported with
 *   `{ with: { type: "json" } }`, else `Attempted to load JSON module without
 *   specifying "type": "json" attribute in the import statement.`
 * - A missing file (404) fails with `Module not found "<url>".`
 * - Remote modules are cached in `DENO_DIR/remote`; use a fresh `DENO_DIR`
 *   per test so an earlier run cannot mask a failure. With no `deno.json` in
 *   the subprocess's cwd no lockfile is written; when the cwd has one, pass
 *   `--no-lock` or Deno adds the remote URLs to its `deno.lock`.
 *
 * @module
 */

import { extname, join, normalize, sep } from "node:path";
import { folderPath } from "./_files.ts";

/** A running test server; stop it with `close()` or `await using`. */
export interface TestServer extends AsyncDisposable {
  /** The server's base URL, ending in `/`, e.g. `http://127.0.0.1:40123/`. */
  readonly url: string;
  /** The `host:port` part, as `--allow-import` and `--allow-net` take it. */
  readonly host: string;
  /** Every request path served so far (with query), in order. */
  readonly requests: readonly string[];
  /** Stops the server and waits until it has shut down. */
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".ts": "application/typescript; charset=utf-8",
  ".mts": "application/typescript; charset=utf-8",
  ".tsx": "text/tsx; charset=utf-8",
  ".js": "application/javascript; charset=utf-8",
  ".mjs": "application/javascript; charset=utf-8",
  ".jsx": "text/jsx; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".jsonc": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".md": "text/markdown; charset=utf-8",
  ".tgz": "application/octet-stream",
};

/**
 * The `Content-Type` a test server sends for a file, from its extension.
 *
 * @param path A file path or URL path.
 * @returns The content type; `application/octet-stream` when unknown.
 *
 * @example
 * ```ts
 * import { contentTypeOf } from "./http_origin.ts";
 * console.log(contentTypeOf("mod.ts")); // "application/typescript; charset=utf-8"
 * ```
 */
export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ??
    "application/octet-stream";
}

/**
 * Starts a server on 127.0.0.1 with an ephemeral port that answers each
 * request with `handler`, recording request paths.
 *
 * @param handler Answers a request; its `URL` is passed along.
 * @returns The running server.
 *
 * @example
 * ```ts
 * import { startServer } from "./http_origin.ts";
 * await using server = startServer(() => new Response("hi"));
 * console.log(await (await fetch(server.url)).text()); // "hi"
 * ```
 */
export function startServer(
  handler: (request: Request, url: URL) => Response | Promise<Response>,
): TestServer {
  const requests: string[] = [];
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    (request) => {
      const url = new URL(request.url);
      requests.push(url.pathname + url.search);
      return handler(request, url);
    },
  );
  const host = `127.0.0.1:${server.addr.port}`;
  const close = () => server.shutdown();
  return {
    url: `http://${host}/`,
    host,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Serves the files of `root` over HTTP on 127.0.0.1, with the content type
 * Deno needs to import them (`.ts` as `application/typescript`, `.json` as
 * `application/json`). Missing files, folders and paths escaping `root` are
 * answered with 404.
 *
 * @param root The folder to serve (absolute path or `file:` URL).
 * @returns The running server; `url` is the folder's URL, ending in `/`.
 *
 * @example
 * ```ts
 * import { serveFolder } from "./http_origin.ts";
 * const root = await Deno.makeTempDir({ prefix: "plux_" });
 * try {
 *   await Deno.writeTextFile(`${root}/plux.json`, '{"version":1,"plugins":{}}');
 *   await using origin = serveFolder(root);
 *   const response = await fetch(new URL("plux.json", origin.url));
 *   console.log(response.headers.get("content-type")); // "application/json; charset=utf-8"
 *   console.log(await response.json()); // { version: 1, plugins: {} }
 * } finally {
 *   await Deno.remove(root, { recursive: true });
 * }
 * ```
 */
export function serveFolder(root: string | URL): TestServer {
  const base = normalize(folderPath(root));
  return startServer(async (_request, url) => {
    const file = _resolveInside(base, decodeURIComponent(url.pathname));
    if (file === undefined) return notFound(url.pathname);
    try {
      const body = await Deno.readFile(file);
      return new Response(body, {
        headers: { "content-type": contentTypeOf(file) },
      });
    } catch (error) {
      if (
        error instanceof Deno.errors.NotFound ||
        error instanceof Deno.errors.IsADirectory
      ) {
        return notFound(url.pathname);
      }
      throw error;
    }
  });
}

/**
 * A 404 response naming the path that was not found.
 *
 * @param path The requested path.
 * @returns A `404 Not Found` response with a plain-text body.
 *
 * @example
 * ```ts
 * import { notFound } from "./http_origin.ts";
 * console.log(notFound("/x.ts").status); // 404
 * ```
 */
export function notFound(path: string): Response {
  return new Response(`not found: ${path}\n`, {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

function _resolveInside(base: string, path: string): string | undefined {
  const file = normalize(join(base, path));
  return file === base ||
      file.startsWith(base.endsWith(sep) ? base : base + sep)
    ? file
    : undefined;
}
