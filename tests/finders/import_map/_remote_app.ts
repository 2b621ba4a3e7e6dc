/**
 * The remote fixture application (tests/fixtures/discovery/remote_app/): a
 * copy of its `app/` folder in a temporary folder, with a deno.json written
 * for this run's servers, importing plugin packages of every source kind: a
 * workspace member, a local path, a URL package from an HTTP origin, a `jsr:`
 * and an `npm:` package from local registries, and a URL, a `jsr:` and an
 * `npm:` package without `plux.json`.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DenoRunResult, runDeno } from "../../support/deno_run.ts";
import {
  type PackageServers,
  startPackageServers,
} from "../../support/package_servers.ts";

const FIXTURE = new URL(
  "../../fixtures/discovery/remote_app/",
  import.meta.url,
);
const RUN_APP = new URL("../../fixtures/discovery/run_app.ts", import.meta.url);
/** The repository root, as a path ending in `/`. */
export const REPO: string = fileURLToPath(
  new URL("../../../", import.meta.url),
);

/** The namespace every fixture plugin is in. */
export const NAMESPACE = "demo.remote";

/** A running remote application; dispose of it with `await using`. */
export interface RemoteApp extends AsyncDisposable {
  /** The application's folder (holds deno.json and app.ts). */
  readonly dir: string;
  /** The HTTP origin and the registries. */
  readonly servers: PackageServers;
  /**
   * Runs `deno run --no-lock <flags> app.ts <args>` in the app's folder, with
   * the registries' environment and this app's `DENO_DIR`.
   */
  run(flags: readonly string[], args: readonly string[]): Promise<AppRun>;
  /** Runs `deno <args>` in the app's folder, as {@linkcode RemoteApp.run} does. */
  deno(args: readonly string[]): Promise<DenoRunResult>;
  /** Stops the servers and removes the folders. */
  close(): Promise<void>;
}

/** What run_app.ts printed. */
export interface AppRun extends DenoRunResult {
  /** The last stdout line, parsed. */
  readonly output: { problems: string[]; [key: string]: unknown };
  /** The `imported:<kind>` lines the plugin modules printed, in order. */
  readonly imported: string[];
}

/**
 * Serves the fixture packages and writes the application.
 *
 * @param core What the app maps `@plux/core` to: `"local"` (this repository's
 *   mod.ts, by file URL) or `"jsr"` (`jsr:@plux/core@^0.1` from the local JSR
 *   registry, as users import it).
 * @returns The application.
 */
export async function startRemoteApp(
  core: "local" | "jsr" | "jsr-url" = "local",
): Promise<RemoteApp> {
  const servers = await startPackageServers({
    http: new URL("url_pkg/", FIXTURE),
    jsr: [new URL("jsr_plugins/", FIXTURE), new URL("jsr_no_index/", FIXTURE)],
    npm: [new URL("npm_plugins/", FIXTURE), new URL("npm_no_index/", FIXTURE)],
  });
  const dir = await Deno.makeTempDir({ prefix: "plux_remote_" });
  const denoDir = await Deno.makeTempDir({ prefix: "plux_deno_dir_" });
  const close = async () => {
    await servers.close();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(denoDir, { recursive: true });
  };
  try {
    await copyDir(fileURLToPath(new URL("app/", FIXTURE)), dir);
    const config = {
      lock: false,
      workspace: ["./packages/members"],
      imports: {
        "@plux/core": core === "jsr"
          ? "jsr:@plux/core@^0.1"
          : core === "jsr-url"
          ? `${servers.jsr.url}@plux/core/0.1.0/mod.ts`
          : new URL("mod.ts", `file://${REPO}`).href,
        "local/": "./libs/local/",
        "url-plugins/": servers.http.url,
        "url-no-index/": `${servers.http.url}no_index/`,
        "@fixture/remote-plugins": "jsr:@fixture/remote-plugins@^1",
        "@fixture/no-index": "jsr:@fixture/no-index@^1",
        "remote-npm": "npm:fixture-remote-plugins@^1",
        "no-index-npm": "npm:fixture-no-index@^1",
      },
    };
    await Deno.writeTextFile(
      join(dir, "deno.json"),
      JSON.stringify(config, null, 2),
    );
    await Deno.writeTextFile(join(dir, "app.ts"), `import "${RUN_APP}";\n`);
  } catch (error) {
    await close();
    throw error;
  }
  const deno = (args: readonly string[]) =>
    runDeno(args, { cwd: dir, env: servers.env, denoDir });
  return {
    dir,
    servers,
    deno,
    async run(flags, args) {
      const result = await deno([
        "run",
        "--no-lock",
        ...flags,
        "app.ts",
        ...args,
      ]);
      const lines = result.stdout.trim().split("\n");
      let output;
      try {
        output = JSON.parse(lines.at(-1) ?? "");
      } catch {
        throw new Error(
          `app.ts ${
            args.join(" ")
          } printed no result (exit ${result.code}):\n` +
            `${result.stdout}\n${result.stderr}`,
        );
      }
      const imported = lines.filter((l) => l.startsWith("imported:"));
      return { ...result, output, imported };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory) await copyDir(source, target);
    else await Deno.copyFile(source, target);
  }
}
