import type { PluginEntry } from "../core/finder.ts";
import { ImportMapFinder } from "../finders/import_map/import_map_finder.ts";
import type { CliIo } from "./_io.ts";
import { errorText } from "../core/_error_text.ts";

/**
 * Lists what the application's finder discovers, without importing plugin
 * code, and prints each problem it stepped over as a one-line warning.
 *
 * @param config The application's config file.
 * @param io Where the warnings go.
 * @param namespace The namespace wanted, or `undefined` for all.
 * @returns The lazy entries, in the finder's order.
 */
export async function findAppPlugins(
  config: string,
  io: CliIo,
  namespace?: string,
): Promise<PluginEntry[]> {
  const problems: Error[] = [];
  const found = await new ImportMapFinder({ config }).findPlugins({
    namespace,
    report: (error) => problems.push(error),
  });
  for (const problem of problems) {
    io.err(`warning: ${errorText(problem)}`);
  }
  return found;
}
