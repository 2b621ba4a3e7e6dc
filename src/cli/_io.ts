import { errorText } from "../core/_error_text.ts";

/** Where a command writes and how it reports failures. */
export interface CliIo {
  /** Writes one line of results (stdout). */
  readonly out: (line: string) => void;
  /** Writes one line of diagnostics (stderr). */
  readonly err: (line: string) => void;
  /** The folder the command runs in. */
  readonly cwd: string;
  /** Whether errors show their stack traces. */
  readonly verbose: boolean;
}

/** A wrong command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  /** The command whose usage is printed, or `undefined` for the overview. */
  readonly command: string | undefined;

  /**
   * @param message What is wrong.
   * @param command The command whose usage applies.
   */
  constructor(message: string, command?: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

/** A command line asking for a command's help: printed, exit code 0. */
export class HelpRequest extends Error {
  /** The command whose help is printed. */
  readonly command: string;

  /** @param command The command whose help is asked for. */
  constructor(command: string) {
    super(`help for ${command}`);
    this.name = "HelpRequest";
    this.command = command;
  }
}

/**
 * Prints an error as one line, or with its stack (and causes) when verbose.
 *
 * @param io Where to write.
 * @param error The error.
 * @param prefix Prepended to the message, for example a package name.
 */
export function printError(io: CliIo, error: unknown, prefix = ""): void {
  io.err(`error: ${prefix}${errorText(error)}`);
  if (!io.verbose) return;
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    io.err(e.stack ?? String(e));
  }
}
