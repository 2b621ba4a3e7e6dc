import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { grace, importBatched } from "../../src/finders/_batch_import.ts";

type Namespace = Record<string, unknown>;

/**
 * Writes modules `m0.ts` ... into a new temp folder (fresh URLs: a module is
 * imported once per process); `m<i>.ts` exports `v = i` unless `texts` says
 * otherwise.
 */
async function modules(
  count: number,
  texts: Record<number, string> = {},
): Promise<{ urls: string[]; remove: () => Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "plux_batch_" });
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = `${dir}/m${i}.ts`;
    await Deno.writeTextFile(path, texts[i] ?? `export const v = ${i};\n`);
    urls.push(pathToFileURL(path).href);
  }
  return { urls, remove: () => Deno.remove(dir, { recursive: true }) };
}

/** An importer that records what it is asked for. */
function recording(): {
  calls: string[];
  importer: (specifier: string) => Promise<Namespace>;
} {
  const calls: string[] = [];
  return {
    calls,
    importer: (specifier) => {
      calls.push(specifier);
      return import(specifier);
    },
  };
}

function settled<T>(promises: Promise<T>[]): Promise<unknown[]> {
  return Promise.allSettled(promises).then((results) =>
    results.map((r) => r.status === "fulfilled" ? r.value : r.reason)
  );
}

Deno.test("importBatched() imports the file: modules asked for in one turn through one generated module", async () => {
  const { urls, remove } = await modules(50);
  try {
    const { calls, importer } = recording();
    const namespaces = await Promise.all(
      [...urls, urls[3]!].map((url) => importBatched(url, importer)),
    );
    assert.equal(calls.length, 1);
    assert.match(calls[0]!, /^blob:/);
    for (const [i, url] of urls.entries()) {
      // The very namespace a plain import() gives.
      assert.equal(namespaces[i], await import(url));
      assert.equal(namespaces[i]!.v, i);
    }
    assert.equal(namespaces[50], namespaces[3]);
  } finally {
    await remove();
  }
});

Deno.test("importBatched() imports a module asked for alone, and other schemes, with the importer itself", async () => {
  const { urls, remove } = await modules(1);
  try {
    const { calls, importer } = recording();
    const data = "data:text/javascript,export const d = 1;";
    const [one, other] = await Promise.all([
      importBatched(urls[0]!, importer),
      importBatched(data, importer),
    ]);
    assert.equal(one.v, 0);
    assert.equal(other.d, 1);
    assert.deepEqual(calls.sort(), [data, urls[0]!].sort());
  } finally {
    await remove();
  }
});

Deno.test("importBatched() fails only the requests of modules that fail, with the error a single import gives", async () => {
  const { urls, remove } = await modules(40, {
    7: `throw new Error("m7 cannot start");\n`,
    21: `export const v = ;\n`,
    30: `import "./nowhere.ts";\n`,
  });
  try {
    const missing = urls[0]!.replace("m0.ts", "absent.ts");
    const { importer } = recording();
    const outcomes = await settled(
      [...urls, missing].map((url) => importBatched(url, importer)),
    );
    const failed = [7, 21, 30, 40];
    outcomes.forEach((outcome, i) => {
      if (failed.includes(i)) assert.ok(outcome instanceof Error, `${i}`);
      else assert.equal((outcome as Namespace).v, i);
    });
    for (const i of failed) {
      const single = await import([...urls, missing][i]!).then(
        () => assert.fail("imports"),
        (error: Error) => error.message,
      );
      assert.equal((outcomes[i] as Error).message, single);
    }
    assert.equal((outcomes[7] as Error).message, "m7 cannot start");
  } finally {
    await remove();
  }
});

Deno.test("importBatched() does not hold modules back for one whose top-level await does not settle", async () => {
  // Module 4 waits until the test opens the gate (a process cannot end with
  // a top-level await that never settles: batch_loading_test.ts has that).
  const gate = Promise.withResolvers<void>();
  const global = globalThis as { __pluxTestGate?: Promise<void> };
  global.__pluxTestGate = gate.promise;
  const { urls, remove } = await modules(30, {
    4: `await (globalThis as any).__pluxTestGate;\nexport const v = 4;\n`,
    9: `await new Promise((r) => setTimeout(r, 200));\nexport const v = 9;\n`,
  });
  try {
    const { importer } = recording();
    const requests = urls.map((url) => importBatched(url, importer));
    const others = requests.filter((_, i) => i !== 4);
    const namespaces = await Promise.all(others);
    // The slow module's exports are initialised when its request settles.
    assert.deepEqual(
      namespaces.map((ns) => ns.v),
      urls.map((_, i) => i).filter((i) => i !== 4),
    );
    const late = await Promise.race([
      requests[4]!.then(() => "settled"),
      new Promise((resolve) => setTimeout(() => resolve("pending"), 100)),
    ]);
    assert.equal(late, "pending");
    gate.resolve();
    assert.equal((await requests[4]!).v, 4);
  } finally {
    gate.resolve();
    delete global.__pluxTestGate;
    await remove();
  }
});

Deno.test("importBatched() gives a module asked for again during its top-level await its initialised exports", async () => {
  const { urls, remove } = await modules(3, {
    1: `await new Promise((r) => setTimeout(r, 150));\nexport const v = 1;\n`,
  });
  try {
    const { importer } = recording();
    const first = urls.map((url) => importBatched(url, importer));
    await first[0];
    // A plain import() would resolve now, with `v` not yet initialised.
    const again = await importBatched(urls[1]!, importer);
    assert.equal(again.v, 1);
    assert.equal((await first[1]!).v, 1);
  } finally {
    await remove();
  }
});

Deno.test("importBatched() imports each module on its own when a batch is still loading after the grace period", async () => {
  const { urls, remove } = await modules(5);
  const saved = grace.loadMs;
  grace.loadMs = 50;
  try {
    const calls: string[] = [];
    let stalled = false;
    // The first generated module stalls, as a download that never finishes.
    const importer = (specifier: string): Promise<Namespace> => {
      calls.push(specifier);
      if (specifier.startsWith("blob:") && !stalled) {
        stalled = true;
        return new Promise(() => {});
      }
      return import(specifier);
    };
    const namespaces = await Promise.all(
      urls.map((url) => importBatched(url, importer)),
    );
    assert.deepEqual(namespaces.map((ns) => ns.v), [0, 1, 2, 3, 4]);
    assert.equal(calls.length, 6);
  } finally {
    grace.loadMs = saved;
    await remove();
  }
});
