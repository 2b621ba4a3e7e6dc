/**
 * Whether the process may import a URL without Deno asking. A module or JSON
 * import from a host the process may not import from makes Deno prompt in a
 * terminal (the listing then waits for an answer) and fail elsewhere; the
 * finders check first, and report the flag to add instead of importing.
 *
 * @module
 */

/**
 * The hosts of Deno's default `--allow-import` list: `Deno.permissions`
 * answers `"prompt"` for them even when that default lets them in, so they
 * are not checked (an explicit list without them fails the import, which is
 * then reported with the flag).
 */
const DEFAULT_HOSTS: ReadonlySet<string> = new Set([
  "jsr.io",
  "deno.land",
  "esm.sh",
  "cdn.jsdelivr.net",
  "raw.githubusercontent.com",
  "gist.githubusercontent.com",
]);

/**
 * Why an `http(s):` specifier may not be imported without a prompt, or
 * `undefined` when it may (or is not an `http(s):` URL).
 *
 * @param specifier What is about to be imported.
 * @returns The `NotCapable` error Deno would give, naming the host.
 */
export function importRefusal(specifier: string): Error | undefined {
  if (!specifier.startsWith("http:") && !specifier.startsWith("https:")) {
    return undefined;
  }
  const url = URL.parse(specifier);
  if (url === null || DEFAULT_HOSTS.has(url.hostname)) return undefined;
  const state = Deno.permissions.querySync({ name: "import", host: url.host })
    .state;
  return state === "granted" ? undefined : new Deno.errors.NotCapable(
    `Requires import access to "${url.host}", which was not granted`,
  );
}
