import { fromFileUrl } from "./_file_url.ts";
import { importRefusal } from "./_import_access.ts";
import {
  dependenciesOf,
  dependencyDifference,
  type PluginDependencies,
  type PluginSpec,
} from "../core/plugin_spec.ts";
import { PluginException } from "../core/errors.ts";
import type { PluginSource } from "../core/plugin_info.ts";
import { PluginSpecResolver } from "../core/resolver.ts";
import type { IndexEntry, PluginIndex } from "../index/format.ts";
import type { PluginEntry } from "../core/finder.ts";
import { errorText } from "../core/_error_text.ts";
import { isInsideRoot } from "./_confine.ts";

/** A package whose index has been read, and how to reach its modules. */
export interface IndexedPackage {
  /** Where the package comes from; `index` is the URL of its `plux.json`. */
  readonly source: PluginSource;
  /** The validated index. */
  readonly index: PluginIndex;
  /**
   * The package root as discovery established it: a folder URL ending in
   * `/` (`file:`, `http(s):`), or a `jsr:`/`npm:` package specifier. Every
   * specifier {@linkcode specifierOf} gives must stay inside it
   * (`isInsideRoot`), or the entry is refused.
   */
  readonly root: string;
  /**
   * The specifier to import an entry's module with, or `undefined` when this
   * source kind cannot reach it (for example a jsr: package whose module is
   * not exported).
   */
  specifierOf(entry: IndexEntry): string | undefined;
  /** How to regenerate the index, for stale-index messages. */
  readonly fix?: string;
}

const resolver = new PluginSpecResolver();

/**
 * The batching of imports (`_batch_import.ts`), imported at the first
 * resolve: a process that only lists plugins does not load it.
 */
let batching: Promise<typeof import("./_batch_import.ts")> | undefined;

/**
 * Imports a module for the finders: `import(specifier, options)`, run in the
 * application's module when it passes its own function (see
 * `ImportMapFinderOptions.importModule`).
 */
export type ModuleImporter = (
  specifier: string,
  options?: ImportCallOptions,
) => Promise<Record<string, unknown>>;

/** Imports with this module's own `import()`. */
export const importHere: ModuleImporter = (specifier, options) =>
  import(specifier, options);

/**
 * A plugin of an index. Its module specifier (and so `value`) is worked out
 * only when asked for: listing thousands of plugins computes none.
 */
class IndexPluginEntry implements PluginEntry {
  readonly namespace: string;
  readonly name: string;
  readonly #pkg: IndexedPackage;
  readonly #entry: IndexEntry;
  readonly #resolve: (entry: IndexPluginEntry) => Promise<PluginSpec>;
  #specifier: string | undefined | null = null;
  #dependencies: PluginDependencies | undefined;
  /** The specifier the index gave when it points outside the package. */
  #outside: string | undefined;

  constructor(
    pkg: IndexedPackage,
    namespace: string,
    entry: IndexEntry,
    resolve: (entry: IndexPluginEntry) => Promise<PluginSpec>,
  ) {
    this.namespace = namespace;
    this.name = entry.name;
    this.#pkg = pkg;
    this.#entry = entry;
    this.#resolve = resolve;
  }

  get source(): PluginSource {
    return this.#pkg.source;
  }

  get metadata(): Readonly<Record<string, unknown>> | undefined {
    return this.#entry.metadata;
  }

  get requires(): readonly string[] {
    return (this.#dependencies ??= dependenciesOf(this.#entry)).requires;
  }

  get after(): readonly string[] {
    return (this.#dependencies ??= dependenciesOf(this.#entry)).after;
  }

  get value(): string {
    const entry = this.#entry;
    return `${this.specifier ?? entry.subpath ?? entry.path}#${entry.export}`;
  }

  /**
   * The specifier of the module, or `undefined` when this source cannot
   * reach it or it would leave the package.
   */
  get specifier(): string | undefined {
    if (this.#specifier === null) {
      const specifier = this.#pkg.specifierOf(this.#entry);
      const inside = specifier === undefined ||
        isInsideRoot(this.#pkg.root, specifier);
      this.#specifier = inside ? specifier : undefined;
      this.#outside = inside ? undefined : specifier;
    }
    return this.#specifier;
  }

  resolve(): Promise<PluginSpec> {
    return this.#resolve(this);
  }

  /** Imports the module and checks what it exports against the index. */
  importSpec(importer: ModuleImporter = importHere): Promise<PluginSpec> {
    const specifier = this.specifier;
    if (this.#outside !== undefined) {
      return Promise.reject(
        outsideFailure(this.#pkg, this.namespace, this.#entry, this.#outside),
      );
    }
    return resolveEntry(
      this.#pkg,
      this.namespace,
      this.#entry,
      specifier,
      importer,
    );
  }
}

/**
 * Turns the entries of one namespace of an index into lazy plugin entries:
 * nothing is imported, and no module specifier worked out, until an entry's
 * `resolve()` is called.
 *
 * @param pkg The package and its index.
 * @param namespace The namespace wanted, or `undefined` for all.
 * @param resolve How an entry resolves; by default it imports its module
 * with `importer` and checks the export against the index.
 * @param importer What imports modules for the default `resolve`.
 * @param result Where to add them (one list for many packages).
 * @returns The lazy entries, in index order, after what `result` held.
 */
export function indexEntries(
  pkg: IndexedPackage,
  namespace?: string,
  resolve?: (entry: PluginEntry) => Promise<PluginSpec>,
  importer: ModuleImporter = importHere,
  result: PluginEntry[] = [],
): PluginEntry[] {
  const namespaces = namespace === undefined
    ? Object.keys(pkg.index.plugins)
    : Object.hasOwn(pkg.index.plugins, namespace)
    ? [namespace]
    : [];
  const resolveWith = resolve ??
    ((entry: IndexPluginEntry) => entry.importSpec(importer));
  // Indexed: `for...of` makes an object per step until optimised.
  for (let n = 0; n < namespaces.length; n++) {
    const ns = namespaces[n]!;
    const entries = pkg.index.plugins[ns]!;
    for (let i = 0; i < entries.length; i++) {
      result.push(new IndexPluginEntry(pkg, ns, entries[i]!, resolveWith));
    }
  }
  return result;
}

/** The refusal of an entry whose module would be outside its package. */
function outsideFailure(
  pkg: IndexedPackage,
  namespace: string,
  entry: IndexEntry,
  specifier: string,
): PluginException {
  const where = describePackage(pkg.source);
  return new PluginException(
    `plugin ${namespace}:${entry.name} of ${where}: its index entry leads to ` +
      `${JSON.stringify(specifier)}, outside the package (${pkg.root}), so ` +
      `it is not imported; the index ${pkg.source.index} may only name the ` +
      `package's own modules: ${pkg.fix ?? `regenerate it in ${where}`}`,
    { namespace, pluginName: entry.name },
  );
}

async function resolveEntry(
  pkg: IndexedPackage,
  namespace: string,
  entry: IndexEntry,
  specifier: string | undefined,
  importer: ModuleImporter,
): Promise<PluginSpec> {
  const where = describePackage(pkg.source);
  const fix = pkg.fix ?? `run \`deno task plux:index\` in ${where}`;
  // Every message names the package the plugin comes from.
  const id = `${namespace}:${entry.name} of ${where}`;
  const fail = (message: string, cause?: unknown) =>
    new PluginException(message, { namespace, pluginName: entry.name, cause });
  if (specifier === undefined) {
    throw fail(
      `plugin ${id} is in ${
        entry.path ?? "a module"
      }, which is not exported, ` +
        `and a ${pkg.source.kind} package can only be imported through its exports; ` +
        `add the module to "exports" in its deno.json, then ${fix}`,
    );
  }
  let module: Record<string, unknown>;
  try {
    // Checked, not tried: an import from a host not allowed would prompt.
    const refused = importRefusal(specifier);
    if (refused !== undefined) throw refused;
    module = await (batching ??= import("./_batch_import.ts")).then((batch) =>
      batch.importBatched(specifier, importer)
    );
  } catch (error) {
    const advice = await importFix(error, pkg, entry, specifier);
    throw fail(
      `plugin ${id}: importing ${specifier} failed: ${
        errorText(error)
      }${advice}`,
      error,
    );
  }
  if (!Object.hasOwn(module, entry.export)) {
    throw fail(
      `plugin ${id}: the index ${pkg.source.index} says ${specifier} exports ` +
        `"${entry.export}", but it does not; the index is stale: ${fix}`,
    );
  }
  let spec: PluginSpec;
  try {
    spec = resolver.resolve(module[entry.export]);
  } catch (error) {
    throw fail(
      `plugin ${id}: export "${entry.export}" of ${specifier} is not a plugin ` +
        `(${errorText(error)}); the index ${pkg.source.index} is stale: ${fix}`,
      error,
    );
  }
  if (spec.namespace !== namespace || spec.name !== entry.name) {
    throw fail(
      `plugin ${id}: export "${entry.export}" of ${specifier} declares ` +
        `${spec.namespace}:${spec.name}; the index ${pkg.source.index} is stale: ${fix}`,
    );
  }
  const difference = dependencyDifference(dependenciesOf(spec), entry);
  if (difference !== undefined) {
    throw fail(
      `plugin ${id}: ${difference}; the index ${pkg.source.index} is stale: ${fix}`,
    );
  }
  return spec;
}

/**
 * What to do about a failed import of a plugin's module, by what Deno says:
 * a missing permission, a module that does not exist (a stale index), a bare
 * specifier nothing maps, or else the module's own failure.
 */
async function importFix(
  error: unknown,
  pkg: IndexedPackage,
  entry: IndexEntry,
  specifier: string,
): Promise<string> {
  const { permissionHint } = await import("./_permission_flag.ts");
  const where = describePackage(pkg.source);
  const index = pkg.source.index;
  const fix = pkg.fix ?? `run \`deno task plux:index\` in ${where}`;
  // A local package's modules need its whole folder: name that, not the file.
  const folder = index?.startsWith("file:")
    ? new URL("./", index).href
    : undefined;
  const hint = permissionHint(error, folder);
  if (hint !== "") return hint;
  const text = errorText(error);
  if (/Unknown export|ERR_PACKAGE_PATH_NOT_EXPORTED/.test(text)) {
    return `; the package does not export the module: the index ${index} is stale: ${fix}`;
  }
  const missing = /Module not found "([^"]+)"/.exec(text)?.[1];
  if (missing !== undefined) {
    const own = missing === specifier ||
      (entry.path !== undefined && missing.endsWith(entry.path.slice(1)));
    return own
      ? `; the module does not exist: the index ${index} is stale: ${fix}`
      : `; it imports ${missing}, which does not exist: fix that import in ${where}`;
  }
  if (/JSR packages cannot import non-JSR remote modules/.test(text)) {
    return "; @plux/core is imported from JSR here, and Deno lets no JSR " +
      "module import a URL module: give the finder the application's own " +
      "import, `new ImportMapFinder({ importModule: (s, o) => import(s, o) })`" +
      ", or get the package from jsr: or npm:";
  }
  const bare =
    /Import "([^"]+)" not a dependency|Relative import path "([^"]+)"|"([^"]+)" is not in import map|"([^"]+)" not in import map/
      .exec(text);
  if (bare !== null) {
    const name = bare[1] ?? bare[2] ?? bare[3] ?? bare[4]!;
    return `; the module imports "${name}", which the application's import map ` +
      `does not map (a ${pkg.source.kind} package resolves bare imports ` +
      `through the application's import map, not its own deno.json): add ` +
      `"${name}" to the application's "imports"`;
  }
  return index?.startsWith("file:")
    ? "; the module throws when imported: fix it, or exclude the plugin with a filter"
    : `; the module throws when imported: ask the maintainers of ${where} ` +
      "to fix it, use another version, or exclude the plugin with a filter";
}

/**
 * Names a package for messages: `name@version` when known, else the folder
 * its index is in.
 *
 * @param source The package's source.
 * @returns For example `@acme/services@1.2.0`, or `the package in /app/lib`.
 */
export function describePackage(source: PluginSource): string {
  if (source.package === undefined) {
    if (source.index === undefined) return `a ${source.kind} package`;
    const folder = new URL("./", source.index);
    return `the package in ${
      folder.protocol === "file:"
        ? fromFileUrl(folder).replace(/(.)[\\/]$/, "$1")
        : folder.href
    }`;
  }
  return source.version === undefined
    ? source.package
    : `${source.package}@${source.version}`;
}
