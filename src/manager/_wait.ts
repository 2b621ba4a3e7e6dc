import { checkTimeout } from "../core/_values.ts";

/** What bounds the waits of one `load()`, `loadAll()` or `listPluginSpecs()` call. */
export interface WaitLimits {
  /** Ends every wait of the call when it aborts. */
  readonly signal: AbortSignal | undefined;
  /** Milliseconds one step of a plugin may take; `Infinity` for no limit. */
  readonly timeout: number;
  /**
   * The option that set the timeout, for messages: `loadAll({ timeout })`,
   * `the manager's loadTimeout`.
   */
  readonly timeoutFrom?: string;
}

/**
 * The limits of one call from its options: its own timeout, else the
 * manager's `loadTimeout`, and which of the two it is, for messages.
 *
 * @param options The call's `signal` and `timeout` options.
 * @param call The call, for messages: `loadAll()`.
 * @param loadTimeout The manager's `loadTimeout`.
 * @returns The limits.
 * @throws {TypeError} When an option has the wrong type.
 */
export function limitsOf(
  options: { signal?: unknown; timeout?: unknown },
  call: string,
  loadTimeout: number,
): WaitLimits {
  const own = options.timeout !== undefined;
  return {
    signal: checkSignal(options.signal, `${call} option signal`),
    timeout: own
      ? checkTimeout(options.timeout, `${call} option timeout`)
      : loadTimeout,
    timeoutFrom: own
      ? `the timeout option of ${call}`
      : "the manager's loadTimeout option",
  };
}

/**
 * Checks a signal option: an `AbortSignal` or nothing.
 *
 * @param value The option's value.
 * @param where The option, for the message.
 * @returns The signal.
 * @throws {TypeError} When it is something else.
 */
export function checkSignal(
  value: unknown,
  where: string,
): AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) {
    throw new TypeError(`${where} must be an AbortSignal; got ${typeof value}`);
  }
  return value;
}

/**
 * A wait that ended before the work settled: the signal aborted or the
 * timeout passed. `message` says which and what was waited for; `cause` is
 * the signal's reason or a `TimeoutError` `DOMException`.
 */
export class WaitEnded extends Error {
  /** Whether the timeout, rather than the signal, ended the wait. */
  readonly timedOut: boolean;

  /**
   * @param message What ended the wait, and what it waited for.
   * @param cause The signal's reason, or the timeout's `DOMException`.
   * @param timedOut Whether the timeout ended it.
   */
  constructor(message: string, cause: unknown, timedOut: boolean) {
    super(message, { cause });
    this.name = "WaitEnded";
    this.timedOut = timedOut;
  }

  /**
   * `instanceof`, without throwing for what plugins throw: a `Proxy` whose
   * `getPrototypeOf` trap throws is not a `WaitEnded`.
   *
   * @param value The value to test.
   * @returns Whether `value` is a `WaitEnded`.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    try {
      return Function.prototype[Symbol.hasInstance].call(this, value);
    } catch {
      return false;
    }
  }
}

/**
 * Waits for work, but no longer than the limits allow. The work itself goes
 * on (a promise cannot be cancelled); its late outcome is ignored.
 *
 * When the work has already settled it wins, even over a signal that has
 * already aborted.
 *
 * @param work The promise (or value) to wait for.
 * @param what What it is, for messages: `its load()`.
 * @param limits The signal and timeout.
 * @param startedAt When the work began (`performance.now()`); the timeout
 * counts from there.
 * @param fix What to do when the timeout passes, for the message, worked out
 * only then; by default to raise the timeout.
 * @returns What the work settled to.
 * @throws {WaitEnded} When the signal aborts or the timeout passes first.
 */
export function settleWithin<T>(
  work: T | PromiseLike<T>,
  what: string,
  limits: WaitLimits,
  startedAt: number = performance.now(),
  fix: () => string = () => `raise ${limits.timeoutFrom ?? "the timeout"}`,
): Promise<T> {
  const { signal, timeout } = limits;
  if (signal === undefined && timeout === Infinity) {
    return Promise.resolve(work);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const ended = new Promise<never>((_, reject) => {
    if (timeout !== Infinity) {
      const left = startedAt + timeout - performance.now();
      timer = setTimeout(() => {
        const text = `${what} did not finish within ${timeout} ms; ${fix()}`;
        reject(
          new WaitEnded(
            text,
            new DOMException(text, "TimeoutError"),
            true,
          ),
        );
      }, Math.max(0, left));
    }
    if (signal !== undefined) {
      onAbort = () =>
        reject(
          new WaitEnded(
            `the AbortSignal aborted while waiting for ${what}`,
            signal.reason,
            false,
          ),
        );
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    }
  });
  // `work` first: when both have settled, its outcome wins the race.
  return Promise.race([work, ended]).finally(() => {
    clearTimeout(timer);
    if (onAbort !== undefined) signal!.removeEventListener("abort", onAbort);
  });
}

/**
 * Runs calls of code that a wait may stop waiting for (a plugin's factory,
 * `shouldLoad()`, `load()`), one at a time per key: a call whose wait ended
 * early (a timeout, an aborted signal) may still be running, and the next
 * call of the same key first waits for it to finish, so that the code never
 * runs twice at once.
 *
 * @typeParam K What the calls are of: a plugin.
 */
export class OneCallAtATime<K> {
  readonly #running = new Map<K, { what: string; finished: Promise<void> }>();

  /**
   * Calls `run` once what an earlier call of `key` left running has
   * finished, and waits for it.
   *
   * @param key Whose code it is.
   * @param what What it is, for messages: `its load()`.
   * @param run Starts the call.
   * @param wait Waits within the caller's limits (see {@linkcode settleWithin}).
   * @returns What the call settled to.
   * @throws What `run` or `wait` throws.
   */
  async run<T>(
    key: K,
    what: string,
    run: () => T | PromiseLike<T>,
    wait: <U>(work: U | PromiseLike<U>, what: string) => Promise<U>,
  ): Promise<T> {
    const running = this.#running.get(key);
    if (running !== undefined) {
      await wait(
        running.finished,
        `${running.what}, which an earlier call stopped waiting for and is still running,`,
      );
    }
    const work = new Promise<T>((resolve) => resolve(run()));
    try {
      return await wait(work, what);
    } catch (error) {
      if (error instanceof WaitEnded) {
        const entry = { what, finished: work.then(() => {}, () => {}) };
        this.#running.set(key, entry);
        void entry.finished.then(() => {
          if (this.#running.get(key) === entry) this.#running.delete(key);
        });
      }
      throw error;
    }
  }
}
