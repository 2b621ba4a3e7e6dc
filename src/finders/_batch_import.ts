/**
 * Imports plugin modules in batches. Each dynamic `import()` costs Deno about
 * a millisecond whatever the module, so the `file:` and `jsr:` modules asked
 * for in the same turn of the event loop (within a few microtasks) are
 * imported together, through one generated `blob:` module that re-exports
 * them (`export * as m0 from "file:///..."`), imported once. Other modules
 * (`http(s):`, whose import a JSR module may not make, `npm:`, bare
 * specifiers) are imported one by one, as before; so is a module asked for
 * alone (`load(name)`).
 *
 * Every guarantee of a single `import()` is kept:
 * - A batch that fails is split in halves, and each half imported as a batch
 *   again, down to single modules, so a module that fails to load or throws
 *   fails only its own request, with the error text of a single import.
 * - A batch whose modules have started to run but that has not settled soon
 *   after (a top-level `await` that is slow or never settles) stops holding
 *   the others: each module is then imported on its own, and each request
 *   settles when its own module does. A batch still loading its files after
 *   a longer grace period (a stalled download) is treated the same way.
 * - A module that was part of a batch is later imported only through a
 *   one-line `blob:` module re-exporting it: Deno resolves a plain `import()`
 *   of a module still in its top-level `await` at once, with exports not yet
 *   initialised, when another module's import started it (Deno 2.9).
 *
 * @module
 */

/** A module namespace, as `import()` gives it. */
type Namespace = Record<string, unknown>;

/** Imports one module; the finders pass the application's importer. */
type Importer = (specifier: string) => Promise<Namespace>;

/** Modules imported through a batch. */
const BATCHED = /^(file|jsr):/;

/**
 * How long a batch may stay unsettled before each of its modules is imported
 * on its own. Tests shorten them.
 */
export const grace = {
  /**
   * While its modules load and link: generous, as loading only costs time
   * (1000 local modules load in about 0.3 s, 1.7 s with a cold cache; jsr:
   * modules may first be downloaded).
   */
  loadMs: 5000,
  /**
   * Once its modules have started to run: modules without a top-level
   * `await` all run at once, so this is the wait for those with one.
   */
  runMs: 20,
};

/** Requests waiting for the next flush, per importer. */
const waiting = new Map<
  Importer,
  Map<string, PromiseWithResolvers<Namespace>>
>();

/** Modules that were part of a batch (see the module doc). */
const batched = new Set<string>();

/**
 * Microtask turns a flush waits: requests made a few `await`s later (a
 * finder's own checks, a listener) still join the batch. Not a timer: the
 * first `setTimeout` of a process costs it about 12 ms (Deno 2.9 loads its
 * Node timers then), as much as importing ten modules.
 */
const FLUSH_HOPS = 8;

/**
 * How often an unsettled batch is looked at. `AbortSignal.timeout` keeps the
 * process alive, as a pending import must, but cannot be cleared: a batch
 * that settles leaves at most one such wait behind.
 */
const TICK_MS = 20;

/** A batch that has not settled in time. */
const HUNG = Symbol("hung");

let batches = 0;

/**
 * Imports a module, together with the other `file:` and `jsr:` modules asked
 * for in the same turn of the event loop through the same importer.
 *
 * @param specifier The module.
 * @param importer What imports it (the application's `import()`, or ours).
 * @returns The module's namespace, or the rejection a single import gives.
 */
export function importBatched(
  specifier: string,
  importer: Importer,
): Promise<Namespace> {
  if (!BATCHED.test(specifier)) return importer(specifier);
  let queue = waiting.get(importer);
  if (queue === undefined) {
    queue = new Map();
    waiting.set(importer, queue);
    afterMicrotasks(FLUSH_HOPS, () => flush(importer));
  }
  let request = queue.get(specifier);
  if (request === undefined) {
    request = Promise.withResolvers<Namespace>();
    queue.set(specifier, request);
  }
  return request.promise;
}

function flush(importer: Importer): void {
  const queue = waiting.get(importer)!;
  waiting.delete(importer);
  const specifiers = [...queue.keys()];
  importTogether(specifiers, importer).forEach((outcome, i) => {
    const request = queue.get(specifiers[i]!)!;
    outcome.then(request.resolve, request.reject);
  });
}

/** Imports modules as one batch; one promise per module, in order. */
function importTogether(
  specifiers: readonly string[],
  importer: Importer,
): Promise<Namespace>[] {
  if (specifiers.length === 1) {
    const [specifier] = specifiers as [string];
    return [
      batched.has(specifier)
        ? importAlone(specifier, importer)
        : importer(specifier),
    ];
  }
  for (const specifier of specifiers) batched.add(specifier);
  const parts = importBlob(specifiers, importer).then(
    (result) =>
      result === HUNG
        ? specifiers.map((specifier) => importAlone(specifier, importer))
        : result.map((namespace) => Promise.resolve(namespace)),
    () => {
      const half = Math.ceil(specifiers.length / 2);
      return [
        ...importTogether(specifiers.slice(0, half), importer),
        ...importTogether(specifiers.slice(half), importer),
      ];
    },
  );
  return specifiers.map((_, i) => parts.then((list) => list[i]!));
}

/**
 * Imports one module that was part of a batch, through a module that
 * re-exports it (which waits for its top-level `await`); on failure, imports
 * it directly so that the rejection is the one a single import gives.
 */
async function importAlone(
  specifier: string,
  importer: Importer,
): Promise<Namespace> {
  const url = blobUrl(`export * as m from ${JSON.stringify(specifier)};`);
  try {
    return (await importer(url)).m as Namespace;
  } catch {
    return await importer(specifier);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Imports the modules through one generated module; `HUNG` when it has not
 * settled within the grace periods. The generated module first imports a
 * marker module, which Deno runs only once every module of the batch is
 * loaded and linked, before any of them runs.
 */
async function importBlob(
  specifiers: readonly string[],
  importer: Importer,
): Promise<Namespace[] | typeof HUNG> {
  const hook = Symbol.for(`@plux/core batch ${++batches} ${Math.random()}`);
  const started = Promise.withResolvers<void>();
  const global = globalThis as Record<symbol, unknown>;
  global[hook] = started.resolve;
  const marker = blobUrl(
    `globalThis[Symbol.for(${JSON.stringify(hook.description)})]?.();`,
  );
  const url = blobUrl(
    [
      `import ${JSON.stringify(marker)};`,
      ...specifiers.map((specifier, i) =>
        `export * as m${i} from ${JSON.stringify(specifier)};`
      ),
    ].join("\n"),
  );
  const cleanUp = () => {
    delete global[hook];
    URL.revokeObjectURL(marker);
    URL.revokeObjectURL(url);
  };
  const begun = performance.now();
  let startedAt: number | undefined;
  started.promise.then(() => {
    startedAt = performance.now();
    cleanUp();
  });
  let settled = false;
  const loaded = importer(url);
  loaded.then(cleanUp, cleanUp).finally(() => settled = true);
  const hung = new Promise<typeof HUNG>((resolve) => {
    const look = () => {
      if (settled) return;
      const late = startedAt === undefined
        ? performance.now() - begun >= grace.loadMs
        : performance.now() - startedAt >= grace.runMs;
      if (late) resolve(HUNG);
      else AbortSignal.timeout(TICK_MS).addEventListener("abort", look);
    };
    look();
  });
  const result = await Promise.race([loaded, hung]);
  if (result === HUNG) return HUNG;
  return specifiers.map((_, i) => result[`m${i}`] as Namespace);
}

/** Runs `fn` after `hops` turns of the microtask queue. */
function afterMicrotasks(hops: number, fn: () => void): void {
  queueMicrotask(hops <= 1 ? fn : () => afterMicrotasks(hops - 1, fn));
}

function blobUrl(source: string): string {
  return URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
}
