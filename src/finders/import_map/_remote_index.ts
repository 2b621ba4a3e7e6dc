/**
 * The JSON imports of the indexes of `jsr:`, `npm:` and URL packages, each
 * waited for no longer than the finder's `indexTimeout`: a server that never
 * answers costs the listing that long, not forever.
 *
 * Deno builds one module graph at a time per isolate: while an import waits
 * for a server that never answers, every later `import()` of the isolate
 * waits behind it (measured with Deno 2.9), so a hung index would hold up
 * the other indexes and every plugin module loaded afterwards. The indexes
 * are therefore imported in a worker, one after the other; when one does
 * not arrive in time, the worker is ended (which cancels the import) and a
 * new one imports the rest. With an `importModule` of the application's,
 * they are imported through it instead, and a hung import cannot be
 * cancelled.
 *
 * @module
 */

import { importHere, type ModuleImporter } from "../index_entries.ts";
import { checkTimeout } from "../../core/_values.ts";

/** The default of `ImportMapFinderOptions.indexTimeout`, in milliseconds. */
export const DEFAULT_INDEX_TIMEOUT = 10_000;

/** The messages of a failed import that mean the index does not exist. */
const MISSING =
  /Module not found|Unknown export|not exported|ERR_PACKAGE_PATH_NOT_EXPORTED|Cannot find module|failed: 404\b/i;

/** A remote index that did not arrive in time; `cause` is a `TimeoutError`. */
export class IndexTimedOut extends Error {
  /**
   * @param specifier The index's specifier.
   * @param timeout How long it was waited for, in milliseconds.
   */
  constructor(readonly specifier: string, readonly timeout: number) {
    const text = `${specifier} did not arrive within ${seconds(timeout)}`;
    super(text, { cause: new DOMException(text, "TimeoutError") });
    this.name = "IndexTimedOut";
  }
}

/** JSON indexes of remote packages imported so far in this process. */
const remoteIndexes = new Map<string, unknown>();

/** Imports of remote indexes that have not settled yet. */
const pendingIndexes = new Map<string, Promise<unknown>>();

/**
 * Imports a JSON index; `undefined` when the package has none (the module or
 * the export does not exist). Results are kept for the process, as Deno keeps
 * the imported module: a second finder gets them without an import. A
 * failure is not kept: the next listing imports again.
 *
 * @param specifier The index's specifier.
 * @param importer Imports it (`importHere`: in a worker).
 * @param timeout How long to wait, in milliseconds; `Infinity` for ever.
 * @returns The index's JSON, or `undefined`.
 * @throws {IndexTimedOut} When it does not arrive in time.
 * @throws What the import throws, when the package is not just without an
 * index.
 */
export function importJson(
  specifier: string,
  importer: ModuleImporter,
  timeout: number,
): Promise<unknown> {
  if (remoteIndexes.has(specifier)) {
    return Promise.resolve(remoteIndexes.get(specifier));
  }
  if (importer === importHere) {
    return workerQueue.add(specifier, timeout).then(keep(specifier));
  }
  let pending = pendingIndexes.get(specifier);
  if (pending === undefined) {
    pending = importer(specifier, { with: { type: "json" } }).then(
      (module) => module.default,
      (error) => {
        if (!isMissingIndex(error)) throw error;
        return undefined;
      },
    ).then(keep(specifier)).finally(() => pendingIndexes.delete(specifier));
    pendingIndexes.set(specifier, pending);
  }
  return timeout === Infinity ? pending : within(pending, specifier, timeout);
}

function keep(specifier: string): (data: unknown) => unknown {
  return (data) => {
    remoteIndexes.set(specifier, data);
    return data;
  };
}

/** Waits for `work` until `timeout` passes, then throws `IndexTimedOut`. */
function within<T>(
  work: Promise<T>,
  specifier: string,
  timeout: number,
): Promise<T> {
  // AbortSignal.timeout, not setTimeout: its timer does not keep the process
  // alive, and it is cheaper the first time in a process.
  const signal = AbortSignal.timeout(timeout);
  let onTimeout!: () => void;
  const ended = new Promise<never>((_, reject) => {
    onTimeout = () => reject(new IndexTimedOut(specifier, timeout));
    signal.addEventListener("abort", onTimeout, { once: true });
  });
  // `work` first: when both have settled, its outcome wins.
  return Promise.race([work, ended]).finally(() =>
    signal.removeEventListener("abort", onTimeout)
  );
}

/** What the worker answers for one index. */
type Answer =
  | { readonly ok: true; readonly data: unknown }
  | { readonly ok: false; readonly name: string; readonly message: string };

/**
 * The worker's code: imports each specifier it is sent as JSON and answers
 * with its data, `undefined` for a missing index, or the error's name and
 * message.
 */
const WORKER_CODE = `
const missing = ${String(MISSING)};
const denied = /Requires \\w+ access/;
self.onmessage = async ({ data: specifier }) => {
  let answer;
  try {
    const module = await import(specifier, { with: { type: "json" } });
    answer = { ok: true, data: module.default };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    answer = missing.test(message) && !denied.test(message)
      ? { ok: true, data: undefined }
      : { ok: false, name: error?.name ?? "Error", message };
  }
  try {
    self.postMessage(answer);
  } catch (error) {
    self.postMessage({ ok: false, name: "Error", message: String(error) });
  }
};
self.postMessage("ready");
`;

interface Request {
  readonly specifier: string;
  readonly timeout: number;
  readonly resolve: (data: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Sends the indexes to a worker one at a time, so that the one in progress
 * is known and its timeout counts from when it was sent (once the worker is
 * up). The worker is started for the first request and ended when none is
 * left (a live worker would keep the process alive) or when one does not
 * arrive in time.
 */
class WorkerQueue {
  readonly #waiting: Request[] = [];
  readonly #same = new Map<string, Promise<unknown>>();
  #worker: Promise<Worker> | undefined;
  #busy = false;
  #url: string | undefined;

  add(specifier: string, timeout: number): Promise<unknown> {
    const same = this.#same.get(specifier);
    if (same !== undefined) return same;
    const answer = new Promise<unknown>((resolve, reject) => {
      this.#waiting.push({ specifier, timeout, resolve, reject });
    }).finally(() => this.#same.delete(specifier));
    this.#same.set(specifier, answer);
    if (!this.#busy) void this.#next();
    return answer;
  }

  async #next(): Promise<void> {
    const request = this.#waiting.shift();
    this.#busy = request !== undefined;
    if (request === undefined) return this.#end();
    let worker: Worker;
    try {
      worker = await (this.#worker ??= this.#start());
    } catch (error) {
      this.#end();
      request.reject(error);
      return this.#next();
    }
    const answer = new Promise<Answer>((resolve, reject) => {
      worker.onmessage = ({ data }: MessageEvent<Answer>) => resolve(data);
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(event.message));
      };
    });
    worker.postMessage(request.specifier);
    try {
      const data = await (request.timeout === Infinity
        ? answer
        : within(answer, request.specifier, request.timeout));
      if (data.ok) {
        request.resolve(data.data);
      } else request.reject(rebuild(data.name, data.message));
    } catch (error) {
      // Ending the worker cancels the import; the next request gets a new one.
      this.#end();
      request.reject(error);
    }
    return this.#next();
  }

  #end(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    worker?.then((w) => w.terminate(), () => {});
  }

  /** A new worker, once it says it is up. */
  #start(): Promise<Worker> {
    this.#url ??= URL.createObjectURL(
      new Blob([WORKER_CODE], { type: "text/javascript" }),
    );
    const worker = new Worker(this.#url, { type: "module" });
    return new Promise((resolve, reject) => {
      worker.onmessage = () => resolve(worker);
      worker.onerror = (event) => {
        event.preventDefault();
        worker.terminate();
        reject(
          new Error(`the worker that imports indexes failed: ${event.message}`),
        );
      };
    });
  }
}

const workerQueue = new WorkerQueue();

/** The worker's error as the import in this isolate would have thrown it. */
function rebuild(name: string, message: string): Error {
  const errors = Deno.errors as unknown as Record<
    string,
    new (message: string) => Error
  >;
  if (Object.hasOwn(errors, name)) return new errors[name]!(message);
  if (name === "SyntaxError") return new SyntaxError(message);
  if (name === "TypeError") return new TypeError(message);
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * Checks the `indexTimeout` option.
 *
 * @param value The option's value.
 * @returns Milliseconds from 0 to 2147483647, or `Infinity`.
 * @throws {TypeError} When it is not such a number.
 */
export function checkIndexTimeout(value: unknown): number {
  return value === undefined
    ? DEFAULT_INDEX_TIMEOUT
    : checkTimeout(value, "ImportMapFinder option indexTimeout");
}

/** A timeout for messages: `10 s`, `0.25 s`. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * Whether a failed JSON import of `plux.json` means the package has no index,
 * by the messages Deno 2.9 gives: `Module not found "<url>".` (a URL package,
 * HTTP 404), `Unknown export './plux.json' for '@scope/name@1.0.0'.` (jsr:),
 * `[ERR_PACKAGE_PATH_NOT_EXPORTED] Package subpath './plux.json' is not
 * defined by "exports" ...` and `[ERR_MODULE_NOT_FOUND] Cannot find module
 * ...` (npm: with and without `exports`). A missing package, version or
 * permission and a refused connection are not: they are reported.
 *
 * @param error The import's failure.
 * @returns Whether to skip the package quietly.
 */
export function isMissingIndex(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return MISSING.test(text) && !/Requires \w+ access/.test(text);
}
