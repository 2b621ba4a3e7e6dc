import { errorText, isError, UNPRINTABLE } from "../core/_error_text.ts";

/**
 * Where a command writes and how it reports failures. `out` and `err` write
 * ONE line each: a line break inside the text is shown escaped (`\u000a`),
 * so a name or description cannot start a line of its own; text that the
 * command itself lays out on several lines goes through
 * {@linkcode writeLines}.
 */
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
 * Writes text the command laid out itself on several lines (help, JSON made
 * with `JSON.stringify`, whose strings hold no raw line break) one line at a
 * time. Never give it text that holds values from indexes or folders as
 * they are.
 *
 * @param write `io.out` or `io.err`.
 * @param text The text.
 */
export function writeLines(write: (line: string) => void, text: string): void {
  for (const line of text.split("\n")) write(line);
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
  // Causes may loop (an error that is its own cause): a few are enough.
  let e: unknown = error;
  for (let depth = 0; depth < 8 && isError(e); depth++) {
    try {
      // The message on one line, then the frames the stack adds after it.
      const head = `${e.name}: ${e.message}`;
      const stack = typeof e.stack === "string" ? e.stack : head;
      io.err(stack.startsWith(head) ? head : errorText(e));
      const frames = stack.startsWith(head) ? stack.slice(head.length) : stack;
      for (const frame of frames.split("\n")) {
        if (/^\s+at /.test(frame)) io.err(frame);
      }
      e = e.cause;
    } catch {
      io.err(UNPRINTABLE);
      return;
    }
  }
}
