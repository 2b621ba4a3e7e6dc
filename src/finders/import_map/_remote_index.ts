/**
 * What the JSON import of a remote package's index (`jsr:`, `npm:`, URL)
 * means when it fails.
 *
 * @module
 */

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
  return /Module not found|Unknown export|not exported|ERR_PACKAGE_PATH_NOT_EXPORTED|Cannot find module|failed: 404\b/i
    .test(text) && !/Requires \w+ access/.test(text);
}
