import type { PluginEntry } from "../core/finder.ts";
import { ImportMapFinder } from "../finders/import_map/import_map_finder.ts";
import type { CliIo } from "./_io.ts";
import { errorText } from "../core/_error_text.ts";
import { isIncomplete } from "../core/finder.ts";

/** What the finder listed, and whether a wait ran out while it did. */
export interface AppPlugins {
  /** The lazy entries, in the finder's order. */
  readonly found: PluginEntry[];
  /** Whether a remote index did not arrive in time (it was reported). */
  readonly incomplete: boolean;
  /** The problems the finder stepped over (each printed as a warning). */
  readonly problems: readonly Error[];
}

/**
 * Lists what the application's finder discovers, without importing plugin
 * code, and prints each problem it stepped over as a one-line warning.
 *
 * @param config The application's config file.
 * @param io Where the warnings go.
 * @param namespace The namespace wanted, or `undefined` for all.
 * @param indexTimeout How long one remote index is waited for (ms).
 * @returns The lazy entries, whether the listing is incomplete, and the
 * problems.
 */
export async function findAppPlugins(
  config: string,
  io: CliIo,
  namespace?: string,
  indexTimeout?: number,
): Promise<AppPlugins> {
  const problems: Error[] = [];
  const finder = new ImportMapFinder({ config, indexTimeout });
  const found = await finder.findPlugins({
    namespace,
    report: (error) => problems.push(error),
  });
  for (const problem of problems) {
    io.err(`warning: ${errorText(problem)}`);
  }
  return { found, incomplete: problems.some(isIncomplete), problems };
}
