/**
 * Helpers for the command-line tests: copy a fixture package under
 * tests/fixtures/cli/ to a temporary folder (the CLI writes files) and run
 * the CLI on it in a subprocess.
 *
 * Fixture configs map `@plux/core` to this repository's mod.ts by a relative
 * path; the copy maps it to an absolute `file:` URL and adds the library's
 * own imports (`jsonc-parser`, ...), which is what `deno publish` does for a
 * user of `jsr:@plux/core` by rewriting bare specifiers. Deno takes the
 * config from the main module's folder, so the CLI runs with
 * `--config <copy>/deno.json` to use the fixture's import map as a user's
 * project would.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyEdits, modify, parse } from "jsonc-parser";

/** The repository root. */
export const REPO = fileURLToPath(new URL("../../", import.meta.url));
/** The CLI entry. */
export const CLI = join(REPO, "cli.ts");
const FIXTURES = join(REPO, "tests/fixtures/cli");

/**
 * Copies `tests/fixtures/cli/<name>` to a new temporary folder and rewrites
 * its configs' `@plux/core` import to this repository.
 *
 * @param name The fixture's folder name.
 * @returns The copy's path; remove it when done.
 */
export async function copyFixture(name: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "plux_cli_" });
  await copyDir(join(FIXTURES, name), dir);
  return dir;
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory) {
      await copyDir(source, target);
    } else if (/^deno\.jsonc?$/.test(entry.name)) {
      await Deno.writeTextFile(
        target,
        mapLibrary(await Deno.readTextFile(source)),
      );
    } else {
      await Deno.copyFile(source, target);
    }
  }
}

function mapLibrary(text: string): string {
  const data = parse(text) as { imports?: Record<string, string> };
  if (data.imports?.["@plux/core"] === undefined) return text;
  const repoConfig = JSON.parse(
    Deno.readTextFileSync(join(REPO, "deno.json")),
  ) as { imports: Record<string, string> };
  const imports: Record<string, string> = {
    ...repoConfig.imports,
    "@plux/core": new URL("mod.ts", `file://${REPO}`).href,
  };
  for (const [key, value] of Object.entries(imports)) {
    text = applyEdits(
      text,
      modify(text, ["imports", key], value, {
        formattingOptions: { insertSpaces: true, tabSize: 2 },
      }),
    );
  }
  return text;
}

/** What a CLI run printed and how it ended. */
export interface CliResult {
  /** The exit code. */
  readonly code: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/**
 * Runs `deno run <permissions> --config <config> cli.ts <args>` in `cwd`.
 *
 * @param cwd The folder to run in; its deno.json or deno.jsonc is the config.
 * @param args The CLI's arguments.
 * @param permissions Permission flags. @default ["-A"]
 * @returns The exit code and output.
 */
export async function runCli(
  cwd: string,
  args: readonly string[],
  permissions: readonly string[] = ["-A"],
): Promise<CliResult> {
  let config = join(cwd, "deno.json");
  try {
    await Deno.stat(config);
  } catch {
    config = join(cwd, "deno.jsonc");
  }
  return await runDenoIn(cwd, [
    "run",
    ...permissions,
    "--config",
    config,
    CLI,
    ...args,
  ]);
}

/**
 * Runs `deno <args>` in `cwd` with `NO_COLOR` and collects its output.
 *
 * @param cwd The folder to run in.
 * @param args The arguments after `deno`.
 * @returns The exit code and output.
 */
export async function runDenoIn(
  cwd: string,
  args: readonly string[],
): Promise<CliResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [...args],
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** Reads a file, or `undefined` when it does not exist. */
export { readTextIfExists as readOrUndefined } from "../../src/build/_files.ts";
