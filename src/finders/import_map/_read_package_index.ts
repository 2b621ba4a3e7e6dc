/**
 * Reads the `plux.json` of one package candidate the way its source kind
 * allows (disk for local packages, a JSON import for jsr:, npm: and URLs)
 * and turns it into an {@linkcode IndexedPackage}.
 *
 * @module
 */

import {
  INDEX_FILE,
  parseIndex,
  type PluginIndex,
  validateIndex,
} from "../../index/format.ts";
import {
  type AppConfig,
  fromFileUrl,
  readMemberConfig,
} from "./_deno_config.ts";
import {
  describeCandidate,
  type PackageCandidate,
} from "./_package_sources.ts";
import { hasEntryWithoutPath, ImportMapPackage } from "./_indexed_package.ts";
import { errorText } from "../../core/_error_text.ts";
import { NotAFileError, readUtf8FileSync } from "../../index/_utf8.ts";
import { ReadAccess } from "./_read_access.ts";
import { danglingIndex, linkTarget, missingIndex } from "./_missing_index.ts";
import {
  importHere,
  type IndexedPackage,
  type ModuleImporter,
} from "../index_entries.ts";
import { importJson, IndexTimedOut } from "./_remote_index.ts";
import { rootFolders } from "./_mapped_root.ts";
import { importRefusal } from "../_import_access.ts";

/** What reading one candidate gave. */
export interface ReadOutcome {
  /** The package root (a folder URL or a jsr:/npm: specifier), for dedupe. */
  readonly root: string;
  /** The package, when it has a usable index. */
  readonly pkg?: IndexedPackage;
  /** Problems: an unreadable or invalid index, rejected entries. */
  readonly problems: Error[];
}

/** What to do about a local index that is not UTF-8 text. */
const INDEX_READ_FIX =
  "save it as UTF-8, or regenerate it with `deno task plux:index`";

/**
 * Reads a candidate's index. Never throws: a package without an index gives
 * neither package nor problem; every failure becomes a problem that names the
 * package, the file and the fix.
 *
 * @param candidate The package.
 * @param config The application config.
 * @param importer Imports the JSON indexes of jsr:, npm: and URL packages.
 * @param access What the process may read: a local index it may not read is
 * reported with the flag to add, not read (which would make Deno prompt).
 * @param timeout How long a remote index is waited for, in milliseconds.
 * @returns The outcome.
 */
export async function readPackageIndex(
  candidate: PackageCandidate,
  config: AppConfig,
  importer: ModuleImporter = importHere,
  access: ReadAccess = new ReadAccess(),
  timeout: number = Infinity,
): Promise<ReadOutcome> {
  let root = candidate.root;
  const label = () => describeCandidate({ ...candidate, root });
  try {
    let index: PluginIndex;
    let problems: SyntaxError[];
    let file: string;
    if (
      candidate.kind === "jsr" || candidate.kind === "npm" ||
      candidate.kind === "url"
    ) {
      file = candidate.kind === "url"
        ? new URL(INDEX_FILE, root).href
        : `${root}/${INDEX_FILE}`;
      let data: unknown;
      try {
        // Checked, not tried: an import from a host not allowed would prompt.
        const refused = importRefusal(file);
        if (refused !== undefined) throw refused;
        data = await importJson(file, importer, timeout);
      } catch (error) {
        throw error instanceof IndexTimedOut
          ? error
          : new ReadFailure(file, error);
      }
      if (data === undefined) return { root, problems: [] };
      // Deno decoded it (a U+FFFD may stand for bytes that were not UTF-8;
      // the bytes are out of reach): taken as it is, see index/_utf8.ts.
      ({ index, problems } = validateIndex(data, file));
    } else {
      const found = candidate.module === undefined
        ? readLocal(root, access) ?? { dir: root }
        : await searchUpwards(candidate, config, access);
      if (found === undefined) return { root, problems: [] };
      root = found.dir;
      if (found.text === undefined) {
        const dir = new URL(root);
        const missing = found.link === undefined
          ? await missingIndex(candidate, dir, config, access, label())
          : await danglingIndex(
            candidate,
            dir,
            config,
            access,
            label(),
            found.link,
          );
        return { root, problems: missing === undefined ? [] : [missing] };
      }
      file = root + INDEX_FILE;
      ({ index, problems } = parseIndex(found.text, found.path!));
    }
    // A member's config is read only when the index leaves something to it.
    const member = candidate.kind === "workspace" &&
        (index.package?.name === undefined || hasEntryWithoutPath(index))
      ? await readMemberConfig(new URL(root), access)
      : undefined;
    const pkg = new ImportMapPackage(
      candidate,
      root,
      file,
      index,
      config,
      member,
    );
    return {
      root,
      pkg,
      problems: problems.map((p) =>
        new SyntaxError(`${label()}: ${p.message}`, { cause: p })
      ),
    };
  } catch (error) {
    return {
      root,
      problems: [await describeFailure(error, label(), candidate)],
    };
  }
}

/**
 * What a local read found: the folder (a `file:` href ending in `/`), and
 * the index's path and text, or where its `plux.json` links to when that is
 * nothing.
 */
interface LocalIndex {
  readonly dir: string;
  readonly path?: string;
  readonly text?: string;
  readonly link?: string;
}

function readLocal(dir: string, access: ReadAccess): LocalIndex | undefined {
  // A path, not a URL, and a synchronous read: for hundreds of small files
  // both are measurably faster, and discovery waits for all of them anyway.
  // No URL is parsed either, unless something goes wrong.
  const path = fromFileUrl(dir) + INDEX_FILE;
  if (!access.canRead(path)) {
    throw new ReadFailure(new URL(INDEX_FILE, dir), notReadable(path));
  }
  try {
    return { dir, path, text: readUtf8FileSync(path, path, INDEX_READ_FIX) };
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof NotAFileError) {
      throw error;
    }
    if (error instanceof Deno.errors.NotFound) {
      const link = linkTarget(path);
      return link === undefined ? undefined : { dir, link };
    }
    throw new ReadFailure(new URL(INDEX_FILE, dir), error);
  }
}

/**
 * Finds the root of a plainly mapped module: the first folder with plux.json
 * or a config among those `rootFolders()` allows (never at or above the
 * mapping file's folder, the application's folder or its workspace root).
 * Only the module's own folder is the application's to make readable: a
 * folder above it that the process may not read ends the search quietly.
 */
async function searchUpwards(
  candidate: PackageCandidate,
  config: AppConfig,
  access: ReadAccess,
): Promise<LocalIndex | undefined> {
  const folders = rootFolders(
    candidate.module!,
    candidate.base ?? config.url,
    [config.dir, config.rootDir],
  );
  for (let level = 0; level < folders.length; level++) {
    const dir = folders[level]!;
    try {
      const found = readLocal(dir, access);
      if (found !== undefined) return found;
      for (const name of ["deno.json", "deno.jsonc"]) {
        if (await exists(new URL(name, dir), access)) return { dir };
      }
    } catch (error) {
      const unreadable = error instanceof ReadFailure &&
        error.cause instanceof Deno.errors.NotCapable;
      if (level > 0 && unreadable) return undefined;
      // The flag covers every folder searched, not the module's alone.
      if (unreadable && folders.length > 1) {
        throw new ReadFailure(error.target, error.cause, folders.at(-1));
      }
      throw error;
    }
  }
  return undefined;
}

async function exists(url: URL, access: ReadAccess): Promise<boolean> {
  const path = fromFileUrl(url);
  if (!access.canRead(path)) throw new ReadFailure(url, notReadable(path));
  try {
    await Deno.stat(url);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw new ReadFailure(url, error);
  }
}

class ReadFailure extends Error {
  constructor(
    readonly target: URL | string,
    override readonly cause: unknown,
    readonly folder?: string, // to let the process read, if not the target's
  ) {
    super(errorText(cause));
  }
}

/** The failure of a read that was not tried because it would prompt. */
function notReadable(path: string): Error {
  return new Deno.errors.NotCapable(
    `Requires read access to "${path}", which was not granted`,
  );
}

async function describeFailure(
  error: unknown,
  label: string,
  candidate: PackageCandidate,
): Promise<Error> {
  if (error instanceof SyntaxError) {
    return new SyntaxError(`${label}: ${error.message}`, { cause: error });
  }
  if (error instanceof IndexTimedOut) {
    // The cause, a TimeoutError, marks the listing incomplete: it is read
    // again next time.
    const server = candidate.kind === "url"
      ? new URL(error.specifier).host
      : `the ${candidate.kind === "jsr" ? "JSR" : "npm"} registry`;
    return new Error(
      `${label}: its index ${error.message}, so its plugins are left out ` +
        `until a later listing gets it; check that ${server} answers, or ` +
        "raise the wait (ImportMapFinder's indexTimeout option, " +
        "plux list --timeout SECONDS)",
      { cause: error.cause },
    );
  }
  if (error instanceof NotAFileError) {
    const fix = error.file.endsWith(INDEX_FILE)
      ? `replace it with the ${INDEX_FILE} that \`deno task plux:index\` ` +
        "writes there"
      : "replace it with the package's config (a JSON text file)";
    return new Error(
      `${label} is not a valid package: ${error.withFix(fix).message}`,
      { cause: error },
    );
  }
  if (!(error instanceof ReadFailure)) {
    return new Error(
      `${label}: reading its index failed: ${errorText(error)}`,
      { cause: error },
    );
  }
  const target = error.target instanceof URL
    ? fromFileUrl(error.target)
    : error.target;
  if (error.cause instanceof SyntaxError) {
    // A JSON import of a published index that is not valid JSON.
    return new SyntaxError(
      `${label}: ${target} is not a valid plux index: ${error.message}; ` +
        `ask the maintainers of ${candidate.root} to run ` +
        "`deno task plux:index` and publish again, or use another version",
      { cause: error.cause },
    );
  }
  // A local package: the flag names its folder, which its modules need too.
  const { permissionHint } = await import("../_permission_flag.ts");
  const hint = permissionHint(
    error.cause,
    error.folder ??
      (error.target instanceof URL
        ? new URL("./", error.target).href
        : error.target),
  );
  const fix = hint !== ""
    ? hint
    : error.cause instanceof Deno.errors.PermissionDenied
    ? "; make the file readable by the user running the application"
    : candidate.kind === "app" || candidate.kind === "workspace" ||
        candidate.kind === "path"
    ? "; check the file, or regenerate it with `deno task plux:index`"
    : "; check that the package is published with its index, and that the registry is reachable";
  return new Error(`${label}: cannot read ${target}: ${error.message}${fix}`, {
    cause: error.cause,
  });
}
