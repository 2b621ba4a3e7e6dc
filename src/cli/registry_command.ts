import { basename, dirname, relative, resolve } from "node:path";
import { readTextIfExists } from "../build/_files.ts";
import { registryModule } from "../build/registry_module.ts";
import { findAppPlugins } from "./_app_plugins.ts";
import { parseCommandArgs, timeoutFlag } from "./_args.ts";
import { locateAppConfig } from "./_config_file.ts";
import { type CliIo, UsageError } from "./_io.ts";

/**
 * `plux registry --out FILE [--config PATH] [--check] [--timeout SECONDS]`:
 * writes a static
 * registry module listing every plugin the application's finder discovers,
 * each with a literal `import()`, for `deno compile` and `deno bundle`. Only
 * indexes are read; no plugin code is imported.
 *
 * @param args The arguments after `registry`.
 * @param io Where to write.
 * @returns The exit code: 0, or 1 when `--check` finds the file stale or a
 * remote index did not arrive in time (nothing is written then).
 * @throws {UsageError} When `--out` is missing.
 */
export async function registryCommand(
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const { flags } = parseCommandArgs("registry", args, {
    out: "string",
    config: "string",
    check: "boolean",
    timeout: "string",
  }, 0);
  const timeout = timeoutFlag(flags.timeout, "registry");
  if (typeof flags.out !== "string") {
    throw new UsageError("--out FILE is required", "registry");
  }
  const outFile = resolve(io.cwd, flags.out);
  const config = await locateAppConfig(
    io.cwd,
    flags.config as string,
    "registry",
  );
  const { found: entries, incomplete } = await findAppPlugins(
    config,
    io,
    undefined,
    timeout,
  );
  // The header names files relative to the registry's folder, so that it
  // does not depend on where the command ran.
  const command = "deno run -A jsr:@plux/core/cli registry --out " +
    `${shellWord(basename(outFile))} --config ${
      shellWord(relative(dirname(outFile), config).replaceAll("\\", "/"))
    }  (in the registry's folder)`;
  const module = registryModule(entries, outFile, command);
  const configArg = relative(io.cwd, config) || config;
  for (const line of module.skipped) io.err(`warning: left out ${line}`);
  const label = relative(io.cwd, outFile);
  if (incomplete) {
    // A registry without a package's plugins would ship without them.
    io.err(
      `error: ${label} was not written: a package's index did not arrive ` +
        "in time (see the warning above); run again when it answers, or " +
        "with a longer --timeout SECONDS",
    );
    return 1;
  }
  const summary = `${module.plugins} plugin${
    module.plugins === 1 ? "" : "s"
  } from ${configArg}`;
  if (await readTextIfExists(outFile) === module.text) {
    io.out(`${label}: ${summary}; up to date`);
    return 0;
  }
  if (flags.check) {
    io.out(`${label}: ${summary}; stale`);
    io.err(
      `error: ${label} is stale or missing; run \`${command}\` and commit the result`,
    );
    return 1;
  }
  await Deno.writeTextFile(outFile, module.text);
  io.out(`${label}: ${summary}; wrote ${label}`);
  return 0;
}

/**
 * A path as one word of a POSIX shell command: as it is when it holds only
 * plain characters, else in single quotes (a `'` written `'\''`).
 */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path)
    ? path
    : `'${path.replaceAll("'", "'\\''")}'`;
}
