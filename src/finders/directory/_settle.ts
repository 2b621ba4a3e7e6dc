import { sep } from "node:path";
import { fileURLToPath } from "node:url";
import { PluginException } from "../../core/errors.ts";
import type { PluginSource } from "../../core/plugin_info.ts";
import type { PluginSpec } from "../../core/plugin_spec.ts";
import { type DirectoryPackage, isInside } from "./_package.ts";
import type { Candidate, Choice } from "./_selection.ts";
import type { DirectoryProblem } from "./directory_problem.ts";
import type { PluginEntry } from "../../core/finder.ts";
import { indexEntries } from "../index_entries.ts";
import { notAFile, NotAFileError } from "../../index/_utf8.ts";

/** The outcome of settling a package: the version in use, if any. */
export interface Settled {
  /** The version in use, when one imported without failure. */
  readonly pkg?: DirectoryPackage;
  /** Its plugins' specs, by `namespace:name`. */
  readonly specs: ReadonlyMap<string, PluginSpec>;
  /** Why the package is left out, when no version is in use. */
  readonly failure?: Error;
}

/** Receives a problem found while settling. */
export type OnProblem = (problem: DirectoryProblem) => void;

/**
 * One package of the plugin directories and the version of it in use. The
 * first time any of its plugins is resolved, the package is settled: every
 * plugin module of the chosen version is imported (all namespaces); if any
 * fails, the version is reported and the next older usable one is tried the
 * same way. Every plugin of the package then resolves from that version, so
 * an application never mixes two versions of one package.
 */
export class PackageState {
  /** The package's versions as discovered. */
  readonly choice: Choice;
  readonly #fallback: boolean;
  #settling: Promise<Settled> | undefined;
  #settled: Settled | undefined;
  readonly #entries = new Map<DirectoryPackage, Map<string, PluginEntry>>();

  /**
   * @param choice The chosen version and the older ones.
   * @param fallback Whether a broken version gives way to an older one.
   */
  constructor(choice: Choice, fallback: boolean) {
    this.choice = choice;
    this.#fallback = fallback;
  }

  /** The outcome, once the package is settled. */
  get settled(): Settled | undefined {
    return this.#settled;
  }

  /**
   * Settles the package once; concurrent callers share the one attempt.
   *
   * @param onProblem Receives each version skipped on the way.
   * @returns The outcome.
   */
  settle(onProblem: OnProblem): Promise<Settled> {
    return this.#settling ??= this.#settle(onProblem).then((settled) =>
      this.#settled = settled
    );
  }

  /**
   * The entries of the package for a namespace: of the version in use once
   * settled (none when the package is left out), else of the chosen one.
   *
   * @param namespace The namespace, or `undefined` for all.
   * @param onProblem Receives what settling finds, when an entry starts it.
   * @returns Lazy entries whose `source` and `value` follow the settling.
   */
  entries(namespace: string | undefined, onProblem: OnProblem): PluginEntry[] {
    const pkg = this.#settled === undefined
      ? this.choice.chosen
      : this.#settled.pkg;
    if (pkg === undefined) return [];
    return indexEntries(pkg.indexed, namespace).map((listed) =>
      new _DirectoryEntry(listed, this, onProblem)
    );
  }

  /**
   * Resolves a plugin from the version in use, settling the package first.
   *
   * @param namespace The plugin's namespace.
   * @param name The plugin's name.
   * @param onProblem Receives what settling finds.
   * @returns The plugin's spec.
   * @throws {PluginException} When the package is left out, or the version
   * in use does not have the plugin.
   */
  async resolve(
    namespace: string,
    name: string,
    onProblem: OnProblem,
  ): Promise<PluginSpec> {
    const settled = await this.settle(onProblem);
    const id = `${namespace}:${name}`;
    const spec = settled.specs.get(id);
    if (spec !== undefined) return spec;
    const { chosen } = this.choice;
    const message = settled.pkg === undefined
      ? `plugin ${id} of ${this.choice.name}: ${settled.failure!.message}`
      : `plugin ${id} is not in ${settled.pkg.name}@${settled.pkg.version}, ` +
        `the version of ${this.choice.name} in use because ` +
        `${chosen.name}@${chosen.version} failed to import; fix or remove ` +
        `${chosen.name}@${chosen.version}, or install a version that has the plugin`;
    throw new PluginException(message, {
      namespace,
      pluginName: name,
      cause: settled.failure?.cause,
    });
  }

  /** The entry of plugin `id` in version `pkg`, if it has one. */
  entryOf(pkg: DirectoryPackage, id: string): PluginEntry | undefined {
    let entries = this.#entries.get(pkg);
    if (entries === undefined) {
      entries = new Map(
        indexEntries(pkg.indexed).map((e) => [`${e.namespace}:${e.name}`, e]),
      );
      this.#entries.set(pkg, entries);
    }
    return entries.get(id);
  }

  async #settle(onProblem: OnProblem): Promise<Settled> {
    const { name, chosen } = this.choice;
    const candidates: Candidate[] = [
      { name, version: chosen.version, pkg: chosen },
      ...this.choice.older,
    ];
    let first: Error | undefined;
    for (const [i, candidate] of candidates.entries()) {
      if (candidate.problem !== undefined) {
        onProblem(candidate.problem); // an unusable version passed over
        continue;
      }
      const pkg = candidate.pkg!;
      const { specs, failures } = await _importAll(pkg);
      if (failures.length === 0) return { pkg, specs };
      const next = candidates.slice(i + 1).find((c) => c.problem === undefined);
      const then = !this.#fallback
        ? `; fallback is off, so ${name} is left out`
        : next === undefined
        ? `; no older usable version of ${name} is installed`
        : `; falling back to ${next.name}@${next.version}`;
      for (const failure of failures) {
        onProblem({
          kind: failure.error instanceof _Outside
            ? "outside"
            : failure.error instanceof NotAFileError
            ? "invalid"
            : "import",
          package: name,
          version: pkg.version,
          plugin: failure.id,
          path: pkg.path,
          reason: failure.error.message + then,
        });
      }
      first ??= failures[0]!.error;
      if (!this.#fallback) {
        onProblem({
          kind: "fallback",
          package: name,
          version: pkg.version,
          reason: "left out: its newest version is broken and fallback is " +
            "off; fix or remove that version, or turn fallback on",
        });
        return {
          specs: new Map(),
          failure: new Error(
            `package ${name} was left out: its newest version ` +
              `${pkg.version} is broken (${first.message}) and fallback is off`,
            { cause: first },
          ),
        };
      }
    }
    return {
      specs: new Map(),
      failure: new Error(
        `no installed version of ${name} could be imported; first failure: ` +
          first!.message,
        { cause: first },
      ),
    };
  }
}

/** A plugin of a directory package; `source` and `value` follow settling. */
class _DirectoryEntry implements PluginEntry {
  readonly namespace: string;
  readonly name: string;
  readonly #listed: PluginEntry;
  readonly #state: PackageState;
  readonly #onProblem: OnProblem;

  constructor(listed: PluginEntry, state: PackageState, onProblem: OnProblem) {
    this.namespace = listed.namespace;
    this.name = listed.name;
    this.#listed = listed;
    this.#state = state;
    this.#onProblem = onProblem;
  }

  get source(): PluginSource | undefined {
    return this.#state.settled?.pkg?.indexed.source ?? this.#listed.source;
  }

  get value(): string | undefined {
    return this.#current().value;
  }

  get metadata(): Readonly<Record<string, unknown>> | undefined {
    return this.#current().metadata;
  }

  get requires(): readonly string[] | undefined {
    return this.#current().requires;
  }

  get after(): readonly string[] | undefined {
    return this.#current().after;
  }

  resolve(): Promise<PluginSpec> {
    return this.#state.resolve(this.namespace, this.name, this.#onProblem);
  }

  #current(): PluginEntry {
    const pkg = this.#state.settled?.pkg;
    const id = `${this.namespace}:${this.name}`;
    return (pkg && this.#state.entryOf(pkg, id)) ?? this.#listed;
  }
}

class _Outside extends Error {}

/**
 * Imports every plugin module of a version, all namespaces, at once: the
 * links are checked first, synchronously, so that the imports of every
 * package settled in the same turn join one batch (see `_batch_import.ts`).
 */
async function _importAll(pkg: DirectoryPackage) {
  const { plugins } = pkg.indexed.index;
  const jobs = Object.keys(plugins).flatMap((namespace) =>
    indexEntries(pkg.indexed, namespace).map((entry, i) => ({
      id: `${namespace}:${entry.name}`,
      entry,
      url: pkg.indexed.specifierOf(plugins[namespace]![i]!)!,
    }))
  );
  const refusal = _moduleCheck(pkg);
  const results = await Promise.allSettled(jobs.map((job) => {
    const refused = refusal(job.url);
    return refused === undefined
      ? job.entry.resolve()
      : Promise.reject(refused);
  }));
  const specs = new Map<string, PluginSpec>();
  const failures: { id: string; error: Error }[] = [];
  results.forEach((result, i) => {
    const { id } = jobs[i]!;
    if (result.status === "fulfilled") specs.set(id, result.value);
    else {
      const error = result.reason instanceof Error
        ? result.reason
        : new Error(String(result.reason));
      failures.push({ id, error });
    }
  });
  return { specs, failures };
}

/**
 * A module's folder: its real path, the names in it that are links, and
 * those that are neither files, folders nor links (FIFOs, sockets, devices).
 */
interface _Folder {
  readonly real: string;
  readonly links: ReadonlySet<string>;
  readonly special: ReadonlySet<string>;
}

/**
 * Checks the modules of a package before they are imported: why a module
 * may not be imported, or `undefined`. A link leading outside the package
 * is refused (`_Outside`), and so is anything but a regular file (importing
 * a FIFO would stop the whole process). Each folder is resolved and listed
 * once (its plugin modules share a few folders); only a module that is a
 * link itself is resolved, and its target checked, on its own.
 */
function _moduleCheck(
  pkg: DirectoryPackage,
): (url: string) => Error | undefined {
  const folders = new Map<string, _Folder | undefined>();
  return (url) => {
    const path = fileURLToPath(url);
    const cut = path.lastIndexOf(sep);
    const [dir, name] = [path.slice(0, cut), path.slice(cut + 1)];
    if (!folders.has(dir)) folders.set(dir, _folder(dir));
    const folder = folders.get(dir);
    // An unreadable folder: the import reports it with its own message.
    if (folder === undefined) return undefined;
    const fix = `reinstall ${pkg.name}@${pkg.version}`;
    if (folder.special.has(name)) {
      let kind = "a special file";
      try {
        kind = notAFile(Deno.statSync(path)) ?? kind; // stat opens nothing
      } catch {
        // gone since it was listed: still not imported
      }
      return new NotAFileError(path, kind, fix);
    }
    let real: string;
    let kind: string | undefined;
    try {
      real = folder.links.has(name)
        ? Deno.realPathSync(path)
        : `${folder.real}${sep}${name}`;
      if (folder.links.has(name)) kind = notAFile(Deno.statSync(real));
    } catch {
      return undefined; // a broken link: the import reports the missing file
    }
    if (!isInside(pkg.dir, real)) {
      return new _Outside(
        `${path} is a link to ${real}, outside the package ${pkg.dir}; refused`,
      );
    }
    return kind === undefined ? undefined : new NotAFileError(path, kind, fix);
  };
}

function _folder(dir: string): _Folder | undefined {
  try {
    const links = new Set<string>();
    const special = new Set<string>();
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isSymlink) links.add(entry.name);
      else if (!entry.isFile && !entry.isDirectory) special.add(entry.name);
    }
    return { real: Deno.realPathSync(dir), links, special };
  } catch {
    return undefined;
  }
}
