/**
 * Runs Deno in a subprocess the way the product's tests need it: with a fresh
 * `DENO_DIR` (so packages cached by another run cannot mask a failure and the
 * global cache stays clean), `NO_COLOR`, and extra environment such as
 * `JSR_URL` and `NPM_CONFIG_REGISTRY` for the local registries.
 *
 * Deno looks for deno.json from the main module's folder upwards: a script
 * under tests/fixtures without a deno.json of its own picks up the
 * repository's deno.json and would write its deno.lock. Run scripts from a
 * temporary folder, or pass `--no-lock`.
 *
 * @module
 */

/** What a subprocess printed and how it ended. */
export interface DenoRunResult {
  /** The exit code. */
  readonly code: number;
  /** Standard output, decoded. */
  readonly stdout: string;
  /** Standard error, decoded (Deno's `Download ...` lines go here). */
  readonly stderr: string;
}

/** Options for {@linkcode runDeno}. */
export interface RunDenoOptions {
  /** The working directory. @default the current one */
  readonly cwd?: string;
  /** Extra environment variables, e.g. `{ JSR_URL: registry.url }`. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The `DENO_DIR` to use; share one between the subprocesses of a test.
   * @default a fresh temporary folder, removed afterwards
   */
  readonly denoDir?: string;
}

/**
 * Runs `deno <args>` and collects its output.
 *
 * @param args The arguments after `deno`, e.g. `["run", "--allow-read", "app.ts"]`.
 * @param options Working directory, environment and `DENO_DIR`.
 * @returns The exit code and output.
 *
 * @example
 * ```ts
 * import { runDeno } from "./deno_run.ts";
 * const result = await runDeno(["eval", "console.log(1 + 1)"]);
 * console.log(result.code, result.stdout); // 0 "2\n"
 * ```
 */
export async function runDeno(
  args: readonly string[],
  options: RunDenoOptions = {},
): Promise<DenoRunResult> {
  const denoDir = options.denoDir ??
    await Deno.makeTempDir({ prefix: "plux_deno_dir_" });
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [...args],
      cwd: options.cwd,
      env: { NO_COLOR: "1", ...options.env, DENO_DIR: denoDir },
      stdin: "null",
    }).output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    };
  } finally {
    if (options.denoDir === undefined) {
      await Deno.remove(denoDir, { recursive: true });
    }
  }
}

/** What the import probe reports for one specifier. */
export interface ProbeResult {
  /** The specifier as imported. */
  readonly specifier: string;
  /** For a JSON import, the parsed value. */
  readonly json?: unknown;
  /** For a module, each export: a string's value, else its `typeof`. */
  readonly exports?: Readonly<Record<string, string>>;
  /** When the import failed, the error message. */
  readonly error?: string;
}

const PROBE = `for (const arg of Deno.args) {
  const json = arg.startsWith("json:");
  const specifier = json ? arg.slice(5) : arg;
  try {
    const module = json
      ? await import(specifier, { with: { type: "json" } })
      : await import(specifier);
    const exports = Object.fromEntries(Object.entries(module).map(([k, v]) =>
      [k, typeof v === "string" ? v : typeof v]));
    console.log(JSON.stringify(json ? { specifier, json: module.default } : { specifier, exports }));
  } catch (error) {
    console.log(JSON.stringify({ specifier, error: String(error?.message ?? error) }));
  }
}
`;

/**
 * Runs `deno run [...flags] probe.js` in `dir`, where probe.js imports each
 * specifier with a non-literal dynamic `import()` (as the finder does): a
 * specifier prefixed with `json:` is imported with `{ type: "json" }`. A
 * failing import is reported, not fatal, so one run checks several.
 *
 * @param dir A temporary folder to write probe.js into and run from.
 * @param flags Permission flags, e.g. `["--allow-import=127.0.0.1:4000"]`.
 * @param specifiers What to import, e.g. `["json:jsr:@fixture/pkg@^1/plux.json"]`.
 * @param options Environment and `DENO_DIR`, as for {@linkcode runDeno}.
 * @returns One result per specifier, and the subprocess's output.
 *
 * @example
 * ```ts
 * import { probeImports } from "./deno_run.ts";
 * const dir = await Deno.makeTempDir({ prefix: "plux_" });
 * try {
 *   const data = `data:application/json,${encodeURIComponent('{"a":1}')}`;
 *   const { results } = await probeImports(dir, [], [`json:${data}`]);
 *   console.log(results[0]?.json); // { a: 1 }
 * } finally {
 *   await Deno.remove(dir, { recursive: true });
 * }
 * ```
 */
export async function probeImports(
  dir: string,
  flags: readonly string[],
  specifiers: readonly string[],
  options: Omit<RunDenoOptions, "cwd"> = {},
): Promise<DenoRunResult & { results: ProbeResult[] }> {
  await Deno.writeTextFile(`${dir}/probe.js`, PROBE);
  const result = await runDeno(
    ["run", ...flags, "probe.js", ...specifiers],
    { ...options, cwd: dir },
  );
  const results = result.stdout.split("\n").filter((line) =>
    line.startsWith("{")
  )
    .map((line) => JSON.parse(line) as ProbeResult);
  return { ...result, results };
}
