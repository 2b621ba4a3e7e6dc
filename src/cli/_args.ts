import { parseArgs } from "node:util";
import { HelpRequest, UsageError } from "./_io.ts";

/** The flags a command accepts: name to whether it takes a value. */
export type FlagSpec = Readonly<Record<string, "boolean" | "string">>;

/** Parsed flags and positional arguments of one command. */
export interface ParsedArgs {
  /** Flag values by name. */
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  /** The positional arguments. */
  readonly positionals: readonly string[];
}

/**
 * Parses a command's arguments strictly: an unknown flag, a missing value or
 * too many positionals is a {@linkcode UsageError}. `--help`, `-h` and
 * `--verbose` are accepted by every command; `--help` is honoured only once
 * the rest parses, so `--config --help` is a missing value, not a request for
 * help.
 *
 * @param command The command, for messages.
 * @param args The arguments after the command.
 * @param flags The command's own flags.
 * @param maxPositionals How many positional arguments it takes.
 * @returns The flags and positionals.
 * @throws {UsageError} When the arguments do not fit.
 * @throws {HelpRequest} When they ask for the command's help.
 */
export function parseCommandArgs(
  command: string,
  args: readonly string[],
  flags: FlagSpec,
  maxPositionals: number,
): ParsedArgs {
  const options: Record<
    string,
    { type: "boolean" | "string"; short?: string }
  > = {
    help: { type: "boolean", short: "h" },
    verbose: { type: "boolean" },
  };
  for (const [name, type] of Object.entries(flags)) options[name] = { type };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(usageMessage(error), command);
  }
  if (parsed.values.help) throw new HelpRequest(command);
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(
      `unexpected argument ${
        JSON.stringify(parsed.positionals[maxPositionals])
      }`,
      command,
    );
  }
  return { flags: parsed.values, positionals: parsed.positionals };
}

/**
 * Says what `node:util`'s `parseArgs` rejected in the command line's own
 * words: `unknown option --bogus`, `--config needs a value`, `--check takes
 * no value`.
 */
function usageMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  const code = (error as { code?: string }).code;
  if (option !== undefined && code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    return `unknown option ${option}`;
  }
  if (option !== undefined && code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return /does not take/.test(message)
      ? `${option} takes no value`
      : `${option} needs a value`;
  }
  return message.split("\n")[0]!;
}

/**
 * The `--timeout SECONDS` flag in milliseconds: how long one module may take
 * to import.
 *
 * @param value The flag's value, if given.
 * @param command The command, for the usage error.
 * @returns The milliseconds, or `undefined` when the flag is not given.
 * @throws {UsageError} When it is not a positive number of seconds.
 */
export function timeoutFlag(
  value: string | boolean | undefined,
  command: string,
): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (typeof value !== "string" || !(seconds > 0) || seconds > 2_147_483) {
    throw new UsageError(
      `--timeout takes a number of seconds greater than 0, got ${
        JSON.stringify(value)
      }`,
      command,
    );
  }
  return Math.round(seconds * 1000);
}
