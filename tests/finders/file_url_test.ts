import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";
import fc from "fast-check";
import { fromFileUrl, toFileUrl } from "../../src/finders/_file_url.ts";

/** Node's answer: the path, or the fact that it throws. */
function nodePath(url: string): string | "throws" {
  try {
    return fileURLToPath(url);
  } catch {
    return "throws";
  }
}

/**
 * Node's URL as Deno writes module URLs: Deno's `node:url` also escapes
 * `[ ] ^ | ~`, which the URL standard, `import.meta.url` and
 * `Deno.mainModule` keep as they are (the same file either way).
 */
function nodeUrl(path: string, windows = false): string {
  return pathToFileURL(path, { windows }).href.replace(
    /%(5B|5D|5E|7C|7E)/g,
    (escape) => decodeURIComponent(escape),
  );
}

function ours(url: string, windows?: boolean): string | "throws" {
  try {
    return fromFileUrl(url, windows);
  } catch {
    return "throws";
  }
}

Deno.test("fromFileUrl() gives node:url's fileURLToPath() path for any POSIX path", () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: "binary", minLength: 1 }), { minLength: 1 }),
      (segments) => {
        const path = "/" +
          segments.map((s) => s.replaceAll("/", "_")).join("/");
        const url = pathToFileURL(path).href;
        assert.equal(ours(url, false), nodePath(url));
        assert.equal(ours(new URL(url).href, false), path);
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("fromFileUrl() agrees with node:url on file: URLs with any escapes, hosts and other schemes", () => {
  const piece = fc.oneof(
    fc.constantFrom(
      "%2F",
      "%2f",
      "%5C",
      "%25",
      "%20",
      "%E4%BD%A0",
      "%",
      "#",
      "?",
      "/",
      "\\",
      "..",
      ".",
    ),
    fc.string({ unit: "grapheme", maxLength: 4 }),
  );
  fc.assert(
    fc.property(
      fc.constantFrom(
        "file:///",
        "file://localhost/",
        "file://host/",
        "http://x/",
        "FILE:///",
      ),
      fc.array(piece, { maxLength: 8 }),
      (prefix, pieces) => {
        const url = prefix + pieces.join("");
        let parsed: string;
        try {
          parsed = new URL(url).href;
        } catch {
          return; // not a URL at all: neither is asked
        }
        assert.equal(ours(parsed, false), nodePath(parsed), parsed);
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("fromFileUrl() of any href made of printable ASCII agrees with node:url, whether it reads the path as written or parses the URL", () => {
  const segment = fc.oneof(
    fc.stringMatching(/^[!-~]{1,6}$/),
    fc.constantFrom("", ".", "..", "a.b", "%41", "x?y", "x#y", "\\"),
  );
  fc.assert(
    fc.property(
      fc.constantFrom("file://", "file://localhost", "file://host"),
      fc.array(segment, { minLength: 1, maxLength: 5 }),
      fc.boolean(),
      (prefix, segments, trailing) => {
        const href = `${prefix}/${segments.join("/")}${trailing ? "/" : ""}`;
        assert.equal(ours(href, false), nodePath(href), href);
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("fromFileUrl() gives Windows paths: drive letters, UNC hosts, and refuses what Node refuses", async (t) => {
  const cases: [string, string | "throws"][] = [
    ["file:///C:/path/", "C:\\path\\"],
    ["file:///c:/a%20b/c.ts", "c:\\a b\\c.ts"],
    ["file:///C:/%E4%BD%A0%E5%A5%BD.txt", "C:\\你好.txt"],
    ["file://nas/share/foo.txt", "\\\\nas\\share\\foo.txt"],
    ["file:///C:/a%2Fb", "throws"],
    ["file:///C:/a%5cb", "throws"],
    ["file:///no/drive", "throws"],
    ["https://example.com/C:/x", "throws"],
  ];
  for (const [url, path] of cases) {
    await t.step(url, () => assert.equal(ours(url, true), path));
  }
});

Deno.test("toFileUrl() gives node:url's pathToFileURL() URL for any absolute POSIX or Windows path", () => {
  const segment = fc.oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 8 }),
    // Names that need no escaping (parsed at once) next to . and .. segments.
    fc.stringMatching(/^[A-Za-z0-9._-]{1,8}$/),
    fc.constantFrom(
      "#",
      "%",
      "%25",
      "[a]^|~",
      "?",
      " ",
      "\t",
      "\n",
      "é",
      "..",
      ".",
      "a#b?c%d",
    ),
  );
  fc.assert(
    fc.property(
      fc.array(segment, { minLength: 1, maxLength: 5 }),
      fc.boolean(),
      (segments, trailing) => {
        const posix = "/" +
          segments.map((s) => s.replaceAll("/", "_")).join("/") +
          (trailing ? "/" : "");
        assert.equal(toFileUrl(posix, false).href, nodeUrl(posix));
        assert.equal(
          fromFileUrl(toFileUrl(posix, false), false).replace(/\/$/, ""),
          fileURLToPath(pathToFileURL(posix)).replace(/\/$/, ""),
        );
        // Node's Windows branch treats trailing dot segments of UNC paths
        // its own way; dots are compared on POSIX above.
        const names = segments.map((s) =>
          /^\.+$/.test(s) ? "_" : s.replace(/[\\/:*?"<>|]/g, "_")
        );
        for (
          const windows of [
            `C:\\${names.join("\\")}`,
            `\\\\host\\share\\${names.join("\\")}`,
          ]
        ) {
          assert.equal(
            toFileUrl(windows, true).href,
            nodeUrl(windows, true),
            windows,
          );
        }
      },
    ),
    { numRuns: 1000 },
  );
});
