/**
 * `src/cli/`: the `plux` command line (`init`, `index`, `discover`, `list`,
 * `resolve`, `registry`, `help`), argument parsing and output. It is the top
 * of the flow and may import every other folder; `cli.ts` is its entry.
 *
 * @module
 */
import {
  type CliIo,
  HelpRequest,
  printError,
  UsageError,
  writeLines,
} from "./_io.ts";
import { discoverCommand, indexCommand } from "./index_command.ts";
import { initCommand } from "./init_command.ts";
import { permissionLine } from "./_permissions.ts";
import { listCommand } from "./list_command.ts";
import { registryCommand } from "./registry_command.ts";
import { resolveCommand } from "./resolve_command.ts";
import { COMMAND_HELP, OVERVIEW } from "./usage.ts";
import { terminalText } from "../core/_error_text.ts";
import { PLUX_VERSION } from "../finders/directory/requirements.ts";

/** Options of {@linkcode main}, for running the command line in-process. */
export interface MainOptions {
  /**
   * Receives each line of results.
   *
   * @default {console.log}
   */
  out?: (line: string) => void;
  /**
   * Receives each line of warnings and errors.
   *
   * @default {console.error}
   */
  err?: (line: string) => void;
  /**
   * The folder the command runs in.
   *
   * @default {Deno.cwd()}
   */
  cwd?: string;
}

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  init: initCommand,
  index: indexCommand,
  discover: discoverCommand,
  list: listCommand,
  resolve: resolveCommand,
  registry: registryCommand,
};

/**
 * Runs the `plux` command line: `init`, `index`, `discover`, `list`,
 * `resolve`, `registry`.
 *
 * @example
 * ```ts
 * import { main } from "@plux/core/cli";
 *
 * const lines: string[] = [];
 * const code = await main(["--version"], { out: (line) => lines.push(line) });
 * console.log(code, lines); // 0 ["plux (@plux/core) 0.1.0"]
 * ```
 *
 * @param args The arguments, without the program name (`Deno.args`).
 * @param options Where output goes and which folder to work in.
 * @returns The exit code: 0 success, 1 failure, 2 wrong usage.
 */
export async function main(
  args: readonly string[],
  options: MainOptions = {},
): Promise<number> {
  const verbose = args.includes("--verbose");
  // Every line is made terminal-safe here, once for all commands: names,
  // descriptions and paths come from indexes and folders of others. A line
  // break inside a line is escaped too: commands write their own multi-line
  // text (help, JSON) with writeLines().
  const out = options.out ?? ((line) => console.log(line));
  const err = options.err ?? ((line) => console.error(line));
  const io: CliIo = {
    out: (line) => out(terminalText(line)),
    err: (line) => err(terminalText(line)),
    cwd: options.cwd ?? Deno.cwd(),
    verbose,
  };
  const [first, ...rest] = args.filter((arg) => arg !== "--verbose");
  const command = first !== undefined && Object.hasOwn(COMMANDS, first)
    ? COMMANDS[first]
    : undefined;
  try {
    if (first === "--version" || first === "-V") {
      io.out(`plux (@plux/core) ${PLUX_VERSION}`);
      return 0;
    }
    if (first === "--help" || first === "-h") {
      writeLines(io.out, OVERVIEW);
      return 0;
    }
    if (first === "help") return help(rest, io);
    if (command === undefined) {
      throw new UsageError(
        first === undefined
          ? "no command given"
          : first.startsWith("-")
          ? `unknown option ${first}`
          : `unknown command ${JSON.stringify(first)}`,
      );
    }
    return await command(rest, io);
  } catch (error) {
    if (error instanceof HelpRequest) {
      writeLines(io.out, COMMAND_HELP[error.command]!);
      return 0;
    }
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      io.err("");
      writeLines(
        io.err,
        error.command === undefined ? OVERVIEW : COMMAND_HELP[error.command]!,
      );
      return 2;
    }
    // A permission Deno denied the command itself: one line with the flag.
    const denied = command === undefined
      ? undefined
      : permissionLine(first!, error, io.cwd);
    if (denied !== undefined && !io.verbose) io.err(`error: ${denied}`);
    else printError(io, error);
    return 1;
  }
}

/** `plux help [command]`: the overview, or one command's help. */
function help(args: readonly string[], io: CliIo): number {
  const [name, extra] = args;
  if (extra !== undefined) {
    throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  }
  if (name === undefined) {
    writeLines(io.out, OVERVIEW);
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    throw new UsageError(`unknown command ${JSON.stringify(name)}`);
  }
  writeLines(io.out, COMMAND_HELP[name]!);
  return 0;
}
